package dev.llamasweep.stats;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** No printed verdict contradicts its printed interval, over many random pairs of measurements. */
class VerdictConsistencyTest {
  static final Pattern PRINTED = Pattern.compile("^([+-]\\d+\\.\\d)% \\(95% CI ([+-]\\d+\\.\\d)% to ([+-]\\d+\\.\\d)%\\)$");

  @Test
  void verdictsAgreeWithTheirIntervals() {
    SplittableRandom r = new SplittableRandom(9);
    java.util.Map<String, Integer> seen = new java.util.TreeMap<>();
    for (int i = 0; i < 20_000; i++) {
      int na = 2 + r.nextInt(10);
      int nb = 2 + r.nextInt(10);
      double a = 1 + r.nextDouble() * 100;
      double b = a * (0.9 + r.nextDouble() * 0.2);
      Comparison c = new Comparison(new Estimate(nb, b, b * r.nextDouble() * 0.1, b, b, b), new Estimate(na, a, a * r.nextDouble() * 0.1, a, a, a));
      Matcher m = PRINTED.matcher(c.formatChange());
      assertTrue(m.matches(), c.formatChange());
      double change = Double.parseDouble(m.group(1));
      double low = Double.parseDouble(m.group(2));
      double high = Double.parseDouble(m.group(3));
      String v = c.verdictWord();
      switch (v) {
        case "faster" -> assertTrue(low >= 0 && change >= 1.0, v + " " + c.formatChange());
        case "slower" -> assertTrue(high <= 0 && change <= -1.0, v + " " + c.formatChange());
        case "within noise" -> assertTrue(low <= 0.05 && high >= -0.05 || Math.abs(change) <= 1.05, v + " " + c.formatChange());
        default -> throw new AssertionError("every side has spread here: " + v);
      }
      seen.merge(v, 1, Integer::sum);
    }
    // the random cases reach every verdict, so each rule above was checked, not just the easy one
    assertTrue(seen.keySet().equals(java.util.Set.of("faster", "slower", "within noise")) && seen.values().stream().allMatch(n -> n >= 100),
        "verdicts seen: " + seen);
  }

  @Test
  void theSeedsMmapAndCompareExamplesFollowTheRule() {
    // "+17.8% ± 19.6%" was once printed as "faster": with n = 3 per side that interval includes 0
    Comparison c = new Comparison(new Estimate(3, 11.78, 2.0, 0, 0, 0), new Estimate(3, 10.0, 0.5, 0, 0, 0));
    assertTrue(c.formatChange().startsWith("+17.8% (95% CI -"), c.formatChange());
    assertTrue(c.verdictWord().equals("within noise"), c.verdictWord());
  }
}
