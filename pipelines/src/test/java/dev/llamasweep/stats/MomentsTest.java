package dev.llamasweep.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Welford one sample at a time, Chan for partial results: checked against the two-pass textbook formulas. */
class MomentsTest {
  static double twoPassSd(double[] v) {
    double mean = 0;
    for (double x : v) mean += x;
    mean /= v.length;
    double ss = 0;
    for (double x : v) ss += (x - mean) * (x - mean);
    return Math.sqrt(ss / (v.length - 1));
  }

  @Test
  void welfordMatchesTwoPass() {
    double[] v = {2, 4, 4, 4, 5, 5, 7, 9};
    Moments m = Moments.of(v);
    assertEquals(5.0, m.mean(), 0);
    assertEquals(Math.sqrt(32.0 / 7.0), m.sd(), 1e-15);
    assertEquals(2, m.min(), 0);
    assertEquals(9, m.max(), 0);
  }

  @Test
  void largeOffsetsStayAccurate() {
    // the naive sum-of-squares formula loses every digit here; Welford keeps them
    double[] v = {1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16};
    assertEquals(twoPassSd(v), Moments.of(v).sd(), 1e-9);
    assertEquals(Math.sqrt(30), Moments.of(v).sd(), 1e-9);
  }

  @Test
  void mergingPartsGivesTheWhole() {
    Random r = new Random(7);
    double[] v = new double[1000];
    for (int i = 0; i < v.length; i++) v[i] = 50 + r.nextGaussian() * 3;
    Moments whole = Moments.of(v);
    for (int cut : new int[] {1, 17, 500, 999}) {
      Moments a = Moments.of(java.util.Arrays.copyOfRange(v, 0, cut));
      Moments b = Moments.of(java.util.Arrays.copyOfRange(v, cut, v.length));
      Moments ab = new Moments().merge(a).merge(b);
      assertEquals(whole.n(), ab.n());
      assertEquals(whole.mean(), ab.mean(), 1e-12);
      assertEquals(whole.sd(), ab.sd(), 1e-12);
      assertEquals(twoPassSd(v), ab.sd(), 1e-12);
      assertEquals(whole.min(), ab.min(), 0);
      assertEquals(whole.max(), ab.max(), 0);
    }
  }

  @Test
  void anEmptySideChangesNothingExactly() {
    Moments a = Moments.of(9.84, 9.87, 9.90);
    Moments before = new Moments(a.n(), a.mean(), a.m2(), a.min(), a.max());
    assertEquals(before, a.merge(new Moments()));
    assertEquals(before, new Moments().merge(a));
  }

  @Test
  void oneSampleHasNoSpread() {
    assertTrue(Double.isNaN(Moments.of(13.41).sd()));
    assertTrue(Double.isNaN(new Moments().mean()));
  }
}
