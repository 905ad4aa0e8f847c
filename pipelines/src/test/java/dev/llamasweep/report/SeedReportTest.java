package dev.llamasweep.report;

import dev.llamasweep.results.CellStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llamasweep.TestSpecs;
import dev.llamasweep.execute.CellPlan;
import dev.llamasweep.llamacpp.BenchRecord;
import dev.llamasweep.results.CellData;
import dev.llamasweep.results.ResultFiles;
import dev.llamasweep.spec.Cell;
import dev.llamasweep.spec.Spec;
import dev.llamasweep.stats.Bandwidth;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed's profile table rendered end to end from llama-bench-style records whose samples have
 * the blog's means: the report must print the blog's derivations, checkable by hand.
 */
class SeedReportTest {
  @TempDir Path dir;

  static BenchRecord record(long nPrompt, long nGen, double... ts) {
    List<Double> samples = new ArrayList<>();
    List<Long> ns = new ArrayList<>();
    for (double t : ts) {
      samples.add(t);
      ns.add(Math.round((nPrompt + nGen) / t * 1e9));
    }
    return new BenchRecord("612db61", 7000, "Vulkan", "AMD Ryzen AI 9 HX 370", "Radeon 890M", "qwen3 8B Q4_K - Medium",
        Math.round(4.68 * Bandwidth.GIB), 8_190_735_360L, 24, 99, "enabled", "mmap", nPrompt, nGen, 0, "", ns, samples);
  }

  @Test
  void profileTableWithBandwidthUtilisationAndCeilings() throws IOException {
    Path spec = dir.resolve("seed.yaml");
    Files.writeString(spec, """
        name: seed
        host: {memory: {transfer_rate_mts: 5600, bus_width_bits: 128}}
        backends: {vulkan: {bin: /opt/vk, gpu_layers: 99}}
        models: {qwen3-8b: {path: /m/Qwen3-8B-Q4_K_M.gguf}, missing: {path: /m/other.gguf}}
        defaults: {repetitions: 3}
        experiments:
          - name: profiles
            grid: {model: [qwen3-8b, missing], backend: [vulkan], profile: [power-saver, performance]}
        """);
    Path data = dir.resolve("data/seed");
    TestSpecs.Planned planned = TestSpecs.plan(spec, data);
    Spec s = planned.spec();
    List<CellPlan> plans = planned.plans();

    // power-saver: pp 146 ± 21-ish, tg 9.87 ± 0.03; performance: pp 322, tg 13.41 ± 0.21
    // plans run grouped by profile; pick them by their parameters
    java.util.function.BiFunction<String, String, CellPlan> cell = (model, profile) -> plans.stream()
        .filter(p -> model.equals(p.params().model()) && profile.equals(p.params().profile())).findFirst().orElseThrow();
    List<CellData> cd = List.of(
        dev.llamasweep.TestCells.data(cell.apply("qwen3-8b", "power-saver"), CellStatus.OK, null, 10, "balanced",
            List.of(record(512, 0, 125, 146, 167), record(0, 128, 9.84, 9.87, 9.90))),
        dev.llamasweep.TestCells.data(cell.apply("qwen3-8b", "performance"), CellStatus.OK, null, 10, "performance",
            List.of(record(512, 0, 313, 322, 331), record(0, 128, 13.20, 13.41, 13.62))),
        dev.llamasweep.TestCells.data(cell.apply("missing", "power-saver"), CellStatus.FAILED, "exit 1: llama_model_load: error loading model", 0, null, List.of()),
        dev.llamasweep.TestCells.data(cell.apply("missing", "performance"), CellStatus.MISSING, "not run yet", 0, null, List.of()));
    ResultFiles.write(data, cd);
    dev.llamasweep.TestSpecs.report(s, plans, data, dir.resolve("reports/seed"));
    String md = Files.readString(dir.resolve("reports/seed/report.md"));

    assertTrue(md.contains("5600 MT/s × 128 bit / 8 = 89,600 MB/s = **89.6 GB/s**"), md);
    // the findings open with the experiment's verdict: the model axis has no pair that ran, the profile axis does
    // (13.41 / 9.87 − 1 = +35.9%; 322 / 146 − 1 = +120.5%)
    assertTrue(md.contains("## Findings\n\n"), md);
    assertTrue(md.contains("\n- **profiles** (profile power-saver → performance): tg128 +35.9% (faster), pp512 +120.5% (faster).\n"), md);
    assertTrue(md.indexOf("## Findings") < md.indexOf("## Memory bandwidth walls"), "the findings first, then the evidence");
    // mean ± sd [95% CI]: 146 ± 4.303 × 21/√3 = [93.8, 198.2]; 9.87 ± 4.303 × 0.03/√3 = [9.80, 9.94]
    assertTrue(md.contains("| 146.0 ± 21.0 [93.8, 198.2] ⚠ | 9.87 ± 0.03 [9.80, 9.94] |"), md);
    assertTrue(md.contains("| 322.0 ± 9.0 [299.6, 344.4] | 13.41 ± 0.21 [12.89, 13.93] |"), md);
    // warnings grouped by cause: what to do said once, then each cell and test with its figure
    assertTrue(md.contains("- ⚠ **HIGH_CV** — re-run on a quiet machine, or raise repetitions:\n  - `"), md);
    assertTrue(md.matches("(?s).*\n  - `[0-9a-f]{12}` pp512: the standard deviation is 14\\.4% of the mean\n.*"), md);
    assertTrue(md.contains("5,025,111,736 B = 4.6800 GiB = 5.0251 GB"), md);
    assertTrue(md.contains("5.0251 GB × 9.87 t/s = **49.60 GB/s**"), md);
    assertTrue(md.contains("49.60 / 89.6 = 55.4%"), md);
    assertTrue(md.contains("5.0251 GB × 13.41 t/s = **67.39 GB/s**"), md);
    assertTrue(md.contains("67.39 / 89.6 = 75.2%"), md);
    assertTrue(md.contains("89.6 / 5.0251 = 17.8 t/s"), md);
    assertTrue(md.contains("89.6 × 0.85 / 5.0251 = 15.2 t/s"), md);
    // partial data: the failed and the never-run cells show why, never a number
    assertTrue(md.contains("**failed: exit 1: llama_model_load: error loading model**"), md);
    assertTrue(md.contains("**missing: not run yet**"), md);
    assertFalse(md.contains("| 0.00 ±"), md);
    // the power-saver cell ran under another profile than it asked for: the report says so
    assertTrue(md.contains("| power-saver (observed: balanced) |"), md);
    assertTrue(md.contains("| vulkan | performance | 322.0"), md);

    List<String> summary = Files.readAllLines(dir.resolve("reports/seed/summary.csv"));
    assertEquals(1 + 4 + 2, summary.size(), String.join("\n", summary));
    assertTrue(summary.stream().anyMatch(l -> l.contains(",tg128,3,9.87") && l.contains(",89.6,")), String.join("\n", summary));
  }
}
