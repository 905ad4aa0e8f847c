package dev.llamasweep.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What would change a token's speed, computed from its decomposition the way the seed's table is
 * written by hand: each prediction changes one term of time per token = fixed + moving and says the
 * arithmetic. The moving term is assumed to scale with what changes (bytes, or the bandwidth reached);
 * that is the model the decomposition states, not a measurement, and the report says so.
 */
public final class WhatIf {
  private WhatIf() {}

  /** One prediction: what changes, the predicted t/s (NaN when it does not apply) and the line of arithmetic, or why not. */
  public record Prediction(String what, double tps, String arithmetic) {
    public boolean applies() {
      return !Double.isNaN(tps);
    }
  }

  /** q8_0 stores 32 values in 34 bytes, f16 in 64: a q8_0 KV cache reads 34/64 of an f16 one. */
  public static final double Q8_0_OVER_F16 = 34.0 / 64.0;

  /**
   * @param kvBytes bytes of KV cache a token reads (0 when unknown or none)
   * @param kvTypes the run's KV cache types, "f16/f16"
   * @param rateMts the system memory's transfer rate when known (the spec's host.memory), else null; null too for a GPU's memory
   */
  public static List<Prediction> of(TokenTime t, double kvBytes, String kvTypes, Long rateMts) {
    return of(t, kvBytes, kvTypes, rateMts, null);
  }

  /** @param noGrade why the memory has no speed grade to step up (a GPU's own memory), or null for system RAM */
  public static List<Prediction> of(TokenTime t, double kvBytes, String kvTypes, Long rateMts, String noGrade) {
    List<Prediction> out = new ArrayList<>();
    double fixed = t.fixedMs();
    double moving = t.movingMs();
    out.add(new Prediction("no fixed cost", moving <= 0 ? Double.NaN : 1000 / moving, moving <= 0 ? "nothing is left once the fixed cost is gone"
        : String.format(Locale.ROOT, "1000 / %.3f ms moving = %.1f t/s", moving, 1000 / moving)));
    double doubled = fixed + moving / 2;
    out.add(new Prediction("twice the bandwidth", 1000 / doubled,
        String.format(Locale.ROOT, "1000 / (%.3f fixed + %.3f / 2 moving) = %.1f t/s", fixed, moving, 1000 / doubled)));
    if ("f16/f16".equals(kvTypes) && kvBytes > 0 && t.movedBytes() > 0) {
      double saved = kvBytes * (1 - Q8_0_OVER_F16);
      double m = moving * Math.max(0, t.movedBytes() - saved) / t.movedBytes();
      out.add(new Prediction("q8_0 KV cache", 1000 / (fixed + m), String.format(Locale.ROOT,
          "KV %s × (1 − 34/64) = %s fewer of %s moved: 1000 / (%.3f + %.3f × %.4f) = %.1f t/s", BytesPerToken.mb(kvBytes),
          BytesPerToken.mb(saved), BytesPerToken.mb(t.movedBytes()), fixed, moving, (t.movedBytes() - saved) / t.movedBytes(), 1000 / (fixed + m))));
    } else {
      out.add(new Prediction("q8_0 KV cache", Double.NaN, kvBytes <= 0 ? "no KV cache read to shrink"
          : "the KV cache is " + kvTypes + " already, not f16"));
    }
    Long next = rateMts == null ? null : MemoryGrades.next(rateMts);
    if (next != null) {
      double m = moving * rateMts / next;
      out.add(new Prediction("next memory speed (" + next + " MT/s)", 1000 / (fixed + m), String.format(Locale.ROOT,
          "%d → %d MT/s: 1000 / (%.3f + %.3f × %d/%d) = %.1f t/s", rateMts, next, fixed, moving, rateMts, next, 1000 / (fixed + m))));
    } else {
      out.add(new Prediction("next memory speed", Double.NaN, noGrade != null ? noGrade : rateMts == null
          ? "the memory's transfer rate is not known (give host.memory.transfer_rate_mts in the spec)" : rateMts + " MT/s is the fastest grade listed"));
    }
    return out;
  }

  /** Standard transfer rates of DDR4, DDR5 and LPDDR5/5X (JEDEC grades and the common faster ones), to find the next one up. */
  public static final class MemoryGrades {
    static final long[] RATES = {1600, 1866, 2133, 2400, 2666, 2933, 3200, 3733, 4266, 4800, 5200, 5500, 5600, 6000, 6400, 7200, 7500,
        8000, 8533, 8800, 9600};

    private MemoryGrades() {}

    /** The next standard rate above this one, or null above the last. */
    public static Long next(long mts) {
      for (long r : RATES) if (r > mts) return r;
      return null;
    }
  }
}
