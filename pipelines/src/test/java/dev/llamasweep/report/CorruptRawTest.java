package dev.llamasweep.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llamasweep.TestSpecs;
import dev.llamasweep.execute.CellPlan;
import dev.llamasweep.results.CellData;
import dev.llamasweep.results.RawReader;
import dev.llamasweep.results.ResultFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of damaged raw file: the report still renders, naming each bad cell's file and why. */
class CorruptRawTest {
  @TempDir Path dir;

  static final String GOOD = "{\"build_commit\":\"80fb11a\",\"build_number\":1,\"backends\":\"CPU\",\"model_size\":1000,\"model_n_params\":10,"
      + "\"n_prompt\":0,\"n_gen\":16,\"n_depth\":0,\"samples_ns\":[1,1,1],\"samples_ts\":SAMPLES}";

  @Test
  void damagedCellsAreInvalidAndNamedAndEverythingElseRenders() throws IOException {
    Path spec = dir.resolve("c.yaml");
    Files.writeString(spec, """
        name: corrupt
        backends: {cpu: {bin: /tmp, gpu_layers: 0}}
        models: {m: {path: /m/x.gguf}}
        defaults: {prompt: 0, generate: 16, repetitions: 3}
        experiments:
          - name: x
            grid: {model: m, backend: cpu, threads: [1, 2, 3, 4, 5, 6, 7, 8, 9]}
        """);
    Path data = dir.resolve("data/corrupt");
    TestSpecs.Planned planned = TestSpecs.plan(spec, data);
    List<CellPlan> plans = planned.plans();
    String[][] cases = {
        // result.json, stdout.jsonl, what the report must say
        {"{\"status\":\"ok\",\"dura", GOOD.replace("SAMPLES", "[10,11,12]"), "is not complete JSON"},
        {"", GOOD.replace("SAMPLES", "[10,11,12]"), "result.json is empty (0 bytes)"},
        {"{\"duration_s\":1}", GOOD.replace("SAMPLES", "[10,11,12]"), "has no status"},
        {"{\"status\":\"great\"}", GOOD.replace("SAMPLES", "[10,11,12]"), "status 'great' is not one of ok, failed, crashed, timeout, skipped"},
        {"{\"status\":\"ok\"}", GOOD.replace("SAMPLES", "[-550.4,-500.1,-600.2]"), "samples_ts holds -550.4, not a positive finite throughput"},
        {"{\"status\":\"ok\"}", GOOD.replace("SAMPLES", "[0,11,12]"), "samples_ts holds 0, not a positive finite throughput"},
        {"{\"status\":\"ok\"}", GOOD.replace("SAMPLES", "[1e400,11,12]"), "not a positive finite throughput"},
        {"{\"status\":\"ok\"}", "", "holds no record although the cell is ok"},
        {"{\"status\":\"ok\"}", GOOD.replace("SAMPLES", "[10,11]").replace("[1,1,1]", "[1,1]"), "has 2 samples, not the 3 repetitions"},
    };
    assertEquals(cases.length, plans.size());
    List<CellData> read = new ArrayList<>();
    for (int i = 0; i < plans.size(); i++) {
      Path raw = Path.of(plans.get(i).rawDir());
      Files.createDirectories(raw);
      Files.writeString(raw.resolve("result.json"), cases[i][0]);
      Files.writeString(raw.resolve("stdout.jsonl"), cases[i][1]);
      read.add(RawReader.read(plans.get(i).entry()));
    }
    ResultFiles.write(data, read);
    dev.llamasweep.TestSpecs.report(planned.spec(), plans, data, dir.resolve("reports/corrupt"));
    String md = Files.readString(dir.resolve("reports/corrupt/report.md"));
    for (int i = 0; i < cases.length; i++) {
      CellData c = read.get(i);
      assertEquals(dev.llamasweep.results.CellStatus.INVALID, c.status(), cases[i][2]);
      assertTrue(c.reason().contains(cases[i][2]), c.reason());
      assertTrue(c.reason().startsWith(plans.get(i).rawDir()), "names the file: " + c.reason());
      assertTrue(md.contains("**invalid: " + MarkdownText.escape(c.reason()).substring(0, 40)), md);
    }
    String summary = Files.readString(dir.resolve("reports/corrupt/summary.csv"));
    assertFalse(summary.contains("NaN") || summary.contains("Infinity"), summary);
    assertTrue(Files.isRegularFile(dir.resolve("reports/corrupt/report.html")));
  }
}
