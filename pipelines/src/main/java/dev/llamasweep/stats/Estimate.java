package dev.llamasweep.stats;

import java.util.Locale;

/**
 * A measured figure from n repetitions: mean, sample standard deviation (n-1; NaN when n = 1,
 * because one run has no spread), extremes and median.
 */
public record Estimate(long n, double mean, double sd, double min, double max, double median, boolean fromSource) {

  public Estimate(long n, double mean, double sd, double min, double max, double median) {
    this(n, mean, sd, min, max, median, false);
  }

  /** A mean and sd as a summary-only source states them (n may be unknown: 0). */
  public static Estimate fromSource(long n, double mean, double sd) {
    return new Estimate(n, mean, sd, Double.NaN, Double.NaN, mean, true);
  }

  /** Coefficient of variation sd/mean; NaN when the spread is unknown. */
  public double cv() {
    return Double.isNaN(sd) || mean == 0 ? Double.NaN : sd / mean;
  }

  public boolean hasSpread() {
    return (n > 1 || fromSource) && !Double.isNaN(sd);
  }

  /** Half-width of the 95% confidence interval of the mean (Student t, n − 1 degrees of freedom); NaN without spread. */
  public double ci95() {
    if (!hasSpread() || n < 2) return Double.NaN;
    return Intervals.t975(n - 1) * sd / Math.sqrt(n);
  }

  /** Standard error of the mean; NaN without spread. A source's sd with unknown n has no standard error. */
  public double se() {
    return hasSpread() && n >= 2 ? sd / Math.sqrt(n) : Double.NaN;
  }

  /** "5" for our own samples; "5 (source)" or "source" when the figures are the source's own. */
  public String nLabel() {
    return fromSource ? (n > 0 ? n + " (source)" : "source") : String.valueOf(n);
  }

  /** "13.41 ± 0.21", or "13.41 ± n/a" for a single run. */
  public String format() {
    return num(mean) + " ± " + (hasSpread() ? num(sd, decimals(mean)) : "n/a");
  }

  public static String num(double v) {
    return num(v, decimals(v));
  }

  public static int decimals(double v) {
    double a = Math.abs(v);
    return a >= 1000 ? 0 : a >= 100 ? 1 : 2;
  }

  public static String num(double v, int decimals) {
    if (Double.isNaN(v)) return "n/a";
    return String.format(Locale.ROOT, "%,." + decimals + "f", v);
  }

  public static String percent(double fraction, int decimals) {
    if (Double.isNaN(fraction)) return "n/a";
    return String.format(Locale.ROOT, "%." + decimals + "f%%", fraction * 100);
  }

  public static String signedPercent(double fraction, int decimals) {
    if (Double.isNaN(fraction)) return "n/a";
    return String.format(Locale.ROOT, "%+." + decimals + "f%%", fraction * 100);
  }
}
