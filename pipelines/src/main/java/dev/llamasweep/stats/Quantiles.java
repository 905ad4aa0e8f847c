package dev.llamasweep.stats;

import java.util.Arrays;

/**
 * A quantile of a sample with a distribution-free 95% interval: the quantile by linear interpolation
 * between order statistics (Hyndman and Fan's type 7, numpy's default), and the interval between the
 * order statistics whose ranks bound n·q ± 1.96·√(n·q·(1 − q)) (the normal approximation to the binomial
 * count of samples below the true quantile). Latency tails need many requests: where those ranks fall
 * outside the sample the interval is unknown (NaN), never the sample's extremes passed off as one.
 *
 * @param q the quantile, 0 to 1 (0.5 median, 0.9 p90, 0.99 p99)
 */
public record Quantiles(double q, long n, double value, double low, double high) {

  public static Quantiles of(double[] sample, double q) {
    if (!(q >= 0 && q <= 1)) throw new IllegalArgumentException("a quantile lies in [0, 1], not " + q);
    int n = sample.length;
    if (n == 0) return new Quantiles(q, 0, Double.NaN, Double.NaN, Double.NaN);
    double[] s = sample.clone();
    Arrays.sort(s);
    double h = (n - 1) * q;
    int lo = (int) Math.floor(h);
    double value = lo + 1 < n ? s[lo] + (h - lo) * (s[lo + 1] - s[lo]) : s[n - 1];
    double half = 1.96 * Math.sqrt(n * q * (1 - q));
    // 1-based ranks of the order statistics that bound the interval
    long l = (long) Math.floor(n * q - half);
    long u = (long) Math.ceil(n * q + half) + 1;
    boolean known = l >= 1 && u <= n;
    return new Quantiles(q, n, value, known ? s[(int) l - 1] : Double.NaN, known ? s[(int) u - 1] : Double.NaN);
  }

  public boolean intervalKnown() {
    return !Double.isNaN(low);
  }
}
