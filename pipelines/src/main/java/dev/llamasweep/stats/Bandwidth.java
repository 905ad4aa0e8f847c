package dev.llamasweep.stats;

/**
 * The seed's bandwidth arithmetic. GB is 10^9 bytes, GiB is 2^30; bytes per generated token is
 * llama-bench's model_size (all tensor bytes), which is right for dense models and overstates
 * the bytes actually read for mixture-of-experts models.
 */
public final class Bandwidth {
  public static final double GIB = 1024.0 * 1024 * 1024;

  private Bandwidth() {}

  /** The share of a wall the seed calls a realistic ceiling (85%): every ceiling and chart line uses this one figure. */
  public static final double REALISTIC_FRACTION = 0.85;

  /** Theoretical peak in GB/s: MT/s × bus bits / 8 gives MB/s; / 1000 gives GB/s. */
  public static double peakGBs(long transferRateMts, long busWidthBits) {
    return peakGBs((double) transferRateMts, busWidthBits);
  }

  /** The same for a rate that is not whole (a GPU's memory clock × 2). */
  public static double peakGBs(double transferRateMts, long busWidthBits) {
    return transferRateMts * (double) busWidthBits / 8.0 / 1000.0;
  }

  /** Effective bandwidth in GB/s: bytes read per token × tokens per second. */
  public static double effectiveGBs(double bytesPerToken, double tokensPerSecond) {
    return bytesPerToken * tokensPerSecond / 1e9;
  }

  public static double utilisation(double effectiveGBs, double peakGBs) {
    return effectiveGBs / peakGBs;
  }

  /** tokens/s that a given fraction of the peak would allow for a model of this size. */
  public static double ceilingTps(double peakGBs, double fraction, double bytesPerToken) {
    return peakGBs * fraction * 1e9 / bytesPerToken;
  }

  /** new / old − 1 (e.g. +0.359 for 9.87 → 13.41). */
  public static double relativeChange(double oldValue, double newValue) {
    return newValue / oldValue - 1.0;
  }
}
