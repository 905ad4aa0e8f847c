package dev.llamasweep.execute;

import dev.llamasweep.io.Children;
import dev.llamasweep.io.ExitStatus;
import dev.llamasweep.io.InputFiles;
import dev.llamasweep.llamacpp.BenchJsonl;
import dev.llamasweep.llamacpp.ServerStream;
import dev.llamasweep.load.LoadGenerator;
import dev.llamasweep.results.CellStatus;
import dev.llamasweep.results.RawStore;
import java.io.BufferedWriter;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;

/**
 * A server cell: one llama-server with {@code -np N} slots on a free loopback port, a warm-up round of N
 * streamed requests (kept, set aside), then one round of N at once per repetition, every line of every
 * response kept in stdout.jsonl as it arrived. A server that never gets ready, dies, stalls, drops a
 * stream or answers something that is not llama-server's stream fails the cell by name; the server is
 * always stopped (and, as every child, killed with the harness: {@link Children}).
 */
final class ServedRun {
  private final CellPlan plan;
  private final Path dir;

  ServedRun(CellPlan plan, Path dir) {
    this.plan = plan;
    this.dir = dir;
  }

  CellExecutor.Run run() throws IOException, InterruptedException {
    CellExecutor.Run r = new CellExecutor.Run();
    r.start = Instant.now();
    long deadlineNs = System.nanoTime() + plan.timeoutSeconds() * 1_000_000_000L;
    Instant deadline = r.start.plusSeconds(plan.timeoutSeconds());
    Path stdout = dir.resolve("stdout.jsonl");
    Path log = dir.resolve("stderr.log");
    Files.createFile(stdout);
    Files.createFile(log);
    int n = (int) plan.params().concurrency();
    long rounds = plan.params().repetitions();
    int port = ServerRun.freePort();
    Files.writeString(log, "=== port " + port + " ===\n", StandardOpenOption.APPEND);
    Process p;
    try {
      p = ServerRun.start(plan, port, log);
    } catch (IOException e) {
      r.status = CellStatus.FAILED;
      r.reason = e.getMessage();
      r.end = Instant.now();
      return r;
    }
    ServerRun health = new ServerRun(plan, dir);
    try (BufferedWriter out = Files.newBufferedWriter(stdout, StandardOpenOption.APPEND);
        BenchProcess.ChildGuard guard = new BenchProcess.ChildGuard(p)) {
      String base = "http://127.0.0.1:" + port;
      ServerRun.NotReady problem = health.awaitHealthy(p, base, deadline, log);
      if (problem != null) {
        r.status = problem.status();
        r.reason = problem.reason();
        exited(r, p, log, "before it was ready");
      } else {
        r.build = health.buildInfo(base);
        LoadGenerator load = new LoadGenerator(URI.create(base + "/completion"), RawStore.JSON.writeValueAsString(plan.request()), System::nanoTime);
        for (int round = ServerStream.WARM_UP_ROUND; round <= rounds; round++) {
          List<ServerStream.Recorded> answered;
          try {
            answered = load.round(round, n, deadlineNs);
          } catch (LoadGenerator.Failed f) {
            write(out, f.partial());
            r.status = f.stalled() ? CellStatus.TIMEOUT : CellStatus.FAILED;
            r.reason = f.getMessage() + (f.stalled() ? " (timeout " + plan.timeoutSeconds() + " s); the server was stopped" : "");
            exited(r, p, log, "during round " + round);
            break;
          }
          write(out, answered);
        }
      }
    } finally {
      ServerRun.stop(p);
    }
    r.end = Instant.now();
    if (r.status == null) {
      try {
        r.records = List.of(ServerStream.record(InputFiles.text(stdout, InputFiles.Kind.RAW_OUTPUT), "stdout.jsonl", ServerStream.Load.of(plan.params()),
            plan.modelBytes(), r.build == null ? "" : r.build));
        r.status = CellStatus.OK;
      } catch (BenchJsonl.MalformedOutput | InputFiles.Unreadable e) {
        // a stream that is not llama-server's: the cell failed, by name, and the sweep goes on
        r.status = CellStatus.FAILED;
        r.reason = e.getMessage().replaceAll("\\.$", "");
      }
    }
    return r;
  }

  /** A server that has exited is named for it: its exit status, and a crash's signal. */
  private static void exited(CellExecutor.Run r, Process p, Path log, String when) throws IOException, InterruptedException {
    if (p.isAlive() && !p.waitFor(2, java.util.concurrent.TimeUnit.SECONDS)) return;
    r.exit = p.exitValue();
    ExitStatus status = new ExitStatus(r.exit);
    if (status.crashed()) {
      r.status = CellStatus.CRASHED;
      r.reason = "llama-server crashed " + when + ": " + BenchProcess.crashReason(status, log);
    } else {
      r.status = CellStatus.FAILED;
      r.reason = "llama-server exited with " + r.exit + " " + when + BenchProcess.lastLine(log);
    }
  }

  private static void write(BufferedWriter out, List<ServerStream.Recorded> requests) throws IOException {
    for (ServerStream.Recorded q : requests) {
      out.write(ServerStream.encode(q));
      out.newLine();
    }
    out.flush();
  }
}
