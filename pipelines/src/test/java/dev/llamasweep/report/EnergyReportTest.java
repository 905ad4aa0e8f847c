package dev.llamasweep.report;

import dev.llamasweep.results.CellStatus;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llamasweep.TestSpecs;
import dev.llamasweep.execute.CellPlan;
import dev.llamasweep.host.PowerTrace;
import dev.llamasweep.llamacpp.BenchJsonl;
import dev.llamasweep.llamacpp.BenchRecord;
import dev.llamasweep.results.CellData;
import dev.llamasweep.results.ResultFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The H100 run's power trace becomes an "Energy and heat" row a reader can check by hand. */
class EnergyReportTest {
  @TempDir Path dir;

  @Test
  void joulesPerTokenAreShownWithTheirArithmetic() throws Exception {
    Path spec = Files.writeString(dir.resolve("e.yaml"), """
        name: energy
        backends: {cuda: {bin: /tmp, gpu_layers: 99}}
        models: {m: {path: /m/mha7b.gguf}}
        defaults: {prompt: 0, generate: 512, repetitions: 3}
        experiments:
          - {name: e, grid: {model: m, backend: cuda}}
        """);
    Path data = dir.resolve("data/energy");
    TestSpecs.Planned planned = TestSpecs.plan(spec, data);
    CellPlan p = planned.plans().get(0);
    List<BenchRecord> run = BenchJsonl.parse(read("/h100/llama-bench-tg512-during-power-trace.jsonl"), "fixture");
    List<PowerTrace.Sample> s = PowerTrace.parseNvidiaSmi(read("/h100/nvidia-smi-power-trace.csv"), ZoneOffset.UTC);
    var power = dev.llamasweep.host.PowerSamplerTestAccess.summarize(s, run,
        Instant.ofEpochMilli(Math.round(s.get(0).t() * 1000)), Instant.ofEpochMilli(Math.round(s.get(s.size() - 1).t() * 1000)));
    ResultFiles.write(data, List.of(dev.llamasweep.TestCells.dataWithPower(p, CellStatus.OK, null, 6, null, run, null, power)));
    dev.llamasweep.TestSpecs.report(planned.spec(), planned.plans(), data, dir.resolve("reports/energy"));
    String md = Files.readString(dir.resolve("reports/energy/report.md"));
    assertTrue(md.contains("### Energy and heat"), md);
    assertTrue(md.contains("| 1962.58 J / 1536 tokens = 1.278 J | 0.783 | 431.1 | 476.8 | 50.0 |"), md);
    assertTrue(md.contains("| tg512 | 1.28 ± 0.21"), md);
  }

  static String read(String name) throws IOException {
    try (var in = EnergyReportTest.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
