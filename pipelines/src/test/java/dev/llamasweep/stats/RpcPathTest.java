package dev.llamasweep.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RpcPathTest {
  static Estimate of(double... v) {
    return Summaries.of(v);
  }

  @Test
  void thePathIsTheDifferenceInTimePerTokenAndItsShareOneMinusTheRatioOfRates() {
    // split 74.31 t/s (13.457 ms), local 169.9 t/s (5.886 ms): the path 7.571 ms, 56.3% of the split token
    RpcPath p = RpcPath.of(of(74.31, 74.31), of(169.9, 169.9));
    assertEquals(1000 / 74.31, p.splitMs(), 1e-9);
    assertEquals(1000 / 169.9 , p.localMs(), 1e-9);
    assertEquals(1000 / 74.31 - 1000 / 169.9, p.pathMs(), 1e-9);
    assertEquals(1 - 74.31 / 169.9, p.share(), 1e-12);
    assertEquals(p.pathMs() / p.splitMs(), p.share(), 1e-12, "the same share either way");
    assertTrue(p.bounds());
    assertEquals(p.pathMs() * 1000 / 50, p.roundTripsWorth(50), 1e-9);
  }

  @Test
  void aPathUnderHalfOfTheTokenIsNotItsBoundAndItsIntervalComesFromTheRatio() {
    RpcPath p = RpcPath.of(of(120, 124, 126), of(168, 170, 172));
    assertFalse(p.bounds());
    double[] ci = p.shareInterval();
    double half = new Comparison(of(120, 124, 126), of(168, 170, 172)).ratioCi95();
    assertEquals(1 - (p.rates().ratio() + half), ci[0], 1e-12);
    assertEquals(1 - (p.rates().ratio() - half), ci[1], 1e-12);
    assertTrue(ci[0] < p.share() && p.share() < ci[1]);
  }
}
