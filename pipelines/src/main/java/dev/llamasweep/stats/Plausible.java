package dev.llamasweep.stats;

import java.util.Locale;

/**
 * The physical limits every reader holds a measurement to, in one place: a figure outside them is
 * not a measurement but a broken or forged record, and the cell that holds it is invalid with the
 * sentence these methods return (null when the figure is possible). Finite but absurd values (1e308
 * t/s) would otherwise overflow a sum of squares into an interval of ±Infinity.
 */
public final class Plausible {
  private Plausible() {}

  /**
   * Tokens per second no llama.cpp run reaches: a token in one nanosecond. Even a batch of 512 prompt
   * tokens through a toy model costs microseconds of kernel launches, so real figures stay orders of
   * magnitude below (an H200 processes about 10^5 t/s of the smallest models' prompts).
   */
  public static final double MAX_TOKENS_PER_S = 1e9;
  /** Watts no single machine running llama.cpp draws (eight 1 kW boards and their host stay below it). */
  public static final double MAX_WATTS = 20_000;
  /** Joules per token no run spends: a token at MAX_WATTS for a minute. */
  public static final double MAX_J_PER_TOKEN = MAX_WATTS * 60;

  /** Why a throughput sample is impossible, or null. */
  public static String throughput(double tokensPerS) {
    if (!Double.isFinite(tokensPerS) || !(tokensPerS > 0)) {
      return "holds " + show(tokensPerS) + ", not a positive finite throughput";
    }
    if (tokensPerS > MAX_TOKENS_PER_S) {
      return String.format(Locale.ROOT, "holds %s t/s, faster than any machine runs llama.cpp (above %.0e t/s)", show(tokensPerS), MAX_TOKENS_PER_S);
    }
    return null;
  }

  /** Why an energy figure (J, J/token, W) is impossible, or null; an absent figure (null) is possible. */
  public static String energy(String field, Double value, double max, String unit) {
    if (value == null) return null;
    if (!Double.isFinite(value) || value < 0) return field + " is " + show(value) + " " + unit + ", not a finite figure of 0 or more";
    if (value > max) return String.format(Locale.ROOT, "%s is %s %s, above anything a machine draws (%,.0f %s)", field, show(value), unit, max, unit);
    return null;
  }

  private static String show(double v) {
    return Double.isNaN(v) ? "NaN" : Double.isInfinite(v) ? (v > 0 ? "Infinity" : "-Infinity") : Math.abs(v) >= 1e6 || (v != 0 && Math.abs(v) < 1e-3)
        ? String.format(Locale.ROOT, "%.3g", v) : v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }
}
