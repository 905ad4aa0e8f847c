package dev.llamasweep.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The derivations in shared/reference/seed-figures.md, from the blog's published inputs. */
class SeedFiguresTest {
  static final double QWEN3_8B_BYTES = 4.68 * Bandwidth.GIB;

  @Test
  void theoreticalPeaks() {
    assertEquals(89.6, Bandwidth.peakGBs(5600, 128), 1e-9);
    assertEquals(102.4, Bandwidth.peakGBs(6400, 128), 1e-9);
    assertEquals(179.2, Bandwidth.peakGBs(5600, 256), 1e-9);
    assertEquals("+14.3%", Estimate.signedPercent(Bandwidth.relativeChange(89.6, 102.4), 1));
    assertEquals("+100.0%", Estimate.signedPercent(Bandwidth.relativeChange(89.6, 179.2), 1));
  }

  @Test
  void modelSizeInGigabytes() {
    assertEquals(5.0251, QWEN3_8B_BYTES / 1e9, 5e-5);  // the blog's 4.68 GiB × 1.074
  }

  @ParameterizedTest
  @CsvSource({"9.87, 49.6, 55.4", "13.41, 67.4, 75.2"})
  void effectiveBandwidthAndUtilisation(double tg, double gbs, double util) {
    double eff = Bandwidth.effectiveGBs(QWEN3_8B_BYTES, tg);
    assertEquals(gbs, Math.round(eff * 10) / 10.0, 1e-9);
    assertEquals(util, Math.round(Bandwidth.utilisation(eff, 89.6) * 1000) / 10.0, 1e-9);
  }

  @Test
  void ceilings() {
    assertEquals(17.8, Math.round(Bandwidth.ceilingTps(89.6, 1.0, QWEN3_8B_BYTES) * 10) / 10.0, 1e-9);
    assertEquals(15.2, Math.round(Bandwidth.ceilingTps(89.6, 0.85, QWEN3_8B_BYTES) * 10) / 10.0, 1e-9);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "9.87, 13.41, +35.9%", "146, 322, +120.5%", "17.44, 23.43, +34.3%", "234, 390, +66.7%",
      "146, 207, +41.8%", "12.9, 21.2, +64.3%", "12.9, 22.0, +70.5%", "12.9, 22.9, +77.5%",
      "12.9, 23.5, +82.2%", "12.6, 17.6, +39.7%", "8.6, 11.7, +36.0%"})
  void relativeChanges(double before, double after, String expected) {
    assertEquals(expected, Estimate.signedPercent(Bandwidth.relativeChange(before, after), 1));
  }

  @Test
  void backendRatios() {
    // the seed's "Vulkan is 2.07× ROCm and 3.81× CPU" through our Comparison, with its verdict
    Estimate vulkan = new Estimate(5, 9.87, 0.03, 0, 0, 0);
    Comparison rocm = new Comparison(vulkan, new Estimate(5, 4.76, 0.05, 0, 0, 0));
    Comparison cpu = new Comparison(vulkan, new Estimate(5, 2.59, 0.02, 0, 0, 0));
    assertEquals("2.07", String.format(java.util.Locale.ROOT, "%.2f", rocm.ratio()));
    assertEquals("3.81", String.format(java.util.Locale.ROOT, "%.2f", cpu.ratio()));
    assertEquals(Comparison.Verdict.FASTER, rocm.verdict());
    assertEquals("+107.4%", rocm.formatChange().substring(0, rocm.formatChange().indexOf(' ')));
  }

  @Test
  void coefficientOfVariation() {
    assertEquals("0.30%", Estimate.percent(new Estimate(5, 9.87, 0.03, 0, 0, 0).cv(), 2));
    assertEquals("1.57%", Estimate.percent(new Estimate(5, 13.41, 0.21, 0, 0, 0).cv(), 2));
  }
}
