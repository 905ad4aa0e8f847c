package dev.llamasweep.spec;

/**
 * The synthetic speculative pair with a chosen acceptance. The draft is the target's first layer; the
 * target's later layers write their output projections (wo, w2) at ε of their usual scale, so they pull the
 * residual stream — and the greedy token — away from the draft's by an amount ε sets: ε = 0 agrees always.
 * Acceptance under greedy decoding belongs to the pair and the prompt, not the machine, so ε for a wanted
 * acceptance comes from a calibration measured once (below); every run still measures its own acceptance
 * (llama-server's draft_n_accepted / draft_n) and the report uses that, never the asked-for value.
 */
public final class AcceptanceCalibration {
  private AcceptanceCalibration() {}

  /**
   * Measured acceptance (draft_n_accepted / draft_n) per ε: the pinned build, synthetic target (Q4_K_M) and
   * draft (Q8_0), llama-server draft-max 16, greedy, 256 tokens of experiments/prompts/factorial.txt, CPU
   * (2026-12-04); {ε, acceptance}, ε ascending. ε up to 0.4 changes nothing: a random-weight model's token is
   * dominated by its own embedding (the classifier shares it), so the later layers must be several times
   * the first's scale to move it. Another prompt moves the figures (wordfreq.txt: 0.82 at ε = 6, 0.77 at
   * 8, then 0.4 to 0.6 from 10 to 20 in no order): the report always uses the acceptance each run measured.
   */
  static final double[][] MEASURED = {{0, 1.0}, {6, 0.956}, {8, 0.819}, {10, 0.701}, {12, 0.428}, {14, 0.323}, {16, 0.287}, {20, 0.154}};

  /** The largest ε a spec may give: past it the later layers drown the first one's signal entirely. */
  public static final double MAX_PERTURBATION = 100;

  /** The lowest acceptance the calibration reaches. */
  public static final double LOWEST = MEASURED[MEASURED.length - 1][1];

  /** ε for an acceptance from LOWEST to 1: linear between the calibration's points. */
  public static double perturbationFor(double acceptance) {
    if (!(acceptance >= LOWEST && acceptance <= 1)) throw new IllegalArgumentException("acceptance outside the calibration: " + acceptance);
    for (int i = 1; i < MEASURED.length; i++) {
      double[] lo = MEASURED[i - 1];
      double[] hi = MEASURED[i];
      if (acceptance <= lo[1] && acceptance >= hi[1]) {
        double t = (lo[1] - acceptance) / (lo[1] - hi[1]);
        return Math.round((lo[0] + t * (hi[0] - lo[0])) * 10000) / 10000.0;
      }
    }
    throw new IllegalStateException("the calibration is not monotone");
  }

  /** The synthetic kind of the target perturbed by ε ("target-e0.05"; "target" for 0): each ε its own cached file. */
  public static String kindFor(double epsilon) {
    if (!(epsilon >= 0 && epsilon <= MAX_PERTURBATION)) throw new IllegalArgumentException("a perturbation lies in [0, " + MAX_PERTURBATION + "], not " + epsilon);
    return epsilon == 0 ? "target" : "target-e" + new java.math.BigDecimal(Double.toString(epsilon)).stripTrailingZeros().toPlainString();
  }

  /** ε of a target kind ("target-e0.05" → 0.05, "target" → 0); NaN for any other kind. */
  public static double perturbationOf(String kind) {
    if (kind.equals("target")) return 0;
    if (!kind.startsWith("target-e")) return Double.NaN;
    try {
      return Double.parseDouble(kind.substring("target-e".length()));
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }
}
