package dev.llamasweep.bench;

import dev.llamasweep.llamacpp.ServerStream;
import dev.llamasweep.load.LoadGenerator;
import dev.llamasweep.stats.StreamTimings;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The load generator's own cost (issue 27): rounds of 64 concurrent streamed requests of 32 tokens against the
 * stand-in server answering every token at once, in its own process, so this JVM's CPU time is the
 * generator's alone (sending, receiving, stamping every line, and parsing the rounds as a cell does). Printed:
 * its CPU per request and per token, the tokens per second it can take in at all, and the CPU per request as
 * a share of a real request's time at concurrency 64 (the H200's LLaMA-2-7B-shape step at B = 64, 12.8 ms,
 * × 32 tokens = 410 ms, the fastest per-request pace measured here: every slower machine leaves it more room).
 */
public final class LoadBench {
  static final int N = 64;
  static final int TOKENS = 32;
  /** The H200's measured step at B = 64 for the LLaMA-2-7B shape (H200BatchReportTest's fixture), ms. */
  static final double H200_STEP_MS_AT_64 = 12.8;

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 40;
    Path bin = dev.llamasweep.it.FakeLlamaServer.binDir(java.nio.file.Files.createTempDirectory("load-bench-"));
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Process server = new ProcessBuilder(bin.resolve("llama-server").toString(), "--port", String.valueOf(port)).redirectErrorStream(true).start();
    try {
      URI base = URI.create("http://127.0.0.1:" + port);
      // the stand-in prints its first line once it listens: read it instead of polling
      String first = new java.io.BufferedReader(new java.io.InputStreamReader(server.getInputStream(), java.nio.charset.StandardCharsets.UTF_8)).readLine();
      if (first == null || !first.contains("listening")) throw new IllegalStateException("the stand-in server did not start: " + first);
      String body = "{\"prompt\":\"hello\",\"n_predict\":" + TOKENS + ",\"stream\":true}";
      LoadGenerator gen = new LoadGenerator(base.resolve("/completion"), body, System::nanoTime);
      long deadline = System.nanoTime() + 300_000_000_000L;
      for (int r = 0; r < 10; r++) gen.round(0, N, deadline);  // warm the JIT and the connections up
      com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      long cpu0 = os.getProcessCpuTime();
      long t0 = System.nanoTime();
      StringBuilder raw = new StringBuilder();
      for (int r = 1; r <= rounds; r++) {
        for (ServerStream.Recorded q : gen.round(r, N, deadline)) raw.append(ServerStream.encode(q)).append('\n');
      }
      var parsed = ServerStream.rounds(raw.toString(), "bench", new ServerStream.Load(N, TOKENS, rounds));
      StreamTimings.latency(parsed.values());
      double wall = (System.nanoTime() - t0) / 1e9;
      double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
      long requests = (long) rounds * N;
      double cpuPerRequestMs = cpu / requests * 1000;
      double requestMs = H200_STEP_MS_AT_64 * TOKENS;
      System.out.printf(Locale.ROOT, "load generator at concurrency %d, %d rounds of %d-token streams against a server answering at once: "
          + "%.3f ms CPU per request (%.1f µs per token), %,.0f tokens/s taken in; %.3f%% of a %d-token request at the H200's B = 64 step "
          + "(%.0f ms) (target < 1%%)%n", N, rounds, TOKENS, cpuPerRequestMs, cpuPerRequestMs * 1000 / TOKENS, requests * TOKENS / wall,
          cpuPerRequestMs / requestMs * 100, TOKENS, requestMs);
    } finally {
      server.destroyForcibly().waitFor();
    }
  }
}
