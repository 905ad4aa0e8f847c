package dev.llamasweep.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A batch curve's floors, ridge, knee and bounds on hand-computed figures. */
class BatchCurveTest {
  /** 1 ms fixed; 1 GB of weights and 1 MB of KV per sequence at 100 GB/s; 2 GFLOP per token at 1 TFLOP/s. */
  static final BatchCurve.Terms TERMS = new BatchCurve.Terms(1.0, 0, 1e9, 0, 0, 0, 1e6, 100.0, 2e9, 1.0);

  static BatchCurve.Point point(long b, double stepMs) {
    double ts = 1000.0 * b / stepMs;
    return new BatchCurve.Point(b, new Estimate(3, ts, 0, ts, ts, ts));
  }

  @Test
  void floorsAndTheirCrossing() {
    assertEquals(1 + 10.01, TERMS.memoryFloorMs(1), 1e-9);          // 1 ms + (1 GB + 1 MB) / 100 GB/s
    assertEquals(1 + 10 + 0.16, TERMS.memoryFloorMs(16), 1e-9);     // the weights once, 16 sequences' KV
    assertEquals(2 * 16, TERMS.computeFloorMs(16), 1e-9);           // 16 × 2 GFLOP / 1 TFLOP/s
    // 2B ≥ 11 + 0.01B first at B = 6 (12 ≥ 11.06; at 5, 10 < 11.05)
    assertEquals(Optional.of(6L), TERMS.ridge(256));
    assertEquals(Optional.empty(), new BatchCurve.Terms(1.0, 0, 1e9, 0, 0, 0, 1e6, 100.0, 2e9, null).ridge(256), "no compute wall: no ridge");
    assertEquals(Optional.empty(), TERMS.ridge(5), "beyond the sequences llama.cpp can decode");
  }

  @Test
  void aMixtureOfExpertsReadsMoreExpertsAsBGrows() {
    BatchCurve.Terms moe = new BatchCurve.Terms(1.0, 0, 1e9, 8_000_000_000L, 2, 8, 0.0, 100.0, 2e9, 1.0);
    assertEquals(1e9 + 8e9 * 0.25, moe.weightBytes(1), 1);           // one token: 2 of 8 experts
    assertEquals(1e9 + 8e9 * (1 - 0.75 * 0.75), moe.weightBytes(2), 1);
    assertEquals(9e9, moe.weightBytes(256), 1e3, "enough tokens hit every expert");
  }

  @Test
  void kneeBoundsAndInterpolation() {
    BatchCurve c = new BatchCurve(List.of(point(1, 12), point(8, 20), point(16, 36)), TERMS);
    assertEquals(16, c.knee().orElseThrow().batch());                 // 36 ≥ 2 × 12; 20 < 24
    assertEquals("knee at B = 16: t(16) = 36.0 ms ≥ 2 × t(1) = 2 × 12.0 ms", c.kneeArithmetic());
    // B = 1: the memory floor (11.01) is the larger; 1.001 GB moved in 11 ms = 91 GB/s, over half the wall
    assertEquals(BatchCurve.Bound.MEMORY, c.bound(c.at(1).orElseThrow()));
    // B = 16: the compute floor (32) is the larger; 32 GFLOP in 36 ms = 0.889 TFLOP/s, over half the rate
    assertEquals(0.8888889, c.achievedTflops(c.at(16).orElseThrow()), 1e-6);
    assertEquals(BatchCurve.Bound.COMPUTE, c.bound(c.at(16).orElseThrow()));
    assertEquals(12 + 3.0 / 7 * 8, c.stepMsAt(4).orElseThrow(), 1e-12);
    assertFalse(c.measuredAt(4));
    assertTrue(c.measuredAt(8));
    assertEquals(Optional.empty(), c.stepMsAt(17));

    BatchCurve slow = new BatchCurve(List.of(point(1, 12), point(8, 40)), TERMS);
    assertEquals(BatchCurve.Bound.BELOW_COMPUTE_WALL, slow.bound(slow.at(8).orElseThrow()));   // 16 GFLOP in 40 ms = 0.4 TFLOP/s
    BatchCurve fast = new BatchCurve(List.of(point(1, 12), point(16, 20)), TERMS);
    assertEquals(BatchCurve.Bound.ABOVE_COMPUTE_WALL, fast.bound(fast.at(16).orElseThrow()));  // 1.6 TFLOP/s beats the 1 TFLOP/s wall
    assertTrue(fast.beatsComputeFloor(fast.at(16).orElseThrow()));
    BatchCurve flat = new BatchCurve(List.of(point(1, 12), point(8, 20)), TERMS);
    assertEquals("no knee up to B = 8: t(8) = 20.0 ms < 2 × t(1) = 2 × 12.0 ms, so every measured B still came nearly free", flat.kneeArithmetic());
    BatchCurve unknown = new BatchCurve(List.of(point(1, 12)), new BatchCurve.Terms(null, 0, null, 0, 0, 0, null, null, null, null));
    assertEquals(BatchCurve.Bound.NOT_DECOMPOSED, unknown.bound(unknown.at(1).orElseThrow()));
  }

  @Test
  void aSpeculativeArmPredictedFromTwoCurves() {
    // 256 tokens, 240 drafted and all accepted: 16 steps of 16 tokens, drafts of 15
    BatchCurve draft = new BatchCurve(List.of(point(1, 1.5)), TERMS);
    BatchCurve target = new BatchCurve(List.of(point(1, 6), point(16, 48)), TERMS);
    SpeculativePrediction p = SpeculativePrediction.of(256, 240, 240, draft, target, new Estimate(3, 125, 0, 125, 125, 125)).orElseThrow();
    assertEquals(16, p.tokensPerStep(), 1e-12);
    assertEquals(15, p.draftLength(), 1e-12);
    assertEquals(1, p.alpha());
    assertEquals(2, p.serverOverheadMs(), 1e-12);                    // 8 ms alone on the server, 6 on the curve
    assertEquals(15 * 1.5 + 48 + 2, p.stepMs(), 1e-9);               // 72.5 ms
    assertEquals(16 * 8 / 72.5, p.predicted(), 1e-9);                // 1.7655×
    assertFalse(p.verifyInterpolated());
    assertTrue(p.agrees(1.6, 1.5, 1.7), "within 15% of the measured 1.6× (1.766 / 1.6 = 1.10)");
    assertTrue(p.agrees(1.6, 1.4, 1.8), "inside the measured interval");
    assertFalse(p.agrees(1.4, 1.3, 1.5));
    assertEquals(0.5, SpeculativePrediction.alphaFor((1 - Math.pow(0.5, 5)) / 0.5, 4), 1e-9);
    assertEquals(Optional.empty(), SpeculativePrediction.of(256, 240, 240, draft, new BatchCurve(List.of(point(1, 6), point(8, 20)), TERMS),
        new Estimate(3, 125, 0, 125, 125, 125)), "B = 16 lies beyond the target's curve");
  }
}
