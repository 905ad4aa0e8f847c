package dev.llamasweep.stats;

import java.util.List;
import java.util.Locale;

/**
 * Speculative decoding from costs: a step drafts k tokens with the small model, then the target verifies
 * k + 1 positions in one batch. llama.cpp's loop (common_sampler_sample_and_accept_n) keeps drafted
 * tokens up to the first one the target disagrees with and always adds the target's own token there (or
 * after the last draft), so with a per-token acceptance α, independent across positions, a step yields
 * 1 + α + α² + … + α^k = (1 − α^(k+1)) / (1 − α) tokens (Leviathan et al. 2023, eq. 1). Its settings
 * that shorten a draft — p_min stops drafting at a token the draft itself is unsure of, n_min drops a
 * draft shorter than it — make k the draft's actual mean length, which is what a measured run reports.
 */
public final class Speculation {
  private Speculation() {}

  /** Expected tokens per step for a draft of k tokens with per-token acceptance α: k + 1 at α = 1, 1 at α = 0. */
  public static double expectedTokensPerStep(double alpha, double k) {
    if (!(alpha >= 0 && alpha <= 1) || !(k >= 0)) throw new IllegalArgumentException("α must be in [0, 1] and k ≥ 0, not α=" + alpha + ", k=" + k);
    if (alpha == 1) return k + 1;
    return (1 - Math.pow(alpha, k + 1)) / (1 - alpha);
  }

  /**
   * The costs of one step and of one plain token, in milliseconds, each read off a measured curve.
   *
   * @param draftTokenMs one token of the draft model (its own decode at batch 1)
   * @param verifyMs one decode step of the target over k + 1 positions (its batch curve at B = k + 1)
   * @param targetTokenMs one token of the target alone (its batch curve at B = 1): the baseline
   */
  public record Costs(double k, double draftTokenMs, double verifyMs, double targetTokenMs) {
    public Costs {
      if (!(k >= 1) || !(draftTokenMs >= 0) || !(verifyMs > 0) || !(targetTokenMs > 0)) {
        throw new IllegalArgumentException("a step needs k ≥ 1 and positive times, not " + k + ", " + draftTokenMs + ", " + verifyMs + ", " + targetTokenMs);
      }
    }

    /** What a step costs: k draft tokens, then the verification batch. */
    public double stepMs() {
      return k * draftTokenMs + verifyMs;
    }

    /** The speed-up over the target alone at acceptance α: tokens per step per step time, over one token per targetTokenMs. */
    public double speedup(double alpha) {
      return expectedTokensPerStep(alpha, k) * targetTokenMs / stepMs();
    }

    /**
     * The acceptance at which drafting starts to pay (speed-up 1): 0 when it pays even with nothing
     * accepted, NaN when it does not pay even with everything accepted (k + 1 tokens per step cannot
     * cover the step's cost). Found by bisection: the speed-up grows with α.
     */
    public double breakEvenAlpha() {
      if (speedup(0) >= 1) return 0;
      if (speedup(1) < 1) return Double.NaN;
      double lo = 0;
      double hi = 1;
      for (int i = 0; i < 60; i++) {
        double mid = (lo + hi) / 2;
        if (speedup(mid) >= 1) hi = mid;
        else lo = mid;
      }
      return hi;
    }

    /** The arithmetic, as the report writes it: "(1 − 0.8^5) / (1 − 0.8) = 3.36 tokens per (4 × 1.20 + 9.10) ms …". */
    public String arithmetic(double alpha) {
      double e = expectedTokensPerStep(alpha, k);
      return String.format(Locale.ROOT, "(1 − %s^%s) / (1 − %s) = %.2f tokens per step of %s × %.2f + %.2f = %.2f ms, against one token per %.2f ms: %.2f×",
          Estimate.num(alpha, 2), Estimate.num(k + 1, 1), Estimate.num(alpha, 2), e, Estimate.num(k, 1), draftTokenMs, verifyMs, stepMs(), targetTokenMs,
          speedup(alpha));
    }
  }

  /** One point of a batch curve: a decode step over B tokens and its time. */
  public record Step(int batch, double ms) {}

  /**
   * Where a batch curve turns compute-bound: the smallest measured B from which on every step (its own
   * and every larger B's) takes at least twice the step at B = 1. Below it a step costs about what reading
   * the weights (and the fixed cost) costs, so more tokens per step come almost free; from it on the work
   * that grows with B is at least half of the step: t(B) ≥ 2 t(1) means (t(B) − t(1)) ≥ t(1). "From which
   * on" because a backend may run a smaller batch with slower kernels than a larger one (a bump is not a
   * knee). Empty when the largest measured B does not get there.
   */
  public static java.util.Optional<Step> knee(List<Step> curve) {
    Step one = curve.stream().filter(s -> s.batch() == 1).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("a batch curve needs its B = 1 point"));
    List<Step> sorted = curve.stream().sorted(java.util.Comparator.comparingInt(Step::batch)).toList();
    Step knee = null;
    for (int i = sorted.size() - 1; i >= 0 && sorted.get(i).batch() > 1 && sorted.get(i).ms() >= 2 * one.ms(); i--) knee = sorted.get(i);
    return java.util.Optional.ofNullable(knee);
  }

  /** Measured points whose step took longer than a larger B's: where the backend ran the smaller batch with slower kernels. */
  public static List<Step> slowerThanLarger(List<Step> curve) {
    List<Step> out = new java.util.ArrayList<>();
    for (Step s : curve) {
      if (curve.stream().anyMatch(l -> l.batch() > s.batch() && l.ms() < s.ms())) out.add(s);
    }
    return out;
  }
}
