package dev.llamasweep.stats;

import org.apache.commons.math3.distribution.TDistribution;

/** Student t quantiles, cached for the small sample counts benchmarks have. */
public final class Intervals {
  private static final double[] T975 = new double[201];

  private Intervals() {}

  /** The 97.5% quantile of Student's t with df degrees of freedom (2.776 for 4, 1.96 as df grows). */
  public static synchronized double t975(double df) {
    if (df < 1) return Double.NaN;
    int i = (int) Math.floor(df);
    if (df == i && i < T975.length) {
      if (T975[i] == 0) T975[i] = new TDistribution(null, i).inverseCumulativeProbability(0.975);
      return T975[i];
    }
    return new TDistribution(null, df).inverseCumulativeProbability(0.975);
  }
}
