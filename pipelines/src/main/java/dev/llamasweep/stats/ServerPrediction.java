package dev.llamasweep.stats;

import java.util.Locale;
import java.util.Optional;

/**
 * A server round predicted from the batch curve: N requests in flight decode one token each per step, so
 * once every prompt is in, a step is the curve's step at B = N and each stream's inter-token latency is that
 * step. A round of G tokens per request then takes its time to first token (prompt processing, which the
 * curve does not time: the measured median is used) plus G − 1 steps, so its aggregate output is
 * N·G / (TTFT + (G − 1)·t(N)). It agrees with the measurement like every prediction here: inside the measured
 * 95% interval or within {@link SpeculativePrediction#TOLERANCE} of it.
 *
 * @param stepMs the curve's step at B = N (ms)
 * @param interpolated whether N lies between measured points
 * @param ttftMs the measured median time to first token used for the prompt part (ms)
 * @param tokensPerS the predicted aggregate output tokens per second
 */
public record ServerPrediction(long concurrency, long generate, double stepMs, boolean interpolated, double ttftMs, double tokensPerS) {

  /** Empty where the curve has no step at N (outside its measured B) or the time to first token is unknown. */
  public static Optional<ServerPrediction> of(long concurrency, long generate, BatchCurve curve, double ttftMedianMs) {
    if (Double.isNaN(ttftMedianMs) || generate < 1) return Optional.empty();
    return curve.stepMsAt(concurrency).map(step -> new ServerPrediction(concurrency, generate, step, !curve.measuredAt(concurrency), ttftMedianMs,
        concurrency * generate * 1000.0 / (ttftMedianMs + (generate - 1) * step)));
  }

  /** Whether a measured aggregate (mean ± 95% half-width) agrees with this prediction. */
  public boolean agrees(Estimate measured) {
    double h = measured.ci95();
    double low = measured.mean() - (Double.isNaN(h) ? 0 : h);
    double high = measured.mean() + (Double.isNaN(h) ? 0 : h);
    return tokensPerS >= low && tokensPerS <= high || Math.abs(tokensPerS / measured.mean() - 1) <= SpeculativePrediction.TOLERANCE;
  }

  /** "4 × 32 × 1000 / (412 + 31 × 9.11) = 183.2 t/s". */
  public String arithmetic() {
    return String.format(Locale.ROOT, "%d × %d × 1000 / (%s + %d × %s) = %s t/s", concurrency, generate, BatchCurve.ms(ttftMs), generate - 1,
        BatchCurve.ms(stepMs), Estimate.num(tokensPerS, 1));
  }
}
