package dev.llamasweep.stats;

import java.io.Serializable;

/**
 * The one implementation of mean and standard deviation in llama-sweep: n, mean and M2 (the sum of
 * squared deviations) updated one sample at a time by Welford's method, and two partial results
 * merged by Chan et al.'s parallel formula, so a distributed aggregation can combine partial results
 * before the shuffle. Min and max ride along. Mutable, as a Beam accumulator is.
 */
public final class Moments implements Serializable {
  private long n;
  private double mean;
  private double m2;
  private double min = Double.NaN;
  private double max = Double.NaN;

  public Moments() {}

  public Moments(long n, double mean, double m2, double min, double max) {
    this.n = n;
    this.mean = mean;
    this.m2 = m2;
    this.min = min;
    this.max = max;
  }

  public static Moments of(double... samples) {
    Moments m = new Moments();
    for (double x : samples) m.add(x);
    return m;
  }

  /** Welford: one more sample. */
  public Moments add(double x) {
    n++;
    double delta = x - mean;
    mean += delta / n;
    m2 += delta * (x - mean);
    min = n == 1 ? x : Math.min(min, x);
    max = n == 1 ? x : Math.max(max, x);
    return this;
  }

  /** Chan: this and another partial result as one; an empty side leaves the other exactly as it was. */
  public Moments merge(Moments o) {
    if (o.n == 0) return this;
    if (n == 0) {
      n = o.n;
      mean = o.mean;
      m2 = o.m2;
      min = o.min;
      max = o.max;
      return this;
    }
    long total = n + o.n;
    double delta = o.mean - mean;
    mean += delta * o.n / total;
    m2 += o.m2 + delta * delta * ((double) n * o.n / total);
    n = total;
    min = Math.min(min, o.min);
    max = Math.max(max, o.max);
    return this;
  }

  public long n() { return n; }

  public double mean() { return n == 0 ? Double.NaN : mean; }

  public double m2() { return m2; }

  public double min() { return min; }

  public double max() { return max; }

  /** Sample standard deviation (n − 1); NaN for one sample, which has no spread. */
  public double sd() {
    return n > 1 ? Math.sqrt(Math.max(0, m2) / (n - 1)) : Double.NaN;
  }

  /** An estimate with this mean, sd and extremes and a median computed exactly elsewhere. */
  public Estimate estimate(double median) {
    return new Estimate(n, mean(), sd(), min, max, median);
  }

  /** Canonical order for merging many partial results, so the result does not depend on the order a runner hands them over. */
  public static int canonical(Moments a, Moments b) {
    int c = Long.compare(a.n, b.n);
    if (c == 0) c = Double.compare(a.mean, b.mean);
    if (c == 0) c = Double.compare(a.m2, b.m2);
    return c;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Moments m && m.n == n && Double.compare(m.mean, mean) == 0 && Double.compare(m.m2, m2) == 0
        && Double.compare(m.min, min) == 0 && Double.compare(m.max, max) == 0;
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(n, mean, m2, min, max);
  }

  @Override
  public String toString() {
    return "Moments{n=" + n + ", mean=" + mean + ", m2=" + m2 + ", min=" + min + ", max=" + max + "}";
  }
}
