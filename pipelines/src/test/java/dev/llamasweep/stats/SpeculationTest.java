package dev.llamasweep.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Hand-computed cases of the speculative step and the batch curve's knee. */
class SpeculationTest {
  @Test
  void expectedTokensPerStepOnHandComputedCases() {
    for (int k : new int[] {1, 4, 16}) {
      assertEquals(1.0, Speculation.expectedTokensPerStep(0, k), 0, "nothing accepted: the target's own token only");
      assertEquals(k + 1.0, Speculation.expectedTokensPerStep(1, k), 0, "everything accepted: k drafts and the bonus token");
    }
    assertEquals(1.5, Speculation.expectedTokensPerStep(0.5, 1), 1e-15);                     // 1 + 1/2
    assertEquals(1.9375, Speculation.expectedTokensPerStep(0.5, 4), 1e-15);                  // 1 + 1/2 + 1/4 + 1/8 + 1/16
    assertEquals(2 - Math.pow(2, -16), Speculation.expectedTokensPerStep(0.5, 16), 1e-15);   // (1 − 2^-17) / (1/2)
    assertThrows(IllegalArgumentException.class, () -> Speculation.expectedTokensPerStep(1.2, 4));
  }

  @Test
  void speedupAndBreakEvenFromTheCosts() {
    // 4 draft tokens of 1 ms, a verification of 5 positions in 12 ms, the target alone 10 ms per token
    Speculation.Costs c = new Speculation.Costs(4, 1, 12, 10);
    assertEquals(16, c.stepMs(), 0);
    assertEquals((1 - Math.pow(0.8, 5)) / 0.2 * 10 / 16, c.speedup(0.8), 1e-12);  // 3.3616 tokens per 16 ms = 2.10×
    double a = c.breakEvenAlpha();
    assertEquals(1, c.speedup(a), 1e-9);
    assertTrue(a > 0.379 && a < 0.381, "1 + α + α² + α³ + α⁴ = 1.6 at α = 0.380 (1 + .38 + .1444 + .0549 + .0209): " + a);
    assertEquals(0, new Speculation.Costs(1, 0, 5, 10).breakEvenAlpha(), 0, "a verification cheaper than a token pays with nothing accepted");
    assertTrue(Double.isNaN(new Speculation.Costs(1, 10, 20, 10).breakEvenAlpha()), "2 tokens per 30 ms never beat 1 per 10 ms");
    assertTrue(c.arithmetic(0.8).startsWith("(1 − 0.80^5.0) / (1 − 0.80) = 3.36 tokens per step of 4.0 × 1.00 + 12.00 = 16.00 ms"), c.arithmetic(0.8));
  }

  @Test
  void theKneeIsWhereAStepTakesTwiceTheSingleToken() {
    List<Speculation.Step> curve = List.of(new Speculation.Step(1, 10), new Speculation.Step(2, 10.5), new Speculation.Step(4, 11),
        new Speculation.Step(8, 13), new Speculation.Step(16, 21), new Speculation.Step(32, 40));
    assertEquals(16, Speculation.knee(curve).orElseThrow().batch());
    assertTrue(Speculation.knee(curve.subList(0, 4)).isEmpty(), "no measured B reaches it: no knee named");
    assertThrows(IllegalArgumentException.class, () -> Speculation.knee(curve.subList(1, 3)));
    // a bump is not a knee: H200's Qwen3-8B took 11.0 ms at B = 8 (slower kernels) and 8.45 at 16, against 4.01 at 1
    List<Speculation.Step> bumpy = List.of(new Speculation.Step(1, 4.01), new Speculation.Step(4, 6.71), new Speculation.Step(8, 11.0),
        new Speculation.Step(16, 8.45), new Speculation.Step(32, 10.3));
    assertEquals(8, Speculation.knee(bumpy).orElseThrow().batch(), "from B = 8 on every step takes ≥ 8.02 ms");
    assertEquals(List.of(new Speculation.Step(8, 11.0)), Speculation.slowerThanLarger(bumpy));
    assertTrue(Speculation.knee(List.of(new Speculation.Step(1, 4), new Speculation.Step(8, 9), new Speculation.Step(16, 7))).isEmpty(),
        "the largest B fell back below twice B = 1: no knee yet");
    assertEquals(32, Speculation.knee(List.of(new Speculation.Step(1, 4), new Speculation.Step(8, 9), new Speculation.Step(16, 7),
        new Speculation.Step(32, 10))).orElseThrow().batch(), "B = 8's slow step is a bump: the knee is where the curve stays above");
  }
}
