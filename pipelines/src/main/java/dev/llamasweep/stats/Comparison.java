package dev.llamasweep.stats;

import java.util.Locale;

/**
 * One measured mean against another: the ratio, its uncertainty propagated from both standard
 * deviations (first order, independent runs: (sd_r / r)² = (sd_a / a)² + (sd_b / b)²), and a
 * verdict in criterion.rs's spirit: a difference smaller than the larger of the two spreads is
 * "within noise", not a speedup.
 */
public record Comparison(Estimate candidate, Estimate baseline) {

  public double ratio() {
    return candidate.mean() / baseline.mean();
  }

  /** ratio − 1, e.g. +0.643 for 12.9 → 21.2 t/s. */
  public double change() {
    return ratio() - 1.0;
  }

  /** Standard deviation of the ratio; NaN when either side has no spread (n = 1). */
  public double ratioSd() {
    if (!candidate.hasSpread() || !baseline.hasSpread()) return Double.NaN;
    double a = candidate.sd() / candidate.mean();
    double b = baseline.sd() / baseline.mean();
    return ratio() * Math.sqrt(a * a + b * b);
  }

  public double difference() {
    return candidate.mean() - baseline.mean();
  }

  /** The larger of the two spreads, the yardstick a difference must beat. */
  public double noise() {
    return Math.max(candidate.sd(), baseline.sd());
  }

  public enum Verdict { FASTER, SLOWER, WITHIN_NOISE, UNKNOWN }

  public Verdict verdict() {
    if (!candidate.hasSpread() || !baseline.hasSpread()) return Verdict.UNKNOWN;
    if (Math.abs(difference()) < noise()) return Verdict.WITHIN_NOISE;
    return difference() > 0 ? Verdict.FASTER : Verdict.SLOWER;
  }

  /** "+64.3% ± 2.1%", or without the ± part when the spread is unknown. */
  public String formatChange() {
    String c = Estimate.signedPercent(change(), 1);
    double sd = ratioSd();
    return Double.isNaN(sd) ? c : c + " ± " + String.format(Locale.ROOT, "%.1f%%", sd * 100);
  }
}
