package dev.llamasweep.execute;
import dev.llamasweep.results.RawStore;
import dev.llamasweep.results.CellStatus;

import dev.llamasweep.io.Children;
import dev.llamasweep.io.ExitStatus;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llamasweep.llamacpp.BenchJsonl;
import dev.llamasweep.llamacpp.ServerCommand;
import dev.llamasweep.llamacpp.ServerCompletion;
import dev.llamasweep.spec.Axis;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A speculative cell: for each repetition, start llama-server on a free loopback port, wait until
 * it is healthy, send the cell's /completion request once, keep the raw response, stop the server.
 * A server that dies, answers with an error or runs past the timeout fails the cell with
 * llama.cpp's own words.
 */
final class ServerRun {
  private final CellPlan plan;
  private final Path dir;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  ServerRun(CellPlan plan, Path dir) {
    this.plan = plan;
    this.dir = dir;
  }

  CellExecutor.Run run() throws IOException, InterruptedException {
    CellExecutor.Run r = new CellExecutor.Run();
    r.start = Instant.now();
    Instant deadline = r.start.plusSeconds(plan.timeoutSeconds());
    Path stdout = dir.resolve("stdout.jsonl");
    Path log = dir.resolve("stderr.log");
    Files.createFile(stdout);
    Files.createFile(log);
    String body = RawStore.JSON.writeValueAsString(plan.request());
    long reps = plan.params().repetitions();
    try (BufferedWriter out = Files.newBufferedWriter(stdout, StandardOpenOption.APPEND)) {
      for (int rep = 1; rep <= reps && r.status == null; rep++) {
        int port = freePort();
        Files.writeString(log, "=== repetition " + rep + ": port " + port + " ===\n", StandardOpenOption.APPEND);
        Process p;
        try {
          p = start(plan, port, log);
        } catch (IOException e) {
          r.status = CellStatus.FAILED;
          r.reason = e.getMessage();
          break;
        }
        try (BenchProcess.ChildGuard guard = new BenchProcess.ChildGuard(p)) {
          String base = "http://127.0.0.1:" + port;
          NotReady problem = awaitHealthy(p, base, deadline, log);
          if (problem != null) {
            r.status = problem.status();
            r.reason = problem.reason();
            if (!p.isAlive()) r.exit = p.exitValue();
            if (r.exit != null && new ExitStatus(r.exit).crashed()) {
              r.status = CellStatus.CRASHED;
              r.reason = "llama-server crashed before it was ready: " + BenchProcess.crashReason(new ExitStatus(r.exit), log);
            }
            break;
          }
          if (r.build == null) r.build = buildInfo(base);
          Duration left = Duration.between(Instant.now(), deadline);
          HttpResponse<String> resp;
          try {
            resp = http.send(HttpRequest.newBuilder(URI.create(base + "/completion")).timeout(left.isNegative() ? Duration.ofMillis(1) : left)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
          } catch (java.net.http.HttpTimeoutException e) {
            r.status = CellStatus.TIMEOUT;
            r.reason = "no result within the timeout of " + plan.timeoutSeconds() + " s; the server was stopped";
            break;
          } catch (IOException e) {
            if (p.waitFor(2, java.util.concurrent.TimeUnit.SECONDS) && new ExitStatus(p.exitValue()).crashed()) {
              r.exit = p.exitValue();
              r.status = CellStatus.CRASHED;
              r.reason = "llama-server crashed during the request: " + BenchProcess.crashReason(new ExitStatus(r.exit), log);
            } else {
              r.status = CellStatus.FAILED;
              r.reason = "llama-server dropped the request (" + e.getMessage() + ")" + BenchProcess.lastLine(log);
            }
            break;
          }
          if (resp.statusCode() != 200) {
            r.status = CellStatus.FAILED;
            r.reason = "llama-server answered HTTP " + resp.statusCode() + ": " + errorMessage(resp.body());
            break;
          }
          ObjectNode line = RawStore.JSON.createObjectNode();
          line.put("rep", rep);
          line.set("response", RawStore.JSON.readTree(resp.body()));
          out.write(RawStore.JSON.writeValueAsString(line));
          out.newLine();
          out.flush();
        } finally {
          stop(p);
        }
      }
    }
    r.end = Instant.now();
    if (r.status == null) {
      try {
        r.records = List.of(ServerCompletion.parse(dev.llamasweep.io.InputFiles.text(stdout, dev.llamasweep.io.InputFiles.Kind.RAW_OUTPUT), "stdout.jsonl",
            plan.params().generate(), plan.modelBytes(), r.build == null ? "" : r.build));
        r.status = CellStatus.OK;
      } catch (BenchJsonl.MalformedOutput | dev.llamasweep.io.InputFiles.Unreadable e) {
        // a response that is not UTF-8 or is larger than any response: the cell failed, by name, and the sweep goes on
        r.status = CellStatus.FAILED;
        r.reason = e.getMessage();
      }
    }
    return r;
  }

  /**
   * Starts the plan's llama-server on this port, its output appended to the log, registered so it dies
   * with the harness; an IOException says which program could not be started.
   */
  static Process start(CellPlan plan, int port, Path log) throws IOException {
    List<String> argv = new ArrayList<>();
    for (String a : plan.argv()) argv.add(a.equals(ServerCommand.PORT) ? String.valueOf(port) : a);
    ProcessBuilder pb = new ProcessBuilder(Children.guarded(argv)).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    pb.environment().putAll(plan.env());
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new IOException("could not start " + argv.get(0) + ": " + e.getMessage(), e);
    }
    Children.register(p);
    return p;
  }

  /** Why a server never became ready: it exited (FAILED), or the time ran out (TIMEOUT). */
  record NotReady(CellStatus status, String reason) {}

  /** null once /health answers 200; otherwise why not. */
  NotReady awaitHealthy(Process p, String base, Instant deadline, Path log) throws IOException, InterruptedException {
    while (Instant.now().isBefore(deadline)) {
      if (!p.isAlive()) {
        return new NotReady(CellStatus.FAILED, "llama-server exited with " + p.exitValue() + " before it was ready" + BenchProcess.lastLine(log));
      }
      try {
        HttpResponse<Void> h = http.send(HttpRequest.newBuilder(URI.create(base + "/health")).timeout(Duration.ofSeconds(2)).GET().build(),
            HttpResponse.BodyHandlers.discarding());
        if (h.statusCode() == 200) return null;
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    return new NotReady(CellStatus.TIMEOUT, "llama-server was not ready within the timeout of " + plan.timeoutSeconds() + " s");
  }

  String buildInfo(String base) {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/props")).timeout(Duration.ofSeconds(10)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      JsonNode n = RawStore.JSON.readTree(r.body());
      return n.path("build_info").asText(null);
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private static String errorMessage(String body) {
    try {
      JsonNode n = RawStore.JSON.readTree(body);
      if (n.path("error").has("message")) return n.path("error").path("message").asText();
    } catch (IOException e) {
      // not JSON: quote it as it is
    }
    return body.length() > 300 ? body.substring(0, 300) + "…" : body;
  }

  static void stop(Process p) throws InterruptedException {
    if (!p.isAlive()) return;
    p.destroy();
    if (!p.waitFor(10, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      p.waitFor(5, TimeUnit.SECONDS);
    }
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
