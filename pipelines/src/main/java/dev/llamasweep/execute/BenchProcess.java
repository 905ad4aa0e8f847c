package dev.llamasweep.execute;

import dev.llamasweep.io.Children;
import dev.llamasweep.io.ExitStatus;
import dev.llamasweep.llamacpp.BenchJsonl;
import dev.llamasweep.results.CellStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One benchmark process: started with its argv and environment, stdout and stderr into the cell's
 * directory, killed (with everything it started) at its timeout or when this JVM dies, and how it
 * ended told as a status with its reason: failed, crashed (signal and last stderr lines), timed out,
 * or ok with its llama-bench records.
 */
final class BenchProcess {
  private BenchProcess() {}

  /** What --version may take: it prints two lines. */
  private static final long VERSION_TIMEOUT_S = 30;

  /** How a process's stdout becomes records: llama-bench's JSON lines, or a batch point's. */
  @FunctionalInterface
  interface Output {
    List<dev.llamasweep.llamacpp.BenchRecord> records(String stdout);
  }

  static CellExecutor.Run run(CellPlan plan, Path dir) throws IOException, InterruptedException {
    return run(plan, plan.argv(), dir);
  }

  static CellExecutor.Run run(CellPlan plan, List<String> argv, Path dir) throws IOException, InterruptedException {
    return run(plan, argv, dir, out -> BenchJsonl.parse(out, "stdout.jsonl"));
  }

  /**
   * A batch point: llama-batched-bench's --version first (its JSON lines carry no build), then the point's
   * process; its output is the warm-up and one point per repetition.
   */
  static CellExecutor.Run runBatch(CellPlan plan, Path dir) throws IOException, InterruptedException {
    java.nio.file.Path bin = java.nio.file.Path.of(plan.argv().get(0)).getParent();
    // bounded like every probe: a binary that hangs here must not stall the sweep outside its cell's timeout;
    // one that cannot start gives no build, and the point's own run says why
    String version = dev.llamasweep.io.Processes.capture(dev.llamasweep.llamacpp.BatchedBenchCommand.versionArgv(bin), plan.env(), VERSION_TIMEOUT_S);
    dev.llamasweep.llamacpp.BatchedBenchCommand.Build made = version == null ? dev.llamasweep.llamacpp.BatchedBenchCommand.Build.UNKNOWN
        : dev.llamasweep.llamacpp.BatchedBenchCommand.buildOf(version);
    return run(plan, plan.argv(), dir, out -> List.of(dev.llamasweep.llamacpp.BatchedBenchJsonl.record(out, "stdout.jsonl",
        dev.llamasweep.llamacpp.BatchedBenchCommand.Point.of(plan.params()), plan.modelBytes(), made)));
  }

  static CellExecutor.Run run(CellPlan plan, List<String> argv, Path dir, Output output) throws IOException, InterruptedException {
    if (plan.rpc() == null) {
      // a plan that names where the endpoints go must say which servers: never hand llama.cpp the placeholder
      if (argv.contains(CellPlan.Rpc.ENDPOINTS)) return notRun(dir, "llama-sweep planned --rpc " + CellPlan.Rpc.ENDPOINTS + " without its rpc-servers (a bug in llama-sweep; please report it)");
      return runProcess(plan, argv, dir, output);
    }
    Instant deadline = Instant.now().plusSeconds(plan.timeoutSeconds());
    RpcServers servers;
    try {
      servers = RpcServers.start(plan.rpc(), dir, plan.env(), deadline);
    } catch (RpcServers.NotServing e) {
      return notRun(dir, e.getMessage());  // by the server's name
    }
    try (servers) {
      List<String> resolved = argv.stream().map(a -> a.equals(CellPlan.Rpc.ENDPOINTS) ? servers.endpointList() : a).toList();
      CellExecutor.Run r = runProcess(plan, resolved, dir, output);
      String gone = servers.vanished();
      if (gone != null) {
        // whatever llama-bench made of it, a run that lost a server is that server's failure, by name
        r.reason = gone + (r.status == CellStatus.OK ? "" : "; llama-bench then: " + r.reason);
        r.status = CellStatus.FAILED;
        r.records = List.of();
      }
      return r;
    }
  }

  /** A cell that fails before llama.cpp starts: the reason, empty output (never a result). */
  private static CellExecutor.Run notRun(Path dir, String why) throws IOException {
    CellExecutor.Run r = new CellExecutor.Run();
    r.start = Instant.now();
    r.end = r.start;
    r.status = CellStatus.FAILED;
    r.reason = why;
    Files.writeString(dir.resolve("stdout.jsonl"), "");
    Files.writeString(dir.resolve("stderr.log"), "not run: " + why + "\n");
    return r;
  }

  private static CellExecutor.Run runProcess(CellPlan plan, List<String> argv, Path dir, Output output) throws IOException, InterruptedException {
    Path stdout = dir.resolve("stdout.jsonl");
    Path stderr = dir.resolve("stderr.log");
    // the kernel kills the benchmark if this JVM dies, however it dies (setpriv --pdeathsig)
    ProcessBuilder pb = new ProcessBuilder(Children.guarded(argv))
        .redirectOutput(stdout.toFile())
        .redirectError(stderr.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    pb.environment().putAll(plan.env());
    CellExecutor.Run r = new CellExecutor.Run();
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
    } else if (new ExitStatus(r.exit).crashed()) {
      r.status = CellStatus.CRASHED;
      r.reason = crashReason(new ExitStatus(r.exit), stderr);
    } else if (r.exit != 0) {
      r.status = CellStatus.FAILED;
      r.reason = "exit " + r.exit + lastLine(stderr);
    } else {
      try {
        r.records = output.records(Files.readString(stdout));
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

  static long harnessCpuNanos() {
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

  /** "SIGSEGV (signal 11); stderr: …last lines…" or "…; stderr is empty" (a crash often prints nothing). */
  public static String crashReason(ExitStatus exit, Path stderr) {
    String tail = ExitStatus.tail(stderr, 3);
    return exit.describe() + (tail.isEmpty() ? "; stderr is empty" : "; last stderr: " + tail);
  }

  static String lastLine(Path stderr) throws IOException {
    List<String> lines = Files.readAllLines(stderr, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
    if (lines.isEmpty()) return "";
    return ": " + lines.get(lines.size() - 1).trim();
  }
}
