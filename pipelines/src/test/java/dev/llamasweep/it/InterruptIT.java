package dev.llamasweep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llamasweep.cli.Main;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sweep killed in the middle of a cell (the real jar, SIGTERM): the running llama-bench goes down
 * with it, nothing half-written is left looking like a result, and the next run resumes, keeping
 * every cell that had finished.
 */
class InterruptIT {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path work;

  @BeforeAll
  static void build() {
    LlamaCpp.target();
  }

  @Test
  void killedSweepLeavesNoBenchmarkRunningAndResumes() throws Exception {
    Path spec = Files.writeString(work.resolve("k.yaml"), """
        name: killed
        backends: {cpu: {build: cpu, threads: auto, gpu_layers: 0}}
        models: {target: {synthetic: target, quant: Q4_K_M}}
        defaults: {prompt: 0, generate: 16}
        experiments:
          - {name: e, order: sequential, grid: {model: target, backend: cpu, repetitions: [2, 37, 3]}}
        """);
    Path jar = Path.of(System.getProperty("llamasweep.repo", ".")).resolve("target/llama-sweep.jar");
    List<String> argv = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString(), "run",
        spec.toString(), "--data-root", work.resolve("data").toString(), "--reports-root", work.resolve("reports").toString(),
        "--cache", LlamaCpp.cache().toString());
    Process sweep = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(work.resolve("sweep.log").toFile()).start();
    Path raw = work.resolve("data/killed/raw");
    // wait until the first cell has finished and the second (37 repetitions, several seconds) is running
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline && !(finished(raw) == 1 && benchRunning())) Thread.sleep(50);
    assertTrue(benchRunning(), "the long cell should be running: " + Files.readString(work.resolve("sweep.log")));
    String firstStarted = startedOfOnlyCell(raw);

    sweep.destroy();  // SIGTERM
    assertTrue(sweep.waitFor(30, TimeUnit.SECONDS));
    Thread.sleep(500);
    assertFalse(benchRunning(), "the running llama-bench was stopped with the sweep");
    assertEquals(1, finished(raw), "the cell that finished is kept; the interrupted one left no result");

    assertEquals(0, LlamaCpp.sweep(work, "run", spec));
    assertEquals(3, finished(raw));
    try (Stream<Path> dirs = Files.list(raw)) {
      assertTrue(dirs.noneMatch(d -> d.getFileName().toString().startsWith(".")), "no staging directory is left behind");
    }
    boolean kept = false;
    try (Stream<Path> dirs = Files.list(raw)) {
      for (Path d : dirs.toList()) {
        kept |= JSON.readTree(d.resolve("result.json").toFile()).get("started").asText().equals(firstStarted);
      }
    }
    assertTrue(kept, "the cell that had finished was not run again");
  }

  static long finished(Path raw) throws Exception {
    if (!Files.isDirectory(raw)) return 0;
    try (Stream<Path> dirs = Files.list(raw)) {
      return dirs.filter(d -> !d.getFileName().toString().startsWith(".") && Files.isRegularFile(d.resolve("result.json"))).count();
    }
  }

  static String startedOfOnlyCell(Path raw) throws Exception {
    try (Stream<Path> dirs = Files.list(raw)) {
      Path d = dirs.filter(x -> !x.getFileName().toString().startsWith(".")).findFirst().orElseThrow();
      return JSON.readTree(d.resolve("result.json").toFile()).get("started").asText();
    }
  }

  /** A llama-bench of this test (37 repetitions) is alive. */
  static boolean benchRunning() {
    return ProcessHandle.allProcesses().anyMatch(p -> p.info().commandLine().map(c -> c.contains("llama-bench") && c.contains("-r 37")).orElse(false));
  }
}
