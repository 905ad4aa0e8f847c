package dev.llamasweep.stats;

import java.util.Arrays;

/**
 * Per cell and test: n, mean, sample sd (Welford, {@link Moments}), min, max, exact median and MAD
 * of the per-repetition tokens/s samples. llama-bench's own avg/stddev fields are never used (its
 * stddev is computed in integer nanoseconds and is wrong at times).
 */
public final class Summaries {
  private Summaries() {}

  /** The key of one summary: a cell and one of its tests (pp512, tg128, ...). */
  public record Key(String cell, String test) {}

  /** The statistics of a plain list of samples. */
  public static Estimate of(double... samples) {
    return Moments.of(samples).estimate(median(samples));
  }

  /** Exact median (the mean of the two middle values for an even count); NaN for none. */
  public static double median(double[] v) {
    if (v.length == 0) return Double.NaN;
    double[] s = v.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }

  /** Median absolute deviation from the median (unscaled); NaN for none. */
  public static double mad(double[] v) {
    if (v.length == 0) return Double.NaN;
    double m = median(v);
    double[] d = new double[v.length];
    for (int i = 0; i < v.length; i++) d[i] = Math.abs(v[i] - m);
    return median(d);
  }
}
