package dev.llamasweep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On the real llama-bench: an experiment that compares arms runs interleaved by default, in rounds
 * that rotate (A B C, B C A, C A B), each round one invocation with a block of repetitions; every
 * round's raw output is kept and the samples add up to the repetitions asked for.
 */
class InterleaveIT {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path work;

  @Test
  void armsRunInRotatingRoundsAndEveryRoundIsKept() throws Exception {
    LlamaCpp.draft();
    Path spec = Files.writeString(work.resolve("il.yaml"), """
        name: il
        backends: {cpu: {build: cpu, threads: auto, gpu_layers: 0}}
        models: {a: {synthetic: draft, quant: Q8_0}, b: {synthetic: draft, quant: Q8_0}, c: {synthetic: draft, quant: Q8_0}}
        defaults: {prompt: 0, generate: 16, repetitions: 5}
        experiments:
          - {name: arms, grid: {model: [a, b, c], backend: cpu}}
          - {name: one-by-one, order: sequential, grid: {model: [a, b], backend: cpu, generate: 8}}
        """);
    assertEquals(0, LlamaCpp.sweep(work, "run", spec));
    List<String[]> starts = new ArrayList<>();
    int interleaved = 0;
    try (var dirs = Files.list(work.resolve("data/il/raw"))) {
      for (Path d : dirs.toList()) {
        JsonNode r = JSON.readTree(d.resolve("result.json").toFile());
        String model = JSON.readTree(d.resolve("cell.json").toFile()).path("params").path("model").asText();
        if (!r.has("order")) {
          assertTrue(!Files.exists(d.resolve("rounds")), "a sequential cell has no rounds");
          continue;
        }
        interleaved++;
        assertEquals(3, r.get("order").get("rounds").asInt());
        int samples = 0;
        for (JsonNode round : r.get("order").get("round")) {
          assertTrue(Files.isRegularFile(d.resolve("rounds").resolve(round.get("round").asText()).resolve("stdout.jsonl")));
          samples += round.get("repetitions").asInt();
          starts.add(new String[] {round.get("started").asText(), model, round.get("round").asText()});
        }
        assertEquals(5, samples, "2 + 2 + 1 repetitions");
      }
    }
    assertEquals(3, interleaved);
    starts.sort(Comparator.comparing(s -> Instant.parse(s[0])));
    List<String> order = starts.stream().map(s -> s[1]).toList();
    assertEquals(List.of("a", "b", "c", "b", "c", "a", "c", "a", "b"), order, "each round starts one arm further");
    String md = Files.readString(work.resolve("reports/il/report.md"));
    assertTrue(md.contains("Order: 3 cells interleaved in 3 rounds"), md);
    assertTrue(md.contains("| 5 |"), "n is the 5 repetitions pooled over the rounds: " + md);
  }
}
