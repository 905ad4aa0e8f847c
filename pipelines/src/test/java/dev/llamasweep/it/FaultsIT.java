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
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of the harness (the real jar) at random moments of a sweep with llama-bench, speculative
 * and server (llama-server under concurrent streams) cells: no llama.cpp process is alive 1 s later, nothing completed is lost, and no
 * cell is ever measured beside another benchmark. {@code -Dllamasweep.kills=N} sets the number of
 * kills (3 in make test; make faults runs 20).
 */
class FaultsIT {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path work;

  @Test
  void killNineNeverLeavesABenchmarkRunning() throws Exception {
    LlamaCpp.target();
    LlamaCpp.draft();
    int kills = Integer.getInteger("llamasweep.kills", 3);
    Path prompt = Files.writeString(work.resolve("prompt.txt"), "Write a function that computes a factorial.\n");
    Path spec = Files.writeString(work.resolve("faults.yaml"), """
        name: faults
        backends: {cpu: {build: cpu, threads: auto, gpu_layers: 0}}
        models: {target: {synthetic: target, quant: Q4_K_M}, draft: {synthetic: draft, quant: Q8_0}}
        defaults: {prompt: 0, generate: 32, repetitions: 2}
        experiments:
          # first, so the first kills land in llama-server under concurrent streams
          - {name: served, bench: server, grid: {model: target, backend: cpu, concurrency: [2, 4], prompt_file: PROMPT}}
          - {name: bench, order: sequential, grid: {model: target, backend: cpu, generate: [16, 24, 32, 40, 48, 56]}}
          - {name: spec, bench: speculative, grid: {model: target, draft: draft, backend: cpu, draft_max: [0, 4, 8], prompt_file: PROMPT}}
        """.replace("PROMPT", prompt.toString()));
    Path jar = Path.of(System.getProperty("llamasweep.repo", ".")).resolve("target/llama-sweep.jar");
    List<String> argv = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString(), "run",
        spec.toString(), "--data-root", work.resolve("data").toString(), "--reports-root", work.resolve("reports").toString(),
        "--cache", LlamaCpp.cache().toString());
    Path raw = work.resolve("data/faults/raw");
    Random random = new Random(20261124);
    Map<String, String> completed = new HashMap<>();
    int midCell = 0;
    long worstDeathMs = 0;
    int done = 0;
    for (int k = 0; k < kills; k++) {
      Process sweep = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(work.resolve("sweep-" + k + ".log").toFile()).start();
      // a random moment once benchmarking has begun: usually inside a cell, sometimes between two
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      while (sweep.isAlive() && cellProcesses().isEmpty() && System.nanoTime() < deadline) Thread.sleep(10);
      if (sweep.waitFor(random.nextInt(2500), TimeUnit.MILLISECONDS)) {
        done++;  // the sweep finished before this kill; start the next round
        continue;
      }
      boolean running = !cellProcesses().isEmpty();
      sweep.destroyForcibly();  // SIGKILL: no shutdown hook runs
      sweep.waitFor(10, TimeUnit.SECONDS);
      long t0 = System.nanoTime();
      while (!llamaProcesses().isEmpty() && System.nanoTime() - t0 < 1_000_000_000L) Thread.sleep(20);
      worstDeathMs = Math.max(worstDeathMs, (System.nanoTime() - t0) / 1_000_000);
      assertTrue(llamaProcesses().isEmpty(), "kill " + (k + 1) + ": a llama.cpp process outlived the harness by 1 s: " + llamaProcesses());
      if (running) midCell++;
      // nothing completed is lost: every cell seen complete before is still there, unchanged
      Map<String, String> now = completed(raw);
      for (Map.Entry<String, String> e : completed.entrySet()) {
        assertEquals(e.getValue(), now.get(e.getKey()), "kill " + (k + 1) + ": completed cell " + e.getKey() + " was lost or changed");
      }
      completed = now;
    }
    // the sweep then completes, and no cell was ever measured beside another benchmark
    assertEquals(0, LlamaCpp.sweep(work, "run", spec));
    Map<String, String> end = completed(raw);
    assertEquals(11, end.size(), "every cell completes in the end");
    for (Map.Entry<String, String> e : completed.entrySet()) assertEquals(e.getValue(), end.get(e.getKey()), "kept: " + e.getKey());
    try (Stream<Path> dirs = Files.list(raw)) {
      for (Path d : dirs.filter(x -> !x.getFileName().toString().startsWith(".")).toList()) {
        JsonNode m = JSON.readTree(d.resolve("result.json").toFile()).path("machine");
        assertEquals(0, m.path("llama_processes").size(), d + " was measured beside another llama.cpp process");
      }
    }
    System.out.printf("faults: %d kill -9 of the harness (%d in the middle of a cell, %d rounds finished first); no llama.cpp process "
        + "alive 1 s later (slowest to go: %d ms); %d cells completed before the last kill all kept; 11/11 cells ok at the end%n",
        kills, midCell, done, worstDeathMs, completed.size());
  }

  /** ok cells by id with their start time: a re-run would change it. */
  static Map<String, String> completed(Path raw) throws Exception {
    Map<String, String> out = new HashMap<>();
    if (!Files.isDirectory(raw)) return out;
    try (Stream<Path> dirs = Files.list(raw)) {
      for (Path d : dirs.filter(x -> !x.getFileName().toString().startsWith(".")).toList()) {
        if (!Files.isRegularFile(d.resolve("result.json"))) continue;
        JsonNode r = JSON.readTree(d.resolve("result.json").toFile());
        if ("ok".equals(r.path("status").asText())) out.put(d.getFileName().toString(), r.path("started").asText());
      }
    }
    return out;
  }

  /** Benchmarks of cells (llama-bench writing JSONL, llama-server on a port), not set-up calls such as --list-devices. */
  static List<String> cellProcesses() {
    List<String> out = new ArrayList<>();
    ProcessHandle.allProcesses().forEach(p -> p.info().commandLine().ifPresent(c -> {
      if (p.isAlive() && (c.contains("llama-bench") && c.contains("-o jsonl") || c.contains("llama-server") && c.contains("--port"))) {
        out.add(p.pid() + " " + c);
      }
    }));
    return out;
  }

  /** Live llama.cpp processes on this machine (tests run one at a time, so any is this test's). */
  static List<String> llamaProcesses() {
    List<String> out = new ArrayList<>();
    ProcessHandle.allProcesses().forEach(p -> p.info().command().ifPresent(c -> {
      String exe = Path.of(c).getFileName().toString();
      if (exe.startsWith("llama-") && p.isAlive()) out.add(p.pid() + " " + exe);
    }));
    return out;
  }
}
