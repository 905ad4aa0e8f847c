package dev.llamasweep.report;

import dev.llamasweep.results.CellStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llamasweep.TestSpecs;
import dev.llamasweep.execute.CellPlan;
import dev.llamasweep.llamacpp.BenchJsonl;
import dev.llamasweep.llamacpp.BenchRecord;
import dev.llamasweep.results.CellData;
import dev.llamasweep.results.ResultFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Drift anchors, energy per token in a profile comparison, and a spec's own verdict threshold, as a reader sees them. */
class DriftAndEnergyReportTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private TestSpecs.Planned planned(String extra) throws Exception {
    Path spec = Files.writeString(dir.resolve("t.yaml"), """
        name: trust
        backends: {cpu: {bin: /tmp}}
        models: {m: {path: /m/mha7b.gguf}}
        defaults: {prompt: 0, generate: 128, repetitions: 5}
        profile_policy: record
        """ + extra + """
        experiments:
          - {name: profiles, grid: {model: m, backend: cpu, profile: [power-saver, performance]}}
        """);
    return TestSpecs.plan(spec, dir.resolve("data/trust"));
  }

  /** The fixture's llama-bench record with other samples (t/s); samples_ns follow from them for 128 tokens. */
  static BenchRecord record(double... ts) throws Exception {
    return BenchJsonl.parse(rawLine(ts) + "\n", "test").get(0);
  }

  static String rawLine(double... ts) throws Exception {
    String line = EnergyReportTest.read("/h100/llama-bench-tg512-during-power-trace.jsonl").lines().findFirst().orElseThrow();
    ObjectNode n = (ObjectNode) JSON.readTree(line);
    n.put("n_gen", 128);
    ArrayNode sts = n.putArray("samples_ts");
    ArrayNode sns = n.putArray("samples_ns");
    double sum = 0;
    for (double t : ts) {
      sts.add(t);
      sns.add(Math.round(128 / t * 1e9));
      sum += t;
    }
    n.put("avg_ts", sum / ts.length);
    return JSON.writeValueAsString(n);
  }

  static String power(double... jPerToken) {
    ObjectNode p = JSON.createObjectNode();
    p.put("source", "rapl:package-0");
    p.put("test", "tg128");
    ArrayNode a = p.putArray("j_per_token_per_rep");
    double sum = 0;
    for (double j : jPerToken) {
      a.add(j);
      sum += j;
    }
    p.put("j_per_token", sum / jPerToken.length);
    p.put("energy_j", sum * 128);
    p.put("tokens", 128L * jPerToken.length);
    p.put("tokens_per_j", jPerToken.length / sum);
    return p.toString();
  }

  private String render(TestSpecs.Planned t, List<CellData> cells) throws Exception {
    Path data = dir.resolve("data/trust");
    ResultFiles.write(data, cells);
    dev.llamasweep.TestSpecs.report(t.spec(), t.plans(), data, dir.resolve("reports/trust"));
    return Files.readString(dir.resolve("reports/trust/report.md"));
  }

  @Test
  void energyPerTokenIsComparedAcrossProfilesWithItsInterval() throws Exception {
    TestSpecs.Planned t = planned("");
    CellPlan saver = t.plans().get(0);
    CellPlan perf = t.plans().get(1);
    String md = render(t, List.of(
        dev.llamasweep.TestCells.data(saver, CellStatus.OK, null, 5, "power-saver", List.of(record(10.0, 10.1, 9.9, 10.0, 10.05)), null, power(2.00, 2.02, 1.98, 2.01, 1.99)),
        dev.llamasweep.TestCells.data(perf, CellStatus.OK, null, 5, "performance", List.of(record(12.0, 12.1, 11.9, 12.0, 12.05)), null, power(2.60, 2.62, 2.58, 2.61, 2.59))));
    assertTrue(md.contains("| tg128 | 10.01 ± 0.07 | 12.01 ± 0.07 | +20.0% (95% CI"), md);
    // 2.60 / 2.00 − 1 = +30%: more energy per token for 20% more speed
    assertTrue(md.contains("| J/token (tg128) | 2.00 ± 0.02 J | 2.60 ± 0.02 J | +30.0% (95% CI +28.6% to +31.4%)"), md);
    assertTrue(md.contains("more energy per token (the 95% interval excludes 0 and the change is at least 1%)"), md);
  }

  @Test
  void theSpecsThresholdDecidesWhatCountsAsReal() throws Exception {
    TestSpecs.Planned t = planned("threshold_pct: 25\n");
    assertEquals(0.25, t.spec().threshold(), 1e-12);
    String md = render(t, List.of(
        dev.llamasweep.TestCells.data(t.plans().get(0), CellStatus.OK, null, 5, "power-saver", List.of(record(10.0, 10.1, 9.9, 10.0, 10.05)), null, null),
        dev.llamasweep.TestCells.data(t.plans().get(1), CellStatus.OK, null, 5, "performance", List.of(record(12.0, 12.1, 11.9, 12.0, 12.05)), null, null)));
    // +20% is far outside the noise, but smaller than the 25% this spec calls worth reporting
    assertTrue(md.contains("within noise (smaller than the 25% threshold)"), md);
    assertTrue(md.contains("is at least 25% (threshold_pct in the spec)"), md);
  }

  private void anchor(Path data, String name, String cell, Instant start, double... ts) throws Exception {
    Path d = Files.createDirectories(data.resolve("drift").resolve(name));
    Files.writeString(d.resolve("stdout.jsonl"), JSON.writeValueAsString(JSON.readTree(rawLine(ts))) + "\n");
    ObjectNode a = JSON.createObjectNode();
    a.put("anchor", cell);
    a.put("why", "test");
    a.put("status", "ok");
    a.put("started", start.toString());
    a.put("ended", start.plusSeconds(10).toString());
    JSON.writeValue(d.resolve("anchor.json").toFile(), a);
  }

  private void times(Path data, CellPlan c, Instant start) throws Exception {
    Path d = Files.createDirectories(data.resolve("raw").resolve(c.id()));
    ObjectNode r = JSON.createObjectNode();
    r.put("id", c.id());
    r.put("status", "ok");
    r.put("started", start.toString());
    r.put("ended", start.plusSeconds(30).toString());
    JSON.writeValue(d.resolve("result.json").toFile(), r);
  }

  @Test
  void anAnchorThatMovedFlagsTheCellsRunBetweenItsMeasurements() throws Exception {
    TestSpecs.Planned t = planned("drift: {every_cells: 1}\n");
    CellPlan a = t.plans().get(0);
    CellPlan b = t.plans().get(1);
    Path data = dir.resolve("data/trust");
    Instant t0 = Instant.parse("2026-11-25T01:00:00Z");
    anchor(data, "1", a.id(), t0, 10.0, 10.1, 9.9, 10.0, 10.05);
    times(data, a, t0.plusSeconds(20));
    anchor(data, "2", a.id(), t0.plusSeconds(60), 10.02, 10.08, 9.95, 10.0, 10.0);  // steady
    times(data, b, t0.plusSeconds(80));
    anchor(data, "3", a.id(), t0.plusSeconds(120), 9.0, 9.1, 8.9, 9.0, 9.05);  // 10% slower: the machine drifted
    List<CellData> cells = List.of(
        dev.llamasweep.TestCells.data(a, CellStatus.OK, null, 5, "power-saver", List.of(record(10.0, 10.1, 9.9, 10.0, 10.05)), null, null),
        dev.llamasweep.TestCells.data(b, CellStatus.OK, null, 5, "performance", List.of(record(12.0, 12.1, 11.9, 12.0, 12.05)), null, null));
    String md = render(t, cells);
    assertTrue(md.contains("## Drift"), md);
    assertTrue(md.matches("(?s).*\\| 2 \\| `" + a.id() + "` \\|[^\\n]*\\| [+-]0\\.\\d% \\(95% CI [^)]*\\) \\| within noise \\|.*"), md);
    assertTrue(md.matches("(?s).*\\| 3 \\| `" + a.id() + "` \\|[^\\n]*\\| -10\\.\\d% \\(95% CI [^)]*\\) \\| slower \\|.*"), md);
    assertTrue(md.contains("cells run in between: `" + b.id() + "`."), md);
    // the warning is data: in summary.csv for the cell in between only
    try (var r = Files.newBufferedReader(dir.resolve("reports/trust/summary.csv"))) {
      for (CSVRecord rec : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(r)) {
        assertEquals(rec.get("cell").equals(b.id()), rec.get("warnings").contains("DRIFT"), rec.toString());
      }
    }
  }

  @Test
  void aSteadyAnchorFlagsNothing() throws Exception {
    TestSpecs.Planned t = planned("drift: {every_cells: 1}\n");
    Path data = dir.resolve("data/trust");
    Instant t0 = Instant.parse("2026-11-25T01:00:00Z");
    anchor(data, "1", t.plans().get(0).id(), t0, 10.0, 10.1, 9.9, 10.0, 10.05);
    times(data, t.plans().get(1), t0.plusSeconds(20));
    anchor(data, "2", t.plans().get(0).id(), t0.plusSeconds(60), 10.02, 10.08, 9.95, 10.0, 10.0);
    List<CellData> cells = new ArrayList<>();
    for (CellPlan p : t.plans()) cells.add(dev.llamasweep.TestCells.data(p, CellStatus.OK, null, 5, "x", List.of(record(10.0, 10.1, 9.9, 10.0, 10.05)), null, null));
    String md = render(t, cells);
    assertTrue(md.contains("no cell is flagged for drift"), md);
    assertFalse(md.contains("DRIFT"), md);
  }

  private void failedAnchor(Path data, String name, String cell, Instant start) throws Exception {
    Path d = Files.createDirectories(data.resolve("drift").resolve(name));
    ObjectNode a = JSON.createObjectNode();
    a.put("anchor", cell);
    a.put("why", "test");
    a.put("status", "crashed");
    a.put("reason", "SIGSEGV (signal 11); stderr is empty");
    a.put("started", start.toString());
    a.put("ended", start.plusSeconds(1).toString());
    JSON.writeValue(d.resolve("anchor.json").toFile(), a);
  }

  @Test
  void anAnchorThatNeverSucceededMakesDriftUnknownNotWithinNoise() throws Exception {
    TestSpecs.Planned t = planned("drift: {every_cells: 1}\n");
    Path data = dir.resolve("data/trust");
    Instant t0 = Instant.parse("2026-11-25T01:00:00Z");
    for (int i = 1; i <= 5; i++) failedAnchor(data, String.valueOf(i), t.plans().get(0).id(), t0.plusSeconds(60L * i));
    List<CellData> cells = new ArrayList<>();
    for (CellPlan p : t.plans()) cells.add(dev.llamasweep.TestCells.data(p, CellStatus.OK, null, 5, "x", List.of(record(10.0, 10.1, 9.9, 10.0, 10.05)), null, null));
    String md = render(t, cells);
    assertTrue(md.contains("**Drift unknown**: the anchor failed every time (5 of 5 measurements"), md);
    assertTrue(md.contains("crashed: SIGSEGV (signal 11); stderr is empty"), md);
    assertFalse(md.contains("within its noise"), md);
    assertFalse(md.contains("no cell is flagged"), md);
  }

  @Test
  void theDriftSentenceCountsWhatItCouldCompare() {
    var ok = new dev.llamasweep.results.DriftAnchors.Measurement("1", "a", "w", Instant.EPOCH, Instant.EPOCH, dev.llamasweep.results.CellStatus.OK, "",
        java.util.Map.of("tg128", dev.llamasweep.stats.Summaries.of(new double[] {10, 10.1, 9.9})));
    var failed = new dev.llamasweep.results.DriftAnchors.Measurement("2", "a", "w", Instant.EPOCH, Instant.EPOCH, dev.llamasweep.results.CellStatus.CRASHED, "SIGSEGV",
        java.util.Map.of());
    assertTrue(DriftSection.verdictSentence(List.of(ok, failed), List.of()).startsWith("**Drift unknown**: only 1 of 2 measurements"));
    assertEquals("Across the 1 pair of consecutive successful measurements the anchor stayed within its noise (1 of 3 measurements failed;"
        + " each comparison spans them, so a cell next to a failed measurement is checked against the nearest successful ones): no cell is"
        + " flagged for drift.", DriftSection.verdictSentence(List.of(ok, failed, ok), List.of()));
    assertEquals("Across the 2 pairs of consecutive successful measurements the anchor stayed within its noise: no cell is flagged for drift.",
        DriftSection.verdictSentence(List.of(ok, ok, ok), List.of()));
  }

  @Test
  void aComparisonWithACrashedArmSaysItIsNotCompared() throws Exception {
    TestSpecs.Planned t = planned("");
    String md = render(t, List.of(
        dev.llamasweep.TestCells.data(t.plans().get(0), CellStatus.OK, null, 5, "power-saver", List.of(record(10.0, 10.1, 9.9, 10.0, 10.05)), null, null),
        dev.llamasweep.TestCells.data(t.plans().get(1), CellStatus.CRASHED, "SIGSEGV (signal 11); stderr is empty", 1, "performance", List.of(), null, null)));
    assertTrue(md.contains("| every test | — | — | — | **not compared**: performance crashed: SIGSEGV (signal 11) (no measurement to compare) |"), md);
    assertFalse(md.contains("within noise (the 95%"), "no verdict without two measurements: " + md);
  }
}
