package dev.llamasweep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** repetitions: {min, max, target_ci_pct} adds rounds until the interval is narrow enough or max is reached, and says which. */
class AdaptiveIT {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path work;

  @Test
  void roundsAreAddedUntilTheIntervalOrTheMaximumStopsThem() throws Exception {
    LlamaCpp.draft();
    Path spec = Files.writeString(work.resolve("ad.yaml"), """
        name: ad
        backends: {cpu: {build: cpu, threads: auto, gpu_layers: 0}}
        models: {loose: {synthetic: draft, quant: Q8_0}, strict: {synthetic: draft, quant: Q8_0}}
        defaults: {prompt: 0, generate: 8}
        experiments:
          - {name: loose, grid: {model: loose, backend: cpu, repetitions: {min: 3, max: 12, target_ci_pct: 90}}}
          - {name: strict, grid: {model: strict, backend: cpu, repetitions: {min: 3, max: 9, target_ci_pct: 0.0001}}}
        """);
    assertEquals(0, LlamaCpp.sweep(work, "run", spec));
    Map<String, JsonNode> byModel = new HashMap<>();
    try (var dirs = Files.list(work.resolve("data/ad/raw"))) {
      for (Path d : dirs.toList()) {
        byModel.put(JSON.readTree(d.resolve("cell.json").toFile()).path("params").path("model").asText(), JSON.readTree(d.resolve("result.json").toFile()));
      }
    }
    JsonNode loose = byModel.get("loose").get("order");
    assertTrue(loose.get("stopped").asText().contains("under the 90.00% target, after 3 repetitions"), loose.toString());
    JsonNode strict = byModel.get("strict").get("order");
    assertTrue(strict.get("stopped").asText().startsWith("reached the maximum of 9 repetitions"), strict.toString());
    assertEquals(3, strict.get("rounds").asInt(), "3 + 3 + 3");
    String md = Files.readString(work.resolve("reports/ad/report.md"));
    assertTrue(md.contains("Adaptive repetitions, the rule that stopped each cell:"), md);
    assertTrue(md.contains("| 9 |"), "the strict cell's n is its 9 samples: " + md);
  }
}
