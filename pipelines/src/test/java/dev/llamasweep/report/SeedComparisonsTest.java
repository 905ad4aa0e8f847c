package dev.llamasweep.report;

import dev.llamasweep.results.CellStatus;
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

/** The seed's profile, backend and mmap findings, computed by the report from samples with the blog's means and sds. */
class SeedComparisonsTest {
  @TempDir Path dir;

  /** Three samples m − s, m, m + s: mean m, sample sd s. */
  static BenchRecord rec(long nPrompt, long nGen, double m, double s) {
    List<Double> ts = List.of(m - s, m, m + s);
    List<Long> ns = new ArrayList<>();
    for (double t : ts) ns.add(Math.round((nPrompt + nGen) / t * 1e9));
    return new BenchRecord("612db61", 7000, "Vulkan", "", "", "", Math.round(4.68 * Bandwidth.GIB), 0, 24, 99, "1", "mmap",
        nPrompt, nGen, 0, "", ns, ts);
  }

  @Test
  void profileBackendAndMmapComparisons() throws IOException {
    Path spec = Files.writeString(dir.resolve("seed.yaml"), """
        name: seed
        host: {memory: {transfer_rate_mts: 5600, bus_width_bits: 128}}
        backends: {vulkan: {bin: /vk, gpu_layers: 99}, rocm: {bin: /rocm, gpu_layers: 99}, cpu: {bin: /cpu, gpu_layers: 0}}
        models: {qwen3-8b: {path: /m/8b.gguf}}
        defaults: {repetitions: 3, flash_attn: true}
        experiments:
          - name: profiles
            grid: {model: qwen3-8b, backend: vulkan, profile: [power-saver, performance]}
          - name: backends
            grid: {model: qwen3-8b, backend: [vulkan, rocm, cpu], profile: power-saver}
          - name: mmap
            grid: {model: qwen3-8b, backend: vulkan, mmap: [true, false], prompt: 0}
        """);
    Path data = dir.resolve("data/seed");
    TestSpecs.Planned planned = TestSpecs.plan(spec, data);
    Spec s = planned.spec();
    List<CellPlan> plans = planned.plans();
    List<CellData> cd = new ArrayList<>();
    for (CellPlan p : plans) {
      String backend = p.params().backend();
      Object profile = p.params().profile();
      Object mmap = p.params().get(dev.llamasweep.spec.Axis.MMAP);
      List<BenchRecord> recs;
      if (mmap != null) {
        recs = List.of(Boolean.TRUE.equals(mmap) ? rec(0, 128, 11.44, 0.47) : rec(0, 128, 11.26, 0.22));
      } else if ("performance".equals(profile)) {
        recs = List.of(rec(512, 0, 322, 9), rec(0, 128, 13.41, 0.21));
      } else {
        recs = switch (backend) {
          case "vulkan" -> List.of(rec(512, 0, 146, 21), rec(0, 128, 9.87, 0.03));
          case "rocm" -> List.of(rec(512, 0, 207, 5), rec(0, 128, 4.76, 0.05));
          default -> List.of(rec(512, 0, 132, 4), rec(0, 128, 2.59, 0.02));
        };
      }
      cd.add(dev.llamasweep.TestCells.data(p, CellStatus.OK, null, 10, profile == null ? "performance" : profile.toString(), recs));
    }
    ResultFiles.write(data, cd);
    dev.llamasweep.TestSpecs.report(s, plans, data, dir.resolve("reports/seed"));
    String md = Files.readString(dir.resolve("reports/seed/report.md"));

    // "pp more than doubles, tg gains 34-36%"
    assertTrue(md.contains("| pp512 | 146.0 ± 21.0 | 322.0 ± 9.0 | +120.5% (95% CI +"), md);
    assertTrue(md.contains("| tg128 | 9.87 ± 0.03 | 13.41 ± 0.21 | +35.9% (95% CI +"), md);
    assertTrue(md.matches("(?s).*\\| tg128 \\| 9.87 ± 0.03 \\| 13.41 ± 0.21 \\| [^|]* \\| faster \\(the 95% interval excludes 0.*"), md);
    // "Vulkan is 2x faster at text generation"; "CPU is 4x slower than Vulkan on tg"
    assertTrue(md.contains("tg128: **vulkan** is 2.07× rocm (9.87 vs 4.76 t/s), 3.81× cpu (9.87 vs 2.59 t/s)."), md);
    // "ROCm is 41% faster at prompt processing"
    // with 3 runs and Vulkan's pp sd of 21 t/s, 1.42× is inside the 95% interval of no change (t = 4.2 at ~2 df):
    // the seed's "41% faster" needs more repetitions to be a verdict; against the steadier CPU it is one
    assertTrue(md.contains("pp512: **rocm** is 1.42× vulkan (207.0 vs 146.0 t/s, within noise), 1.57× cpu (207.0 vs 132.0 t/s)."), md);
    // mmap: "Within noise"
    assertTrue(md.matches("(?s).*\\| tg128 \\| 11.44 ± 0.47 \\| 11.26 ± 0.22 \\| -1.6% \\(95% CI -[0-9.]+% to \\+[0-9.]+%\\) \\| within noise \\(the 95% interval includes 0\\) \\|.*"), md);
    // power-saver is steadier
    assertTrue(md.contains("| power-saver | 14.38% | 0.30% |"), md);
    assertTrue(md.contains("| performance | 2.80% | 1.57% |"), md);
  }
}
