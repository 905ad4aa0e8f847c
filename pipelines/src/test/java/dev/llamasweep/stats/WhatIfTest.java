package dev.llamasweep.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The what-would-change predictions on hand-computed decompositions. */
class WhatIfTest {
  @Test
  void aGpuLikeTokenGainsMostFromLosingItsFixedCost() {
    // the H200's 7B cell: 2.774 ms = 0.932 fixed + 1.842 moving 3.74 GB; KV 0.1 GB in f16
    TokenTime t = new TokenTime(2.774, 0.932, 3.74e9 + 22e6, 22e6);
    List<WhatIf.Prediction> p = WhatIf.of(t, 0.1e9, "f16/f16", null);
    assertEquals("no fixed cost", p.get(0).what());
    assertEquals(1000 / 1.842, p.get(0).tps(), 1e-9);
    assertEquals(1000 / (0.932 + 1.842 / 2), p.get(1).tps(), 1e-9, "twice the bandwidth halves only the moving term: 539.7 t/s, not 2× 360");
    // q8_0 KV: 0.1 GB × 30/64 = 46.875 MB fewer of 3740 MB
    double kept = (3.74e9 - 0.1e9 * 30 / 64) / 3.74e9;
    assertEquals(1000 / (0.932 + 1.842 * kept), p.get(2).tps(), 1e-9);
    assertFalse(p.get(3).applies(), "a GPU's memory has no DIMM grade: " + p.get(3).arithmetic());
  }

  @Test
  void aCpuLikeTokenScalesWithItsMemorysNextGrade() {
    // a laptop: 1/0.13 s per token, 0.9 ms fixed; DDR5-5600 → 6000
    TokenTime t = new TokenTime(130, 0.9, 5.0e9, 1e6);
    List<WhatIf.Prediction> p = WhatIf.of(t, 0, "f16/f16", 5600L);
    assertEquals(1000 / (0.9 + 129.1 * 5600 / 6000.0), p.get(3).tps(), 1e-9);
    assertEquals("next memory speed (6000 MT/s)", p.get(3).what());
    assertEquals("5600 → 6000 MT/s: 1000 / (0.900 + 129.100 × 5600/6000) = 8.2 t/s", p.get(3).arithmetic());
    assertFalse(p.get(2).applies(), "no KV read, nothing to shrink");
    assertEquals(1000 / 129.1, p.get(0).tps(), 1e-9, "a memory-bound token barely gains from losing its fixed cost");
  }

  @Test
  void aQ8CacheIsNotShrunkAgainAndTheFastestGradeHasNoNext() {
    TokenTime t = new TokenTime(10, 1, 1e9, 0);
    List<WhatIf.Prediction> p = WhatIf.of(t, 1e8, "q8_0/q8_0", 9600L);
    assertFalse(p.get(2).applies());
    assertEquals("the KV cache is q8_0/q8_0 already, not f16", p.get(2).arithmetic());
    assertFalse(p.get(3).applies());
    assertEquals(Long.valueOf(6400), WhatIf.MemoryGrades.next(6000));
  }

  @Test
  void aTokenNoSlowerThanItsSkeletonHasNothingLeftWithoutTheFixedCost() {
    TokenTime t = new TokenTime(1.0, 1.2, 1e6, 1e6);
    assertFalse(WhatIf.of(t, 0, "f16/f16", null).get(0).applies());
  }
}
