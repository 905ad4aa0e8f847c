package dev.llamasweep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llamasweep.cli.Main;
import dev.llamasweep.io.Processes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Speculative decoding on the real llama-server with the synthetic pair that agrees (the draft is
 * the target's first layer): acceptance is high and the measured speed-up is above 1.
 */
class SpeculativeIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static Path cache;

  @TempDir Path work;

  @BeforeAll
  static void buildOnce() {
    cache = LlamaCpp.cache();
    LlamaCpp.target();
    LlamaCpp.draft();
  }

  int run(Path spec) {
    return LlamaCpp.sweep(work, "run", spec);
  }

  @Test
  void draftAcceptsAndSpeedsUpGeneration() throws Exception {
    Files.writeString(work.resolve("prompt.txt"), "Write a Go function that returns the factorial of n.");
    Path notGguf = Files.writeString(work.resolve("draft.gguf"), "not a model\n");
    Path spec = Files.writeString(work.resolve("spec.yaml"), """
        name: spec-it
        backends: {cpu: {build: cpu, threads: auto, gpu_layers: 0}}
        models:
          target: {synthetic: target, quant: Q4_K_M}
          draft:  {synthetic: draft, quant: Q8_0}
          broken: {path: "%s"}
        timeout_s: 300
        experiments:
          - name: speculative
            bench: speculative
            grid: {model: target, draft: [draft, broken], backend: cpu, draft_max: [0, 16],
                   prompt_file: prompt.txt, generate: 128, repetitions: 3}
            baseline: {draft_max: 0}
        """.formatted(notGguf));
    // prompt_file is relative to the directory llama-sweep runs in: give it an absolute one here
    Files.writeString(spec, Files.readString(spec).replace("prompt_file: prompt.txt", "prompt_file: " + work.resolve("prompt.txt")));
    assertEquals(3, run(spec), "the cell with a draft that is not GGUF fails; the others run");

    Map<String, JsonNode> results = new HashMap<>();
    Map<String, JsonNode> cells = new HashMap<>();
    try (Stream<Path> dirs = Files.list(work.resolve("data/spec-it/raw"))) {
      for (Path d : dirs.toList()) {
        results.put(d.getFileName().toString(), JSON.readTree(d.resolve("result.json").toFile()));
        cells.put(d.getFileName().toString(), JSON.readTree(d.resolve("cell.json").toFile()));
        assertTrue(Files.isRegularFile(d.resolve("request.json")));
        Processes.check(List.of("sh", "-n", d.resolve("command.sh").toString()), work, "command.sh syntax");
      }
    }
    assertEquals(3, results.size());
    String baseId = null;
    String goodId = null;
    String badId = null;
    for (String id : cells.keySet()) {
      JsonNode p = cells.get(id).get("params");
      if (p.get("draft_max").asLong() == 0) baseId = id;
      else if (p.get("draft").asText().equals("draft")) goodId = id;
      else badId = id;
    }
    assertEquals("ok", results.get(baseId).get("status").asText());
    assertEquals("ok", results.get(goodId).get("status").asText());
    assertEquals("SPEC_DRAFT_N_MAX", results.get(goodId).get("flag_dialect").get("speculative").asText());
    assertEquals("failed", results.get(badId).get("status").asText());
    assertTrue(results.get(badId).get("reason").asText().startsWith("llama-server exited with"),
        "llama.cpp's own message is quoted: " + results.get(badId).get("reason"));

    List<CSVRecord> samples = SweepIT.csv(work.resolve("data/spec-it/samples.csv"));
    List<Double> base = new ArrayList<>();
    List<Double> spec16 = new ArrayList<>();
    long drafted = 0;
    long accepted = 0;
    for (CSVRecord s : samples) {
      assertEquals("tg128", s.get("test").replaceAll(" @ d\\d+", ""));
      if (s.get("cell").equals(baseId)) base.add(Double.parseDouble(s.get("tokens_per_s")));
      if (s.get("cell").equals(goodId)) {
        spec16.add(Double.parseDouble(s.get("tokens_per_s")));
        drafted += Long.parseLong(s.get("n_drafted"));
        accepted += Long.parseLong(s.get("n_accepted"));
      }
    }
    assertEquals(3, base.size());
    assertEquals(3, spec16.size());
    assertTrue(drafted > 0 && accepted > 0.5 * drafted, "the agreeing draft is mostly accepted: " + accepted + "/" + drafted);
    double speedup = spec16.stream().mapToDouble(d -> d).average().orElseThrow() / base.stream().mapToDouble(d -> d).average().orElseThrow();
    assertTrue(speedup > 1.0, "speculative decoding is faster than the target alone here: " + speedup);

    String report = Files.readString(work.resolve("reports/spec-it/report.md"));
    assertTrue(report.contains("| target alone (baseline) |"), report);
    assertTrue(report.contains("| + draft, draft-max=16 |"), report);
    // the bytes model: N − A passes of the target and one pass of the draft per drafted token, over the N tokens
    assertTrue(report.matches("(?s).*\\(\\d+ × [0-9.,]+ MB \\+ \\d+ × [0-9.,]+ MB\\) / 128 = [0-9.,]+ MB × [0-9.]+ t/s = [0-9.]+ GB/s.*"), report);
    assertTrue(report.contains("**failed: llama-server exited with"), report);
  }
}
