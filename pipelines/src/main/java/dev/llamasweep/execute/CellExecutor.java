package dev.llamasweep.execute;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llamasweep.llamacpp.BenchJsonl;
import dev.llamasweep.llamacpp.BenchRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs one cell: starts llama.cpp with the plan's argv, waits at most the timeout, and writes the
 * cell's raw directory (cell.json, command.sh, stdout, stderr, result.json) atomically. A crash, a
 * non-zero exit, output that is not a result, or a timeout are recorded, never thrown.
 */
public final class CellExecutor {
  private final RawStore store;
  private final CellSensor sensor;

  public CellExecutor(RawStore store) {
    this(store, CellSensor.NONE);
  }

  /** @param sensor watches power and heat while each benchmark runs */
  public CellExecutor(RawStore store, CellSensor sensor) {
    this.store = store;
    this.sensor = sensor;
  }

  public record Outcome(String id, CellStatus status, String reason, double seconds, List<BenchRecord> records) {}

  /**
   * @param observedProfile the power profile active when the cell starts (or "unknown: why")
   * @param refusal when not null, the cell is recorded with this status and reason and nothing runs
   *     (a profile that could not be set, a backend that is unavailable)
   */
  public Outcome run(CellPlan plan, String observedProfile, CellStatus refusedAs, String refusal) {
    Path dir = store.newStaging(plan.id());
    try {
      writeCell(dir, plan);
      long harnessCpuBefore = harnessCpuNanos();
      Run r;
      if (refusal != null) {
        r = new Run();
        r.start = Instant.now();
        r.end = r.start;
        r.status = refusedAs;
        r.reason = refusal;
        Files.createFile(dir.resolve("stdout.jsonl"));
        Files.writeString(dir.resolve("stderr.log"), "not run: " + refusal + "\n");
      } else {
        Quiet.Check quiet = awaitQuiet(plan);
        if (!quiet.quiet() && "refuse".equals(plan.quietPolicy())) {
          r = new Run();
          r.start = Instant.now();
          r.end = r.start;
          r.status = CellStatus.FAILED;
          r.reason = "the machine was not quiet (quiet: refuse): " + quiet.describe();
          Files.createFile(dir.resolve("stdout.jsonl"));
          Files.writeString(dir.resolve("stderr.log"), "not run: " + r.reason + "\n");
        } else {
          CellSensor.Watch watch = sensor.start();
          r = plan.bench().equals("speculative") ? new ServerRun(plan, dir).run() : runBench(plan, dir);
          r.power = watch.stop(dir, r.records, r.start, r.end);
        }
        r.quiet = quiet;
        r.quietWaited = quietWaited;
      }
      r.observedProfile = observedProfile;
      double harnessCpu = (harnessCpuNanos() - harnessCpuBefore) / 1e9;
      double seconds = Duration.between(r.start, r.end).toNanos() / 1e9;
      writeResult(dir, plan, r, seconds, harnessCpu);
      store.publish(dir, plan.id());
      return new Outcome(plan.id(), r.status, r.reason, seconds, r.records);
    } catch (IOException e) {
      throw new UncheckedIOException("writing the raw directory " + dir + " of cell " + plan.id(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running cell " + plan.id(), e);
    }
  }

  private double quietWaited;

  /** The quiet check before a cell; with {@code quiet: wait}, re-checked each second for up to a minute. */
  private Quiet.Check awaitQuiet(CellPlan plan) throws InterruptedException {
    long t0 = System.nanoTime();
    Quiet.Check q = Quiet.sample(java.util.Set.of());
    while (!q.quiet() && "wait".equals(plan.quietPolicy()) && System.nanoTime() - t0 < 60_000_000_000L) {
      Thread.sleep(1000);
      q = Quiet.sample(java.util.Set.of());
    }
    quietWaited = (System.nanoTime() - t0) / 1e9;
    return q;
  }

  /** How one cell's process(es) ended. */
  static final class Run {
    Quiet.Check quiet;
    double quietWaited;
    ObjectNode power;
    CellStatus status;
    String reason;
    Integer exit;
    Instant start;
    Instant end;
    List<BenchRecord> records = List.of();
    String build;
    String observedProfile;
  }

  private static Run runBench(CellPlan plan, Path dir) throws IOException, InterruptedException {
    Path stdout = dir.resolve("stdout.jsonl");
    Path stderr = dir.resolve("stderr.log");
    // the kernel kills the benchmark if this JVM dies, however it dies (setpriv --pdeathsig)
    ProcessBuilder pb = new ProcessBuilder(Children.guarded(plan.argv()))
        .redirectOutput(stdout.toFile())
        .redirectError(stderr.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    pb.environment().putAll(plan.env());
    Run r = new Run();
    r.start = Instant.now();
    boolean timedOut = false;
    String startError = null;
    try {
      Process p = pb.start();
      Children.register(p);
      try (ChildGuard guard = new ChildGuard(p)) {
        if (p.waitFor(plan.timeoutSeconds(), TimeUnit.SECONDS)) {
          r.exit = p.exitValue();
        } else {
          timedOut = true;
          kill(p);
        }
      }
    } catch (IOException e) {
      startError = e.getMessage();
    }
    r.end = Instant.now();
    if (startError != null) {
      r.status = CellStatus.FAILED;
      r.reason = "could not start " + plan.argv().get(0) + ": " + startError;
    } else if (timedOut) {
      r.status = CellStatus.TIMEOUT;
      r.reason = "no result within the timeout of " + plan.timeoutSeconds() + " s; the process was killed";
    } else if (r.exit != 0) {
      r.status = CellStatus.FAILED;
      r.reason = "exit " + r.exit + lastLine(stderr);
    } else {
      try {
        r.records = BenchJsonl.parse(Files.readString(stdout), "stdout.jsonl");
        if (r.records.isEmpty()) {
          r.status = CellStatus.FAILED;
          r.reason = "exit 0 but no results on stdout (llama.cpp prints its help and exits 0 on a flag it does not know)" + lastLine(stderr);
        } else {
          r.status = CellStatus.OK;
          r.build = r.records.get(0).buildCommit();
        }
      } catch (BenchJsonl.MalformedOutput e) {
        r.status = CellStatus.FAILED;
        r.reason = e.getMessage();
      }
    }
    return r;
  }

  private static long harnessCpuNanos() {
    java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0L;
  }

  /**
   * While a benchmark runs, a sweep that is killed (SIGTERM, or Ctrl-C outside a terminal's process
   * group) takes it down too, instead of leaving it running beside whatever runs next.
   */
  static final class ChildGuard implements AutoCloseable {
    private final Thread hook;

    private final Process process;

    ChildGuard(Process p) {
      process = p;
      hook = new Thread(() -> {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
      }, "llama-sweep-stop-child");
      Runtime.getRuntime().addShutdownHook(hook);
    }

    @Override
    public void close() {
      if (!process.isAlive()) Children.unregister(process);
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // shutting down: the hook is running or will
      }
    }
  }

  /** Stops the process and everything it started: politely first, then for good. */
  static void kill(Process p) throws InterruptedException {
    List<ProcessHandle> children = p.descendants().toList();
    p.destroy();
    children.forEach(ProcessHandle::destroy);
    if (!p.waitFor(5, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      children.forEach(ProcessHandle::destroyForcibly);
      p.waitFor(5, TimeUnit.SECONDS);
    }
  }

  static String lastLine(Path stderr) throws IOException {
    List<String> lines = Files.readAllLines(stderr, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
    if (lines.isEmpty()) return "";
    return ": " + lines.get(lines.size() - 1).trim();
  }

  private static void writeCell(Path dir, CellPlan plan) throws IOException {
    ObjectNode cell = RawStore.JSON.createObjectNode();
    cell.put("id", plan.id());
    cell.put("spec", plan.spec());
    cell.put("bench", plan.bench());
    cell.set("params", RawStore.JSON.valueToTree(plan.params()));
    cell.set("experiments", RawStore.JSON.valueToTree(plan.experiments()));
    RawStore.JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("cell.json").toFile(), cell);
    if (plan.bench().equals("speculative")) {
      RawStore.JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("request.json").toFile(), plan.request());
    }
    String sh = "#!/bin/sh\n# llama-sweep cell " + plan.id() + " of spec " + plan.spec()
        + " (" + String.join(", ", plan.experiments()) + ")\n# re-run it: sh command.sh"
        + (plan.bench().equals("speculative") ? " (needs curl)" : "") + "\n" + plan.shellScript();
    Path script = dir.resolve("command.sh");
    Files.writeString(script, sh);
    script.toFile().setExecutable(true);
  }

  private void writeResult(Path dir, CellPlan plan, Run run, double seconds, double harnessCpu) throws IOException {
    ObjectNode r = RawStore.JSON.createObjectNode();
    r.put("id", plan.id());
    r.put("status", run.status.word);
    if (run.reason != null) r.put("reason", run.reason);
    if (run.exit != null) r.put("exit_code", run.exit); else r.putNull("exit_code");
    r.put("started", run.start.toString());
    r.put("ended", run.end.toString());
    r.put("duration_s", Math.round(seconds * 1000) / 1000.0);
    r.put("timeout_s", plan.timeoutSeconds());
    // CPU the orchestrating JVM itself used while the benchmark ran: it should be near 0, and a
    // large value means the harness competed with the benchmark for cores
    r.put("harness_cpu_s", Math.round(harnessCpu * 1000) / 1000.0);
    ArrayNode argv = r.putArray("argv");
    plan.argv().forEach(argv::add);
    r.set("env", RawStore.JSON.valueToTree(plan.env()));
    r.set("flag_dialect", RawStore.JSON.valueToTree(plan.dialect()));
    if (run.build != null) r.put("build", run.build);
    if (!run.records.isEmpty()) {
      r.put("build_commit", run.records.get(0).buildCommit());
      r.put("build_number", run.records.get(0).buildNumber());
      r.put("backends", run.records.get(0).backends());
    }
    if (plan.modelBytes() >= 0) r.put("model_size", plan.modelBytes());
    if (plan.profile() != null) r.put("requested_profile", plan.profile());
    r.put("observed_profile", run.observedProfile);
    if (run.power != null) r.set("power", run.power);
    if (run.quiet != null) {
      ObjectNode q = r.putObject("machine");
      q.put("quiet", run.quiet.quiet());
      q.put("cpu_busy", Math.round(run.quiet.busy() * 1000) / 1000.0);
      q.set("llama_processes", RawStore.JSON.valueToTree(run.quiet.llamaProcesses()));
      q.set("busiest", RawStore.JSON.valueToTree(run.quiet.busiest()));
      q.put("waited_s", Math.round(run.quietWaited * 10) / 10.0);
      q.put("policy", plan.quietPolicy());
      if (!run.quiet.quiet()) q.put("note", run.quiet.describe());
    }
    RawStore.JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("result.json").toFile(), r);
  }

}
