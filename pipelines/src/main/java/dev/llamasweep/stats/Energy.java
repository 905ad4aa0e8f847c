package dev.llamasweep.stats;

import java.util.List;

/**
 * Energy from a power trace: the trapezoid integral of watts over a time window, with the trace
 * interpolated at the window's edges. Pure arithmetic over (seconds, watts) points sorted by time.
 */
public final class Energy {
  private Energy() {}

  public record Point(double t, double watts) {}

  /** Joules between t0 and t1; NaN when the trace does not cover the window. */
  public static double joules(List<Point> trace, double t0, double t1) {
    if (trace.size() < 2 || t1 <= t0 || trace.get(0).t() > t0 || trace.get(trace.size() - 1).t() < t1) return Double.NaN;
    double sum = 0;
    for (int i = 1; i < trace.size(); i++) {
      Point a = trace.get(i - 1);
      Point b = trace.get(i);
      double lo = Math.max(a.t(), t0);
      double hi = Math.min(b.t(), t1);
      if (hi <= lo) continue;
      sum += (at(a, b, lo) + at(a, b, hi)) / 2 * (hi - lo);
    }
    return sum;
  }

  /** The highest sample inside the window (NaN when none). */
  public static double peakWatts(List<Point> trace, double t0, double t1) {
    return trace.stream().filter(p -> p.t() >= t0 && p.t() <= t1).mapToDouble(Point::watts).max().orElse(Double.NaN);
  }

  private static double at(Point a, Point b, double t) {
    return b.t() == a.t() ? a.watts() : a.watts() + (b.watts() - a.watts()) * (t - a.t()) / (b.t() - a.t());
  }
}
