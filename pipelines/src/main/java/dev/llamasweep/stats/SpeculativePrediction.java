package dev.llamasweep.stats;

import java.util.Locale;
import java.util.Optional;

/**
 * A measured speculative arm predicted from batch curves. What the run itself says: N tokens generated,
 * A drafted tokens accepted and D drafted, per run, so the target verified N − A times (each step yields
 * its accepted drafts plus the target's own token), a step yields N / (N − A) tokens and drafts
 * D / (N − A) on average (llama.cpp's p_min and n_min make drafts shorter than draft-max). What the curves
 * say: a draft token costs the draft's B = 1 step, a verification of k + 1 positions the target's step at
 * B = k + 1. What the server adds: its own cost per step (sampling, bookkeeping), taken as its target-alone
 * token time less the curve's B = 1 step. The prediction is then the speed-up those costs give at the
 * measured tokens per step; acceptance is taken from the run, so the check is of the cost side.
 *
 * @param tokensPerStep N / (N − A)
 * @param draftLength D / (N − A): the mean k
 * @param alpha the per-token acceptance with which (1 − α^(k+1)) / (1 − α) gives tokensPerStep at the mean k
 * @param draftMs the draft's B = 1 step
 * @param verifyMs the target's step at B = k + 1
 * @param verifyInterpolated whether verifyMs lies between measured points
 * @param curveTokenMs the target's B = 1 step on the curve
 * @param serverTokenMs the server's target-alone time per token (its baseline)
 * @param predicted the predicted speed-up over the server's target alone
 * @param predictedCi95 its 95% half-width, from the terms' standard errors (first-order, normal)
 */
public record SpeculativePrediction(double tokensPerStep, double draftLength, double alpha, double draftMs, double verifyMs,
    boolean verifyInterpolated, double curveTokenMs, double serverTokenMs, double predicted, double predictedCi95) {

  /** Within this relative distance of the measured speed-up, a prediction outside its interval still agrees. */
  public static final double TOLERANCE = 0.15;

  /**
   * @param generated N, tokens per run
   * @param accepted A, accepted drafts per run (mean)
   * @param drafted D, drafted tokens per run (mean)
   * @param draft the draft model's curve (its B = 1 point is used)
   * @param target the target's curve
   * @param serverBaseline the server's target-alone t/s
   * @return empty when a curve lacks the points needed (B = 1, or B = k + 1 beyond its range)
   */
  public static Optional<SpeculativePrediction> of(double generated, double accepted, double drafted, BatchCurve draft, BatchCurve target,
      Estimate serverBaseline) {
    double steps = generated - accepted;
    if (!(steps >= 1) || drafted <= 0) return Optional.empty();
    Optional<BatchCurve.Point> d1 = draft.at(1);
    Optional<BatchCurve.Point> t1 = target.at(1);
    double k = drafted / steps;
    Optional<Double> verify = target.stepMsAt(k + 1);
    if (d1.isEmpty() || t1.isEmpty() || verify.isEmpty()) return Optional.empty();
    double tokensPerStep = generated / steps;
    double alpha = alphaFor(tokensPerStep, k);
    double[] means = {d1.get().stepMs(), verify.get(), t1.get().stepMs(), 1000 / serverBaseline.mean()};
    double[] relSe = {rel(d1.get().tokensPerS()), target.relativeSeAt(k + 1), rel(t1.get().tokensPerS()), rel(serverBaseline)};
    java.util.function.Function<double[], Double> f = x -> tokensPerStep * x[3] / (k * x[0] + x[1] + (x[3] - x[2]));
    double value = f.apply(means);
    double var = 0;
    boolean known = true;
    for (int i = 0; i < means.length; i++) {
      if (Double.isNaN(relSe[i])) {
        known = false;
        continue;
      }
      double[] up = means.clone();
      double h = means[i] * relSe[i];
      up[i] += h;
      double d = f.apply(up) - value;
      var += d * d;
    }
    return Optional.of(new SpeculativePrediction(tokensPerStep, k, alpha, means[0], means[1], !target.measuredAt(k + 1), means[2], means[3], value,
        known ? 1.96 * Math.sqrt(var) : Double.NaN));
  }

  private static double rel(Estimate e) {
    return e.se() / e.mean();
  }

  /** The per-token acceptance that yields this many tokens per step with drafts of length k (1 when it is k + 1 or more). */
  static double alphaFor(double tokensPerStep, double k) {
    if (tokensPerStep >= k + 1) return 1;
    if (tokensPerStep <= 1) return 0;
    double lo = 0;
    double hi = 1;
    for (int i = 0; i < 60; i++) {
      double mid = (lo + hi) / 2;
      if (Speculation.expectedTokensPerStep(mid, k) < tokensPerStep) lo = mid;
      else hi = mid;
    }
    return (lo + hi) / 2;
  }

  /** The server's own cost per step: its target-alone token less the curve's B = 1 step. */
  public double serverOverheadMs() {
    return serverTokenMs - curveTokenMs;
  }

  public double stepMs() {
    return draftLength * draftMs + verifyMs + serverOverheadMs();
  }

  /** Whether the prediction agrees with a measured speed-up and its 95% interval: inside it, or within {@link #TOLERANCE} of it. */
  public boolean agrees(double measured, double low, double high) {
    return predicted >= low && predicted <= high || Math.abs(predicted / measured - 1) <= TOLERANCE;
  }

  /** "16.0 tokens per step of 15.0 × 1.43 + 47.2 + 1.03 = 69.7 ms against 7.45 ms per token: 1.71×". */
  public String arithmetic() {
    return String.format(Locale.ROOT, "%.2f tokens per step of %.1f × %.3f + %.3f%s + %.3f = %.2f ms, against %.3f ms per token alone: %.2f×",
        tokensPerStep, draftLength, draftMs, verifyMs, verifyInterpolated ? " (interpolated)" : "", serverOverheadMs(), stepMs(), serverTokenMs, predicted);
  }
}
