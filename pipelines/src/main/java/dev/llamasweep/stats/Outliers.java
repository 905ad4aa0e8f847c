package dev.llamasweep.stats;

import java.util.ArrayList;
import java.util.List;

/**
 * Outlying samples by the modified z-score on the median absolute deviation (Iglewicz and Hoaglin),
 * |0.6745 (x − median) / MAD| > 3.5, as hyperfine flags them. Outliers are kept in every statistic
 * and shown, never dropped silently.
 */
public final class Outliers {
  public static final double LIMIT = 3.5;

  private Outliers() {}

  /** Indices of the outlying samples; none when there are fewer than 3 or the MAD is 0. */
  public static List<Integer> of(double[] samples) {
    List<Integer> out = new ArrayList<>();
    if (samples.length < 3) return out;
    double median = Summaries.median(samples);
    double[] dev = new double[samples.length];
    for (int i = 0; i < samples.length; i++) dev[i] = Math.abs(samples[i] - median);
    double mad = Summaries.median(dev);
    if (mad == 0) return out;
    for (int i = 0; i < samples.length; i++) {
      if (Math.abs(0.6745 * (samples[i] - median) / mad) > LIMIT) out.add(i);
    }
    return out;
  }
}
