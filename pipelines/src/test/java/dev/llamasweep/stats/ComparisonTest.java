package dev.llamasweep.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ComparisonTest {
  static Estimate e(double mean, double sd) {
    return new Estimate(5, mean, sd, mean, mean, mean);
  }

  @Test
  void seedSpeculativeSpeedups() {
    assertEquals("+64.3%", Estimate.signedPercent(new Comparison(e(21.2, Double.NaN), e(12.9, Double.NaN)).change(), 1));
    assertEquals("+82.2%", Estimate.signedPercent(new Comparison(e(23.5, Double.NaN), e(12.9, Double.NaN)).change(), 1));
    assertEquals("+39.7%", Estimate.signedPercent(new Comparison(e(17.6, Double.NaN), e(12.6, Double.NaN)).change(), 1));
    assertEquals("+36.0%", Estimate.signedPercent(new Comparison(e(11.7, Double.NaN), e(8.6, Double.NaN)).change(), 1));
  }

  @Test
  void uncertaintyPropagatesFromBothSpreads() {
    // ratio 2.0; relative sds 3% and 4% -> 5% of the ratio = 0.10 = 10 percentage points
    Comparison c = new Comparison(e(20.0, 0.6), e(10.0, 0.4));
    assertEquals(2.0, c.ratio(), 1e-12);
    assertEquals(0.10, c.ratioSd(), 1e-12);
    // standard errors 0.6/√5 and 0.4/√5, relative 1.342% and 1.789%: together 2.236% of the ratio; Welch–Satterthwaite
    // df = (1.8e-4 + 3.2e-4)² / ((1.8e-4)²/4 + (3.2e-4)²/4) = 7.42, t = 2.34, so ± 2.34 × 2.0 × 0.02236 = ± 0.105
    assertEquals("+100.0% (95% CI +89.5% to +110.5%)", c.formatChange());
    assertEquals(Comparison.Verdict.FASTER, c.verdict());
  }

  @Test
  void seedMmapDifferenceIsWithinNoise() {
    // mmap on 11.44 ± 0.47 vs off 11.26 ± 0.22: difference 0.18 t/s (1.6%), smaller than either spread
    Comparison c = new Comparison(e(11.44, 0.47), e(11.26, 0.22));
    assertEquals(0.18, c.difference(), 1e-9);
    assertEquals("+1.6%", Estimate.signedPercent(c.change(), 1));
    assertEquals(Comparison.Verdict.WITHIN_NOISE, c.verdict());
  }

  @Test
  void oneRunCannotBeJudged() {
    Comparison c = new Comparison(new Estimate(1, 20, Double.NaN, 20, 20, 20), e(10, 0.1));
    assertEquals(Comparison.Verdict.UNKNOWN, c.verdict());
    assertEquals("+100.0%", c.formatChange());
  }
}
