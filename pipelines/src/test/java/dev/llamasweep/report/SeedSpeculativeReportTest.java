package dev.llamasweep.report;

import dev.llamasweep.results.CellStatus;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llamasweep.TestSpecs;
import dev.llamasweep.execute.CellPlan;
import dev.llamasweep.llamacpp.BenchRecord;
import dev.llamasweep.results.CellData;
import dev.llamasweep.results.ResultFiles;
import dev.llamasweep.spec.Axis;
import dev.llamasweep.spec.Cell;
import dev.llamasweep.spec.Spec;
import dev.llamasweep.stats.Bandwidth;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The seed's speculative table (factorial prompt, performance profile) rendered from samples with its means. */
class SeedSpeculativeReportTest {
  @TempDir Path dir;

  static BenchRecord run(double mean, double spread, long drafted, long accepted) {
    List<Double> ts = List.of(mean - spread, mean, mean + spread);
    List<Long> ns = new ArrayList<>();
    for (double t : ts) ns.add(Math.round(256 / t * 1e9));
    return new BenchRecord("612db61", 7000, "", "", "", "", Math.round(4.68 * Bandwidth.GIB), 0, -1, -1, "", "", 0, 256, 40, "",
        ns, ts, List.of(drafted, drafted, drafted), List.of(accepted, accepted, accepted));
  }

  @Test
  void speedupsAcceptanceApparentBandwidthAndBestDraftMax() throws IOException {
    Files.writeString(dir.resolve("factorial.txt"), "Write a factorial in Go.");
    Path spec = Files.writeString(dir.resolve("seed.yaml"), """
        name: seed
        host: {memory: {transfer_rate_mts: 5600, bus_width_bits: 128}}
        backends: {vulkan: {bin: /vk, gpu_layers: 99}}
        models: {qwen3-8b: {path: /m/8b.gguf}, qwen3-0.6b: {path: /m/0.6b.gguf}}
        defaults: {repetitions: 3}
        experiments:
          - name: speculative
            bench: speculative
            grid: {model: qwen3-8b, draft: qwen3-0.6b, backend: vulkan, draft_max: [0, 4, 8, 16, 32],
                   prompt_file: factorial.txt, generate: 256}
            baseline: {draft_max: 0}
        """);
    Path data = dir.resolve("data/seed");
    TestSpecs.Planned planned = TestSpecs.plan(spec, data);
    Spec s = planned.spec();
    List<CellPlan> plans = planned.plans();
    Map<Long, double[]> seed = Map.of(0L, new double[] {12.9, 0.1, 0, 0}, 4L, new double[] {21.2, 0.2, 160, 130},
        8L, new double[] {22.0, 0.3, 200, 150}, 16L, new double[] {22.9, 0.4, 230, 160}, 32L, new double[] {23.5, 0.5, 240, 165});
    List<CellData> cd = new ArrayList<>();
    for (CellPlan p : plans) {
      double[] v = seed.get(p.params().draftMax());
      cd.add(dev.llamasweep.TestCells.data(p, CellStatus.OK, null, 10, "performance", List.of(run(v[0], v[1], (long) v[2], (long) v[3]))));
    }
    ResultFiles.write(data, cd);
    dev.llamasweep.TestSpecs.report(s, plans, data, dir.resolve("reports/seed"));
    String md = Files.readString(dir.resolve("reports/seed/report.md"));

    assertTrue(md.contains("| target alone (baseline) | 12.90 ± 0.10 | — |"), md);
    assertTrue(md.matches("(?s).*\\| \\+ qwen3-0.6b, draft-max=4 \\| 21.20 ± 0.20 \\| \\+64.3% \\(95% CI \\+[0-9.]+% to \\+[0-9.]+%\\) \\| 81.3% \\| 160 / 130 \\|.*"), md);
    assertTrue(md.contains("+70.5%"), md);
    assertTrue(md.contains("+77.5%"), md);
    assertTrue(md.contains("+82.2%"), md);
    // 1.643 × sqrt((0.2/21.2)² + (0.1/12.9)²) = 0.020: the ± is the propagated sd of the ratio
    // apparent bandwidth beyond the 89.6 GB/s wall: the target is read once per verified batch
    assertTrue(md.contains("5.0251 GB × 23.50 t/s = 118.09 GB/s (1.32× the wall: only apparent, the target's weights are read once per verified batch)"), md);
    assertTrue(md.contains("**Best: draft-max 32**, +82.2%"), md);
    // 22.9 ± 0.4 vs 23.5 ± 0.5 over 3 runs each: −2.6%, 95% CI −6.9% to +1.8% includes 0, so 16 is as good
    assertTrue(md.contains("Inside the noise of it, so as good: draft-max 16 (22.90 t/s, -2.6% (95% CI -6.9% to +1.8%), within noise)"), md);
  }
}
