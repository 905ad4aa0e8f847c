package dev.llamasweep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** drift: the anchor cell is measured with real llama-bench before the first cell, every N cells and after the last. */
class DriftIT {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path work;

  @Test
  void theAnchorIsMeasuredBetweenCellsAndReported() throws Exception {
    LlamaCpp.draft();
    Path spec = Files.writeString(work.resolve("dr.yaml"), """
        name: dr
        backends: {cpu: {build: cpu, threads: auto, gpu_layers: 0}}
        models: {d: {synthetic: draft, quant: Q8_0}}
        defaults: {prompt: 0, generate: 8, repetitions: 3}
        drift: {every_cells: 2}
        experiments:
          - {name: t, order: sequential, grid: {model: d, backend: cpu, threads: [1, 2, 3]}}
        """);
    assertEquals(0, LlamaCpp.sweep(work, "run", spec));
    List<Path> anchors;
    try (var dirs = Files.list(work.resolve("data/dr/drift"))) {
      anchors = dirs.sorted().toList();
    }
    // before the first cell, after cells 1-2, after cell 3 (the last)
    assertEquals(3, anchors.size(), anchors.toString());
    JsonNode first = JSON.readTree(anchors.get(0).resolve("anchor.json").toFile());
    assertEquals("before the first cell", first.get("why").asText());
    assertEquals("ok", first.get("status").asText(), first.toString());
    assertTrue(Files.readString(anchors.get(0).resolve("stdout.jsonl")).contains("\"samples_ts\""));
    assertEquals("after 2 cells", JSON.readTree(anchors.get(1).resolve("anchor.json").toFile()).get("why").asText());
    assertEquals("after the last cell", JSON.readTree(anchors.get(2).resolve("anchor.json").toFile()).get("why").asText());
    String md = Files.readString(work.resolve("reports/dr/report.md"));
    assertTrue(md.contains("## Drift"), md);
    assertTrue(md.contains("| 3 | `" + first.get("anchor").asText() + "` |"), md);
  }
}
