package dev.llamasweep.stats;

import java.util.Locale;

/**
 * One measured mean against another: the ratio of means with its 95% confidence interval and one
 * verdict rule used everywhere. The interval comes from first-order propagation of the two standard
 * errors, (se_r / r)² = (se_a / a)² + (se_b / b)², with Welch–Satterthwaite degrees of freedom for the
 * Student t quantile. A change is real only when its interval excludes zero and it is at least the
 * practical threshold (default 1%); otherwise it is "within noise", as criterion.rs says.
 */
public record Comparison(Estimate candidate, Estimate baseline, double threshold) {
  public static final double DEFAULT_THRESHOLD = 0.01;

  public Comparison(Estimate candidate, Estimate baseline) {
    this(candidate, baseline, DEFAULT_THRESHOLD);
  }

  public double ratio() {
    return candidate.mean() / baseline.mean();
  }

  /** ratio − 1, e.g. +0.643 for 12.9 → 21.2 t/s. */
  public double change() {
    return ratio() - 1.0;
  }

  /** Standard deviation of the ratio (for error bars of single runs); NaN when either side has no spread. */
  public double ratioSd() {
    if (!candidate.hasSpread() || !baseline.hasSpread()) return Double.NaN;
    double a = candidate.sd() / candidate.mean();
    double b = baseline.sd() / baseline.mean();
    return ratio() * Math.sqrt(a * a + b * b);
  }

  /** Half-width of the 95% interval of the ratio; NaN when either side has no standard error. */
  public double ratioCi95() {
    double va = relVar(candidate);
    double vb = relVar(baseline);
    if (Double.isNaN(va) || Double.isNaN(vb)) return Double.NaN;
    double df = welchDf(va, candidate.n(), vb, baseline.n());
    return Intervals.t975(df) * ratio() * Math.sqrt(va + vb);
  }

  private static double relVar(Estimate e) {
    double se = e.se();
    return Double.isNaN(se) ? Double.NaN : (se / e.mean()) * (se / e.mean());
  }

  static double welchDf(double va, long na, double vb, long nb) {
    double num = (va + vb) * (va + vb);
    double den = va * va / (na - 1) + vb * vb / (nb - 1);
    return den == 0 ? na + nb - 2 : Math.max(1, num / den);
  }

  /** The change's 95% interval, {low, high} (ratio − 1); NaNs when unknown. */
  public double[] changeInterval() {
    double h = ratioCi95();
    return new double[] {change() - h, change() + h};
  }

  public double difference() {
    return candidate.mean() - baseline.mean();
  }

  public enum Verdict { FASTER, SLOWER, WITHIN_NOISE, UNKNOWN }

  public Verdict verdict() {
    double h = ratioCi95();
    if (Double.isNaN(h)) return Verdict.UNKNOWN;
    double[] ci = changeInterval();
    boolean excludesZero = ci[0] > 0 || ci[1] < 0;
    if (!excludesZero || Math.abs(change()) < threshold) return Verdict.WITHIN_NOISE;
    return change() > 0 ? Verdict.FASTER : Verdict.SLOWER;
  }

  /** Why a verdict is what it is, in a few words a reader can check against the interval. */
  public String verdictReason() {
    return switch (verdict()) {
      case UNKNOWN -> "one side has no spread (a single repetition or a source without sd)";
      case WITHIN_NOISE -> {
        double[] ci = changeInterval();
        yield (ci[0] <= 0 && ci[1] >= 0) ? "the 95% interval includes 0" : "smaller than the " + Estimate.percent(threshold, 0) + " threshold";
      }
      default -> "the 95% interval excludes 0 and the change is at least " + Estimate.percent(threshold, 0);
    };
  }

  /** "+64.3% (95% CI +60.1% to +68.5%)", or without the interval when it is unknown. */
  public String formatChange() {
    String c = Estimate.signedPercent(change(), 1);
    if (Double.isNaN(ratioCi95())) return c;
    double[] ci = changeInterval();
    return c + " (95% CI " + Estimate.signedPercent(ci[0], 1) + " to " + Estimate.signedPercent(ci[1], 1) + ")";
  }

  /** The verdict as printed everywhere: "faster", "slower", "within noise" or "cannot tell". */
  public String verdictWord() {
    return switch (verdict()) {
      case FASTER -> "faster";
      case SLOWER -> "slower";
      case WITHIN_NOISE -> "within noise";
      case UNKNOWN -> "cannot tell";
    };
  }
}
