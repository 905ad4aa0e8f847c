package dev.llamasweep.execute;

import dev.llamasweep.io.Children;
import dev.llamasweep.io.ExitStatus;
import dev.llamasweep.llamacpp.RpcClient;
import dev.llamasweep.results.RpcProbes;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The rpc-servers of one llama-bench run: the cell's own started on free loopback ports (under the
 * same guard as every benchmark process, so none outlives the harness, and stopped when the run ends),
 * or the endpoints someone runs. Each is probed before llama-bench connects — its protocol version,
 * its devices' memory and 32 round trips of a command it answers at once — and the probes go to the
 * run's rpc.jsonl. A server that never answers, or that is gone when the run ends, is named.
 */
final class RpcServers implements AutoCloseable {
  /** Round trips measured per endpoint (the first few warm the connection up; all are kept). */
  static final int ROUND_TRIPS = 32;
  /** How long a server started here may take to listen. */
  static final long START_SECONDS = 30;

  /** Servers that could not be had: the cell fails with this sentence and llama-bench never runs. */
  static final class NotServing extends Exception {
    NotServing(String why) {
      super(why);
    }
  }

  private record Local(int index, int port, Process process, Path log, BenchProcess.ChildGuard guard) {}

  private final List<Local> local = new ArrayList<>();
  private final List<String> endpoints = new ArrayList<>();

  private RpcServers() {}

  /** The RPC server in a bin directory: ggml-rpc-server (since mid-2025), else the older rpc-server. */
  static Path program(Path bin) {
    Path current = bin.resolve(dev.llamasweep.build.Toolchain.RPC_SERVER);
    Path older = bin.resolve("rpc-server");
    return !Files.isExecutable(current) && Files.isExecutable(older) ? older : current;
  }

  /**
   * Starts the cell's servers (or takes its endpoints), waits for each to answer and probes it into
   * {@code dir/rpc.jsonl}; anything started is stopped again when this throws.
   */
  static RpcServers start(CellPlan.Rpc rpc, Path dir, java.util.Map<String, String> env, Instant deadline) throws NotServing, IOException,
      InterruptedException {
    RpcServers s = new RpcServers();
    Path probes = dir.resolve(RpcProbes.FILE);
    try {
      if (rpc.local() > 0) {
        for (int i = 0; i < rpc.local(); i++) {
          int port = ServerRun.freePort();
          Path log = dir.resolve("rpc-server-" + i + ".log");
          List<String> argv = rpc.serverArgv(String.valueOf(port));
          ProcessBuilder pb = new ProcessBuilder(Children.guarded(argv)).redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
          pb.environment().putAll(env);
          Process p;
          try {
            p = pb.start();
          } catch (IOException e) {
            throw new NotServing("could not start rpc-server " + i + " (" + argv.get(0) + "): " + e.getMessage());
          }
          Children.register(p);
          // a sweep stopped by SIGTERM takes its servers down too, as it does its benchmark
          s.local.add(new Local(i, port, p, log, new BenchProcess.ChildGuard(p)));
          s.endpoints.add("127.0.0.1:" + port);
        }
      } else {
        s.endpoints.addAll(rpc.endpoints());
      }
      Instant ready = Instant.now().plusSeconds(START_SECONDS);
      Instant until = ready.isBefore(deadline) ? ready : deadline;
      for (int i = 0; i < s.endpoints.size(); i++) {
        RpcProbes.Probe probe = s.probe(i, until);
        Files.writeString(probes, RpcProbes.encode(probe) + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      }
      return s;
    } catch (NotServing | IOException | InterruptedException | RuntimeException e) {
      s.close();
      throw e;
    }
  }

  /** "127.0.0.1:41234,127.0.0.1:41235": llama-bench's --rpc value. */
  String endpointList() {
    return String.join(",", endpoints);
  }

  private String name(int i) {
    return (local.isEmpty() ? "rpc-server " : "rpc-server " + i + " at ") + endpoints.get(i);
  }

  private RpcProbes.Probe probe(int i, Instant until) throws NotServing, InterruptedException, IOException {
    String endpoint = endpoints.get(i);
    int colon = endpoint.lastIndexOf(':');
    String host = endpoint.substring(0, colon).replace("[", "").replace("]", "");
    int port = Integer.parseInt(endpoint.substring(colon + 1));
    Local own = local.isEmpty() ? null : local.get(i);
    String last = null;
    while (Instant.now().isBefore(until)) {
      if (own != null && !own.process().isAlive()) {
        throw new NotServing(name(i) + " exited with " + own.process().exitValue() + " before it answered" + BenchProcess.lastLine(own.log()));
      }
      try (RpcClient c = new RpcClient(host, port, 5000)) {
        int n = c.deviceCount();
        List<Long> free = new ArrayList<>();
        List<Long> total = new ArrayList<>();
        for (int d = 0; d < n; d++) {
          RpcClient.DeviceMemory m = c.deviceMemory(d);
          free.add(m.free());
          total.add(m.total());
        }
        List<Long> rtt = new ArrayList<>();
        for (int k = 0; k < ROUND_TRIPS; k++) rtt.add(c.roundTripNanos());
        String version = c.version();
        c.close();
        // a server started here prints its devices, flushed once a client connected
        List<String> lines = own == null ? List.of() : deviceLines(own.log());
        return new RpcProbes.Probe(i, endpoint, own != null, version, free, total, lines, rtt);
      } catch (RpcClient.NotAnRpcServer e) {
        throw new NotServing(name(i) + " is not an rpc-server llama-sweep can use: it " + e.getMessage());
      } catch (ConnectException e) {
        last = e.getMessage();
      } catch (IOException e) {
        last = e.getMessage();
        if (own == null) break;  // someone's server that answers and then drops us will not do better in a moment
      }
      Thread.sleep(50);
    }
    throw new NotServing(name(i) + " did not answer within " + (own != null ? START_SECONDS + " s of its start" : "the time allowed")
        + (last == null ? "" : " (" + last + ")"));
  }

  /** The lines under "Devices:" in a server's log, e.g. "CPU: AMD EPYC (24105 MiB, 24105 MiB free)". */
  static List<String> deviceLines(Path log) throws IOException {
    List<String> out = new ArrayList<>();
    boolean in = false;
    for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
      if (line.startsWith("Devices:")) {
        in = true;
      } else if (in && line.startsWith("  ") && !line.trim().startsWith("transport")) {
        out.add(line.trim());
      } else if (in) {
        break;
      }
    }
    return out;
  }

  /**
   * A server of the cell's own that is gone once llama-bench has ended: "rpc-server 1 at 127.0.0.1:41235
   * vanished during the run (killed by SIGKILL (signal 9))", or null while all still serve.
   */
  String vanished() {
    for (Local l : local) {
      if (!l.process().isAlive()) {
        ExitStatus x = new ExitStatus(l.process().exitValue());
        return name(l.index()) + " vanished during the run (" + (x.crashed() ? x.describe() : "exit " + x.code()) + ")";
      }
    }
    return null;
  }

  @Override
  public void close() throws InterruptedException {
    for (Local l : local) {
      ServerRun.stop(l.process());
      l.guard().close();
    }
  }
}
