package dev.llamasweep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llamasweep.io.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Batch curves on the real llama-batched-bench: each point's raw output holds the warm-up and one point
 * per repetition, samples.csv holds exactly the repetitions (B × tg / t_tg of each raw line), the report's
 * step times are 1000 × B / mean t/s, a model that cannot load fails its points by name while the others
 * run, and a speculative experiment beside the curves gets its measured arm set beside the prediction.
 */
class BatchIT {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path work;

  @BeforeAll
  static void buildOnce() {
    LlamaCpp.target();
    LlamaCpp.draft();
  }

  @Test
  void curvePointsAreTheRepetitionsOfRealRunsAndFeedThePrediction() throws Exception {
    Files.writeString(work.resolve("prompt.txt"), "Write a Go function that returns the factorial of n.");
    Path notGguf = Files.writeString(work.resolve("broken.gguf"), "not a model\n");
    Path spec = Files.writeString(work.resolve("spec.yaml"), """
        name: batch-it
        backends: {cpu: {build: cpu, threads: auto, gpu_layers: 0}}
        models:
          target: {synthetic: target, quant: Q4_K_M}
          draft:  {synthetic: draft, quant: Q8_0}
          broken: {path: "%s"}
        timeout_s: 300
        experiments:
          - name: curve
            bench: batch
            grid: {model: [target, draft, broken], backend: cpu, batch: [1, 2, 4, 8], generate: 16, repetitions: 2}
          - name: speculative
            bench: speculative
            grid: {model: target, draft: draft, backend: cpu, draft_max: [0, 4], prompt_file: "%s", generate: 64, repetitions: 2}
        """.formatted(notGguf, work.resolve("prompt.txt")));
    assertEquals(3, LlamaCpp.sweep(work, "run", spec), "the broken model's points fail; the others run");

    Map<String, JsonNode> results = new HashMap<>();
    Map<String, JsonNode> cells = new HashMap<>();
    try (Stream<Path> dirs = Files.list(work.resolve("data/batch-it/raw"))) {
      for (Path d : dirs.toList()) {
        results.put(d.getFileName().toString(), JSON.readTree(d.resolve("result.json").toFile()));
        cells.put(d.getFileName().toString(), JSON.readTree(d.resolve("cell.json").toFile()));
        Processes.check(List.of("sh", "-n", d.resolve("command.sh").toString()), work, "command.sh syntax");
      }
    }
    // raw lines of each ok point: the warm-up (tg 1) and then one line per repetition
    Map<String, List<Double>> rawTs = new HashMap<>();
    int failed = 0;
    for (String id : cells.keySet()) {
      JsonNode p = cells.get(id).get("params");
      if (!p.get("bench").asText().equals("batch")) continue;
      JsonNode r = results.get(id);
      if (p.get("model").asText().equals("broken")) {
        assertEquals("failed", r.get("status").asText(), "a model that cannot load fails its point: " + r);
        failed++;
        continue;
      }
      assertEquals("ok", r.get("status").asText(), r.toString());
      assertEquals("80fb11a", r.get("build").asText().substring(0, 7), "the build comes from llama-batched-bench --version: " + r);
      List<String> lines = Files.readAllLines(work.resolve("data/batch-it/raw/" + id + "/stdout.jsonl")).stream().filter(l -> !l.isBlank()).toList();
      assertEquals(3, lines.size(), "warm-up + 2 repetitions");
      List<Double> ts = new ArrayList<>();
      long b = p.get("batch").asLong();
      for (int i = 0; i < lines.size(); i++) {
        Matcher tg = Pattern.compile("\"tg\": (\\d+),.*\"pl\": (\\d+),.*\"t_tg\": ([0-9.]+)").matcher(lines.get(i));
        assertTrue(tg.find(), lines.get(i));
        assertEquals(i == 0 ? 1 : 16, Long.parseLong(tg.group(1)));
        assertEquals(b, Long.parseLong(tg.group(2)));
        if (i > 0) ts.add(b * 16 / Double.parseDouble(tg.group(3)));
      }
      rawTs.put(id, ts);
    }
    assertEquals(4, failed);
    assertEquals(8, rawTs.size());

    List<CSVRecord> samples = SweepIT.csv(work.resolve("data/batch-it/samples.csv"));
    Map<String, List<Double>> sampled = new HashMap<>();
    for (CSVRecord s : samples) {
      if (!rawTs.containsKey(s.get("cell"))) continue;
      assertEquals("batch", s.get("kind").equals("b") ? "batch" : s.get("kind"));
      assertEquals(s.get("batch"), s.get("n_parallel"));
      assertEquals("tg16 @ b" + s.get("batch"), s.get("test"));
      sampled.computeIfAbsent(s.get("cell"), k -> new ArrayList<>()).add(Double.parseDouble(s.get("tokens_per_s")));
    }
    for (var e : rawTs.entrySet()) {
      List<Double> got = sampled.get(e.getKey());
      assertEquals(e.getValue().size(), got.size());
      // the raw line prints t_tg to the microsecond, so the sample agrees to its precision
      for (int i = 0; i < got.size(); i++) assertEquals(e.getValue().get(i), got.get(i), got.get(i) * 1e-3);
    }

    String report = Files.readString(work.resolve("reports/batch-it/report.md"));
    assertTrue(report.contains("### Batch curve: `target` on cpu"), report);
    assertTrue(report.contains("### Batch curve: `draft` on cpu"), report);
    assertTrue(report.matches("(?s).*\\*\\*(Knee at B = \\d+: t\\(\\d+\\) = [0-9.]+ ms ≥ 2 × t\\(1\\) = 2 × [0-9.]+ ms(, and every larger B's step too)?|No knee up to B = 8: .*?)\\*\\*.*"), report);
    assertTrue(report.contains("llama.cpp build: 80fb11a (build 1)"), "batched-bench's --version gives the build number too: " + report);
    // the B = 1 row of the target: ms per step is 1000 / the mean of its samples
    String targetB1 = cells.entrySet().stream().filter(e -> e.getValue().get("params").get("model").asText().equals("target")
        && e.getValue().get("params").path("batch").asLong() == 1).findFirst().orElseThrow().getKey();
    double mean = sampled.get(targetB1).stream().mapToDouble(d -> d).average().orElseThrow();
    Matcher row = Pattern.compile("\\| 1 \\| [0-9.,]+ ± [0-9.,]+ \\| ([0-9.]+) \\|[^\\n]*`" + targetB1 + "` \\|").matcher(report);
    assertTrue(row.find(), report);
    assertEquals(1000 / mean, Double.parseDouble(row.group(1)), 1000 / mean * 0.01);
    assertTrue(report.contains("**failed"), "the broken model's points are named as failed: " + report);
    // the speculative arm beside what the two curves predict for it
    assertTrue(report.contains("**Predicted from the batch curves.**"), report);
    // and the first screen, before the findings, sets each measured arm beside its prediction
    String firstScreen = report.substring(0, report.indexOf("## Findings"));
    assertTrue(firstScreen.matches("(?s).*: speed-up predicted from the batch curves against measured — .*draft-max \\d+ \\(\\d+% accepted\\): predicted [0-9.]+×, measured [0-9.]+×.*"),
        firstScreen);
    assertTrue(report.matches("(?s).*\\| \\+ draft, draft-max=4 \\| [0-9.]+ \\| [0-9.]+ \\| [0-9.]+ \\| [0-9.]+ ms[^|]*\\| [0-9.]+× .*"), report);
    assertTrue(report.contains("### Speculative decoding predicted from the curves"), report);
    assertTrue(Files.isRegularFile(work.resolve("reports/batch-it/charts/curve-batch-step.svg")));
    assertTrue(Files.readString(work.resolve("reports/batch-it/charts/curve-batch-step.svg")).contains("<svg"));
  }
}
