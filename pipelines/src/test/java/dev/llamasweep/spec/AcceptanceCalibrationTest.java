package dev.llamasweep.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The synthetic target's perturbation for a wanted acceptance, and the names its files go by. */
class AcceptanceCalibrationTest {
  @Test
  void anAcceptanceBetweenCalibratedPointsIsInterpolatedLinearly() {
    assertEquals(0, AcceptanceCalibration.perturbationFor(1.0));
    assertEquals(8, AcceptanceCalibration.perturbationFor(0.819));
    // 0.8 lies between ε = 8 (0.819) and ε = 10 (0.701): 8 + 2 × 0.019 / 0.118
    assertEquals(Math.round((8 + 2 * 0.019 / 0.118) * 10000) / 10000.0, AcceptanceCalibration.perturbationFor(0.8));
    assertEquals(0.154, AcceptanceCalibration.LOWEST);
    assertThrows(IllegalArgumentException.class, () -> AcceptanceCalibration.perturbationFor(0.1));
  }

  @Test
  void eachPerturbationIsItsOwnKindAndReadsBack() {
    assertEquals("target", AcceptanceCalibration.kindFor(0));
    assertEquals("target-e8.322", AcceptanceCalibration.kindFor(8.322));
    assertEquals("target-e12", AcceptanceCalibration.kindFor(12.0));
    assertEquals(8.322, AcceptanceCalibration.perturbationOf("target-e8.322"));
    assertEquals(0, AcceptanceCalibration.perturbationOf("target"));
    assertEquals(Double.NaN, AcceptanceCalibration.perturbationOf("draft"));
    assertEquals(Double.NaN, AcceptanceCalibration.perturbationOf("target-ex"));
  }
}
