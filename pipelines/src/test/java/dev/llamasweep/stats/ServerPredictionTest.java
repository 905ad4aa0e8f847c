package dev.llamasweep.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A server round predicted from a batch curve, on hand-computed cases. */
class ServerPredictionTest {
  /** B = 1 at 200 t/s (a 5 ms step) and B = 4 at 400 t/s (a 10 ms step). */
  static final BatchCurve CURVE = new BatchCurve(List.of(new BatchCurve.Point(1, new Estimate(5, 200, 2, 197, 203, 200, false)),
      new BatchCurve.Point(4, new Estimate(5, 400, 4, 395, 405, 400, false))), new BatchCurve.Terms(null, 0, null, 0, 0, 0, null, null, null, null));

  @Test
  void aMeasuredLevelIsTtftPlusTheRestAtTheCurvesStep() {
    ServerPrediction p = ServerPrediction.of(4, 32, CURVE, 100).orElseThrow();
    assertEquals(10.0, p.stepMs(), 1e-12);
    assertFalse(p.interpolated());
    // 4 × 32 × 1000 / (100 + 31 × 10) = 128000 / 410
    assertEquals(312.1951219512195, p.tokensPerS(), 1e-9);
    assertEquals("4 × 32 × 1000 / (100 + 31 × 10.0) = 312.2 t/s", p.arithmetic());
  }

  @Test
  void aLevelBetweenMeasuredPointsIsInterpolatedAndOneOutsideIsNotPredicted() {
    ServerPrediction p = ServerPrediction.of(2, 8, CURVE, 20).orElseThrow();
    assertEquals(5 + 5.0 / 3, p.stepMs(), 1e-12);
    assertTrue(p.interpolated());
    assertEquals(2 * 8 * 1000 / (20 + 7 * (5 + 5.0 / 3)), p.tokensPerS(), 1e-9);
    assertTrue(ServerPrediction.of(8, 32, CURVE, 100).isEmpty(), "B = 8 is past the curve");
    assertTrue(ServerPrediction.of(1, 32, CURVE, Double.NaN).isEmpty(), "no time to first token, no prediction");
  }

  @Test
  void itAgreesInsideTheMeasuredIntervalOrWithinFifteenPercent() {
    ServerPrediction p = ServerPrediction.of(4, 32, CURVE, 100).orElseThrow();  // 312.2 t/s
    assertTrue(p.agrees(new Estimate(5, 280, 1, 279, 281, 280, false)), "312.2 / 280 − 1 = 11.5% ≤ 15%");
    assertFalse(p.agrees(new Estimate(5, 260, 1, 259, 261, 260, false)), "312.2 / 260 − 1 = 20% and far outside its interval");
    assertTrue(p.agrees(new Estimate(5, 260, 50, 200, 320, 260, false)), "inside 260 ± 62.1");
  }
}
