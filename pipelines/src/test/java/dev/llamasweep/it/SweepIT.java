package dev.llamasweep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llamasweep.cli.Main;
import dev.llamasweep.io.Processes;
import dev.llamasweep.host.HostLock;
import dev.llamasweep.llamacpp.BenchJsonl;
import dev.llamasweep.llamacpp.BenchRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end on the real llama-bench built from the pinned source, running the synthetic GGUF
 * target through the Beam pipeline: a crashing cell, a timeout, resume, force, the host lock.
 */
class SweepIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static Path cache;

  @TempDir Path work;

  @BeforeAll
  static void buildOnce() {
    cache = LlamaCpp.cache();
    LlamaCpp.target();
  }

  Path spec(String body) throws IOException {
    Path broken = work.resolve("not a model; really.gguf");
    Files.writeString(broken, "this is not GGUF\n");
    Path f = work.resolve("it.yaml");
    Files.writeString(f, body.replace("@BROKEN@", broken.toString()));
    return f;
  }

  int run(String command, String spec, String... more) {
    return LlamaCpp.sweep(work, command, Path.of(spec), more);
  }

  Map<String, JsonNode> results() throws IOException {
    Map<String, JsonNode> out = new TreeMap<>();
    Path raw = work.resolve("data/it/raw");
    try (Stream<Path> dirs = Files.list(raw)) {
      for (Path d : dirs.toList()) {
        assertFalse(d.getFileName().toString().startsWith("."), "no half-written directory is left: " + d);
        for (String f : List.of("cell.json", "command.sh", "stdout.jsonl", "stderr.log", "result.json")) {
          assertTrue(Files.isRegularFile(d.resolve(f)), d + " has " + f);
        }
        out.put(d.getFileName().toString(), JSON.readTree(d.resolve("result.json").toFile()));
      }
    }
    return out;
  }

  static final String SPEC = """
      name: it
      backends: {cpu: {build: cpu, threads: auto, gpu_layers: 0}}
      models:
        target: {synthetic: target, quant: Q4_K_M}
        broken: {path: "@BROKEN@"}
      defaults: {repetitions: 2, prompt: 32, generate: 8}
      timeout_s: 300
      experiments:
        - name: e
          grid: {model: [target, broken], backend: [cpu], mmap: [true, false]}
      """;

  @Test
  void sweepRecordsFailuresResumesAndForces() throws Exception {
    Path specFile = spec(SPEC);
    assertEquals(3, run("run", specFile.toString()), "exit 3: some cells failed, and they were recorded");

    Map<String, JsonNode> first = results();
    assertEquals(4, first.size());
    List<JsonNode> ok = first.values().stream().filter(r -> r.get("status").asText().equals("ok")).toList();
    List<JsonNode> failed = first.values().stream().filter(r -> r.get("status").asText().equals("failed")).toList();
    assertEquals(2, ok.size());
    assertEquals(2, failed.size());
    for (JsonNode f : failed) {
      assertNotEquals(0, f.get("exit_code").asInt(), "llama-bench exits non-zero on a file that is not GGUF");
      assertFalse(f.get("reason").asText().isBlank());
      assertTrue(Files.size(work.resolve("data/it/raw").resolve(f.get("id").asText()).resolve("stderr.log")) > 0);
    }
    for (JsonNode r : ok) {
      assertEquals("80fb11a", r.get("build_commit").asText());
      assertEquals("LOAD_MODE", r.get("flag_dialect").get("mmap").asText());
      assertTrue(r.get("harness_cpu_s").asDouble() < 1.0, "the harness stays off the CPU while llama-bench runs: " + r);
    }
    assertStrictlySequential(first.values());

    // samples.csv: 2 ok cells × (pp32, tg8) × 2 repetitions, every one traceable to its cell
    List<CSVRecord> samples = csv(work.resolve("data/it/samples.csv"));
    assertEquals(8, samples.size());
    for (CSVRecord s : samples) {
      assertTrue(Double.parseDouble(s.get("tokens_per_s")) > 0);
      assertTrue(first.containsKey(s.get("cell")));
      assertEquals("target", s.get("model"));
    }
    String report = Files.readString(work.resolve("reports/it/report.md"));
    assertTrue(report.contains("**failed: exit "), report);
    assertTrue(report.contains("tg8 (t/s)"), report);
    assertTrue(report.contains("GB/s"), report);
    assertTrue(Files.readString(work.resolve("reports/it/summary.csv")).contains(",failed,"));

    // command.sh is copy-pasteable: running it gives the same kind of llama-bench output
    String okId = ok.get(0).get("id").asText();
    Path okDir = work.resolve("data/it/raw").resolve(okId);
    String again = Processes.check(List.of("sh", okDir.resolve("command.sh").toString()), work, "command.sh");
    List<BenchRecord> rerun = BenchJsonl.parse(again.lines().filter(l -> l.startsWith("{")).reduce("", (a, b) -> a + b + "\n"), "rerun");
    assertEquals(List.of("pp32", "tg8"), rerun.stream().map(BenchRecord::test).toList());

    // resume: delete one finished cell; only it (and the failed ones) run again
    String keptId = ok.get(1).get("id").asText();
    String keptStart = ok.get(1).get("started").asText();
    deleteTree(okDir);
    assertEquals(3, run("run", specFile.toString()));
    Map<String, JsonNode> second = results();
    assertEquals(4, second.size());
    assertEquals(keptStart, second.get(keptId).get("started").asText(), "a completed cell is not re-run");
    assertEquals("ok", second.get(okId).get("status").asText(), "the deleted cell ran again");

    // everything selected complete: nothing runs, and nothing is re-rendered
    assertEquals(0, run("run", specFile.toString(), "--where", "model=target"));
    assertEquals(keptStart, results().get(keptId).get("started").asText());

    // `cell` always re-runs the one cell
    assertEquals(0, run("cell", specFile.toString(), keptId.substring(0, 6)));
    assertNotEquals(keptStart, results().get(keptId).get("started").asText());

    // `reports` re-renders from data/ alone, byte for byte the same
    String before = Files.readString(work.resolve("reports/it/report.md"));
    assertEquals(0, run("reports", specFile.toString()));
    assertEquals(before, Files.readString(work.resolve("reports/it/report.md")));

    // the data directory carries the spec it ran with, and renders by its name alone, the same report
    assertEquals(Files.readString(specFile), Files.readString(work.resolve("data/it/spec.yaml")));
    assertEquals(0, run("reports", "it"));
    assertEquals(before.lines().skip(3).toList(), Files.readString(work.resolve("reports/it/report.md")).lines().skip(3).toList());
    // the build the cells ran on is in host.json with its self-test, and in the report's backends table
    JsonNode build = new com.fasterxml.jackson.databind.ObjectMapper().readTree(work.resolve("data/it/host.json").toFile())
        .path("backends").path("cpu").path("build");
    assertTrue(build.path("self_test").asText().contains("pp and tg ok"), build.toString());
    assertTrue(before.contains("| built with | CPU features | self-test |"), before);
  }

  @Test
  void hangingBenchmarkTimesOutAndTheSweepGoesOn() throws Exception {
    Path specFile = spec("""
        name: it
        backends: {cpu: {build: cpu, threads: auto, gpu_layers: 0}}
        models: {target: {synthetic: target, quant: Q4_K_M}}
        defaults: {prompt: 0, generate: 8}
        timeout_s: 2
        experiments:
          - name: e
            grid: {model: [target], backend: [cpu], repetitions: [100000, 1]}
        """);
    long t0 = System.nanoTime();
    assertEquals(3, run("run", specFile.toString()));
    assertTrue((System.nanoTime() - t0) / 1e9 < 60);
    Map<String, JsonNode> r = results();
    assertEquals(List.of("ok", "timeout"), r.values().stream().map(n -> n.get("status").asText()).sorted().toList());
    JsonNode timedOut = r.values().stream().filter(n -> n.get("status").asText().equals("timeout")).findFirst().orElseThrow();
    assertTrue(timedOut.get("exit_code").isNull());
    assertTrue(timedOut.get("duration_s").asDouble() < 10);
    String report = Files.readString(work.resolve("reports/it/report.md"));
    assertTrue(report.contains("**timeout: no result within the timeout of 2 s"), report);
  }

  /** A real llama-bench killed by SIGSEGV mid-run (as AMX kernels kill it) reads as a crash everywhere, and the sweep goes on. */
  @Test
  void aBenchmarkKilledByASignalIsRecordedAsACrash() throws Exception {
    Path specFile = spec("""
        name: it
        backends: {cpu: {build: cpu, threads: auto, gpu_layers: 0}}
        models: {target: {synthetic: target, quant: Q4_K_M}}
        defaults: {prompt: 0, generate: 8}
        timeout_s: 120
        experiments:
          - name: e
            order: sequential
            grid: {model: [target], backend: [cpu], repetitions: [100000, 1]}
        """);
    LlamaCpp.target();
    Thread killer = new Thread(() -> {
      long deadline = System.nanoTime() + 100_000_000_000L;
      while (System.nanoTime() < deadline) {
        var victim = ProcessHandle.allProcesses().filter(h -> h.info().command().orElse("").endsWith("llama-bench")
            && java.util.Arrays.asList(h.info().arguments().orElse(new String[0])).contains("100000")).findFirst();
        if (victim.isPresent()) {
          try {
            new ProcessBuilder("kill", "-SEGV", String.valueOf(victim.get().pid())).start().waitFor();
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
          return;
        }
        Thread.onSpinWait();
      }
    });
    killer.start();
    assertEquals(3, run("run", specFile.toString()), "a crash is a failure for the exit code");
    killer.join();
    Map<String, JsonNode> r = results();
    assertEquals(List.of("crashed", "ok"), r.values().stream().map(n -> n.get("status").asText()).sorted().toList());
    JsonNode crashed = r.values().stream().filter(n -> n.get("status").asText().equals("crashed")).findFirst().orElseThrow();
    assertEquals(139, crashed.get("exit_code").asInt());
    assertTrue(crashed.get("reason").asText().startsWith("SIGSEGV (signal 11); "), crashed.toString());
    assertTrue(Files.readString(work.resolve("reports/it/report.md")).contains("**crashed: SIGSEGV (signal 11); "));
    assertTrue(Files.readString(work.resolve("data/it/cells.csv")).contains(",crashed,"));
  }

  @Test
  void secondSweepOnTheSameHostRefusesWhenAskedNotToWait() throws Exception {
    Path specFile = spec(SPEC);
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
    try (HostLock held = HostLock.acquire(HostLock.defaultPath(), false, quiet)) {
      assertEquals(1, run("run", specFile.toString(), "--no-wait"));
    }
    assertFalse(Files.exists(work.resolve("data/it/raw")), "nothing ran");
  }

  @Test
  void badSpecRunsNothing() throws Exception {
    Path specFile = spec(SPEC.replace("mmap: [true, false]", "mmap: [true, sometimes]"));
    assertEquals(2, run("run", specFile.toString()));
    assertFalse(Files.exists(work.resolve("data/it")), "nothing ran or was written");
  }

  /** No two llama-bench processes overlapped: each cell's run, or each round of an interleaved cell, is one interval. */
  static void assertStrictlySequential(java.util.Collection<JsonNode> results) {
    List<Instant[]> runs = new ArrayList<>();
    for (JsonNode r : results) {
      if (r.path("order").has("round")) {
        for (JsonNode round : r.get("order").get("round")) {
          Instant s = Instant.parse(round.get("started").asText());
          runs.add(new Instant[] {s, s.plusMillis(Math.round(round.get("wall_s").asDouble() * 1000))});
        }
      } else {
        runs.add(new Instant[] {Instant.parse(r.get("started").asText()), Instant.parse(r.get("ended").asText())});
      }
    }
    runs.sort(Comparator.comparing(x -> x[0]));
    for (int i = 1; i < runs.size(); i++) {
      assertFalse(runs.get(i)[0].isBefore(runs.get(i - 1)[1]), "benchmarks overlapped: " + runs.get(i - 1)[0] + "–" + runs.get(i - 1)[1]
          + " and " + runs.get(i)[0]);
    }
  }

  static List<CSVRecord> csv(Path file) throws IOException {
    try (var r = Files.newBufferedReader(file)) {
      return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(r).getRecords();
    }
  }

  static void deleteTree(Path p) throws IOException {
    try (Stream<Path> walk = Files.walk(p)) {
      for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) Files.delete(q);
    }
  }
}
