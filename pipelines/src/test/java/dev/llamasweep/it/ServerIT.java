package dev.llamasweep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bench: server on the real llama-server (the synthetic target, N = 1 and 2 streamed requests at once) beside
 * its batch curve, and on a stand-in server that stalls, drops a connection, sends an event that is not JSON
 * and dies mid-stream: each of those a named failure of its cell, nothing of it in samples.csv, no server left.
 */
class ServerIT {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path work;

  @Test
  void concurrentStreamsAreTimedFromTheirRawLinesAndSetBesideTheBatchCurve() throws Exception {
    LlamaCpp.target();
    Files.writeString(work.resolve("prompt.txt"), "Write a Go function that returns the factorial of n.");
    Path spec = Files.writeString(work.resolve("spec.yaml"), """
        name: server-it
        backends: {cpu: {build: cpu, threads: auto, gpu_layers: 0}}
        models:
          target: {synthetic: target, quant: Q4_K_M}
        timeout_s: 300
        experiments:
          - name: curve
            bench: batch
            grid: {model: target, backend: cpu, batch: [1, 2], generate: 16, repetitions: 3}
          - name: server
            bench: server
            grid: {model: target, backend: cpu, concurrency: [1, 2], prompt_file: PROMPT, generate: 16, repetitions: 3}
        """.replace("PROMPT", work.resolve("prompt.txt").toString()));
    assertEquals(0, LlamaCpp.sweep(work, "run", spec));
    Path data = work.resolve("data/server-it");

    // each round's sample is N × tokens / (last event − first send), recomputed here from the raw lines
    Map<String, List<Double>> samples = new HashMap<>();
    try (var r = Files.newBufferedReader(data.resolve("samples.csv"))) {
      for (CSVRecord rec : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(r)) {
        if (!rec.get("bench").equals("server")) continue;
        samples.computeIfAbsent(rec.get("cell"), k -> new ArrayList<>()).add(Double.parseDouble(rec.get("tokens_per_s")));
        assertEquals("c", rec.get("kind"));
        assertEquals(rec.get("concurrency"), rec.get("n_concurrent"));
      }
    }
    assertEquals(2, samples.size(), "one cell per concurrency level: " + samples.keySet());
    for (var e : samples.entrySet()) {
      Path raw = data.resolve("raw").resolve(e.getKey());
      JsonNode cell = JSON.readTree(raw.resolve("cell.json").toFile());
      long n = cell.path("params").path("concurrency").asLong();
      List<String> argv = new ArrayList<>();
      JSON.readTree(raw.resolve("result.json").toFile()).path("argv").forEach(a -> argv.add(a.asText()));
      assertEquals(String.valueOf(n), argv.get(argv.indexOf("-np") + 1), "llama-server has one slot per request in flight");
      Map<Integer, long[]> span = new HashMap<>();
      Map<Integer, Integer> requests = new HashMap<>();
      for (String line : Files.readAllLines(raw.resolve("stdout.jsonl"))) {
        JsonNode q = JSON.readTree(line);
        int round = q.path("round").asInt();
        requests.merge(round, 1, Integer::sum);
        JsonNode lines = q.path("lines");
        long end = 0;
        for (JsonNode l : lines) if (l.path("line").asText().startsWith("data: ")) end = l.path("t_ns").asLong();
        long[] s = span.computeIfAbsent(round, k -> new long[] {Long.MAX_VALUE, 0});
        s[0] = Math.min(s[0], q.path("sent_ns").asLong());
        s[1] = Math.max(s[1], end);
      }
      assertEquals(Map.of(0, (int) n, 1, (int) n, 2, (int) n, 3, (int) n), requests, "a warm-up round and three rounds of N requests each");
      List<Double> expected = new ArrayList<>();
      for (int round = 1; round <= 3; round++) expected.add(n * 16 / ((span.get(round)[1] - span.get(round)[0]) / 1e9));
      for (int i = 0; i < 3; i++) assertEquals(expected.get(i), e.getValue().get(i), 1e-6 * expected.get(i), "round " + (i + 1) + " of " + e.getKey());
    }
    List<String> latency = Files.readAllLines(data.resolve("latency.csv"));
    assertEquals(1 + 2 * 3 * 3, latency.size(), "two cells × three metrics × three quantiles: " + latency);
    String report = Files.readString(work.resolve("reports/server-it/report.md"));
    assertTrue(report.contains("### Server: `target` on cpu"), report);
    assertTrue(report.contains("The prediction reads the step at B = N off the batch curve"), report);
    assertTrue(report.matches("(?s).*At N = 1: 1 × 16 × 1000 / \\([0-9.]+ \\+ 15 × [0-9.]+\\) = [0-9.,]+ t/s.*"), report);
    assertTrue(report.contains("**server** (N streamed requests at once to llama-server)"), "the findings name the experiment");
  }

  @Test
  void aServerThatStallsDropsSendsGarbageOrDiesIsANamedFailureAndLeavesNoProcess() throws Exception {
    Path model = LlamaCpp.target();
    Path bin = FakeLlamaServer.binDir(work.resolve("fake-bin"));
    Files.writeString(work.resolve("prompt.txt"), "hello");
    StringBuilder backends = new StringBuilder();
    for (String mode : List.of("stall", "drop", "malformed", "die")) {
      backends.append("  ").append(mode).append(": {bin: ").append(bin).append(", env: {FAKE_SERVER_MODE: ").append(mode).append("}}\n");
    }
    Path spec = Files.writeString(work.resolve("spec.yaml"), """
        name: fake-it
        backends:
        BACKENDS
        models:
          target: {path: MODEL}
        timeout_s: 20
        experiments:
          - name: broken
            bench: server
            grid: {model: target, backend: [stall, drop, malformed, die], concurrency: 2, prompt_file: PROMPT, generate: 8, repetitions: 2}
        """.replace("BACKENDS\n", backends.toString()).replace("MODEL", model.toString()).replace("PROMPT", work.resolve("prompt.txt").toString()));
    long t0 = System.nanoTime();
    int exit = LlamaCpp.sweep(work, "run", spec);
    assertTrue(exit != 0, "failed cells make a non-zero exit");
    Map<String, String[]> byBackend = new HashMap<>();
    Path data = work.resolve("data/fake-it");
    try (var r = Files.newBufferedReader(data.resolve("cells.csv"))) {
      for (CSVRecord rec : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(r)) {
        byBackend.put(rec.get("backend"), new String[] {rec.get("status"), rec.get("reason")});
      }
    }
    assertEquals("timeout", byBackend.get("stall")[0]);
    assertTrue(byBackend.get("stall")[1].matches("round 0: 2 of 2 streams were still open at the time limit \\(request 0 had sent 2 events\\): "
        + "the server stalled \\(timeout 20 s\\); the server was stopped"), byBackend.get("stall")[1]);
    assertEquals("failed", byBackend.get("drop")[0]);
    assertTrue(byBackend.get("drop")[1].startsWith("round 0: the connection of request "), byBackend.get("drop")[1]);
    assertTrue(byBackend.get("drop")[1].endsWith("the server dropped it"), byBackend.get("drop")[1]);
    assertEquals("failed", byBackend.get("malformed")[0]);
    assertTrue(byBackend.get("malformed")[1].startsWith("stdout.jsonl:1: an event is not JSON"), byBackend.get("malformed")[1]);
    assertEquals("failed", byBackend.get("die")[0]);
    assertTrue(byBackend.get("die")[1].startsWith("llama-server exited with 3 during round 0"), byBackend.get("die")[1]);
    assertTrue((System.nanoTime() - t0) / 1e9 < 120, "the stall ends at the cell's timeout, not the sweep's");

    // nothing of them is a result
    List<String> samples = Files.readAllLines(data.resolve("samples.csv"));
    assertEquals(1, samples.size(), "samples.csv holds its header only: " + samples);
    assertTrue(!Files.exists(data.resolve("latency.csv")));
    // and no stand-in server outlives its cell
    List<String> left = new ArrayList<>();
    for (ProcessHandle p : ProcessHandle.allProcesses().toList()) {
      String cmd = p.info().commandLine().orElse("");
      if (cmd.contains(FakeLlamaServer.class.getName()) && p.isAlive()) left.add(p.pid() + ": " + cmd);
    }
    assertEquals(List.of(), left);
  }
}
