package dev.llamasweep.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SummariesTest {
  @Test
  void sampleStandardDeviationUsesNMinusOne() {
    Estimate e = Summaries.of(2, 4, 4, 4, 5, 5, 7, 9);
    assertEquals(5.0, e.mean(), 1e-12);
    assertEquals(Math.sqrt(32.0 / 7.0), e.sd(), 1e-12);   // population sd would be 2.0
    assertEquals(4.5, e.median(), 1e-12);
    assertEquals(2, e.min(), 0);
    assertEquals(9, e.max(), 0);
  }

  @Test
  void oneRunHasNoSpread() {
    Estimate e = Summaries.of(13.41);
    assertTrue(Double.isNaN(e.sd()));
    assertFalse(e.hasSpread());
    assertEquals("13.41 ± n/a", e.format());
    assertTrue(Double.isNaN(e.cv()));
  }

  @Test
  void formattingFollowsTheSeedTables() {
    assertEquals("13.41 ± 0.21", new Estimate(5, 13.41, 0.21, 0, 0, 0).format());
    assertEquals("322.0 ± 9.0", new Estimate(5, 322, 9, 0, 0, 0).format());
    assertEquals("1,020 ± 14", new Estimate(5, 1019.63, 14.2, 0, 0, 0).format());
  }
}
