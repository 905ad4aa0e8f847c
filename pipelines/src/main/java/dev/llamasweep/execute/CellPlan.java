package dev.llamasweep.execute;

import dev.llamasweep.spec.Bench;
import dev.llamasweep.spec.Cell;
import dev.llamasweep.spec.Cooldown;
import dev.llamasweep.spec.Params;
import dev.llamasweep.spec.ProfilePolicy;
import dev.llamasweep.spec.QuietPolicy;
import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * Everything needed to run one cell, resolved before anything runs: the argv (never a shell
 * string), environment overrides, timeout and where its raw directory goes. Paths are strings so
 * plans travel through any Beam runner.
 */
public record CellPlan(int index, String spec, Cell cell, Command command, String label, Policies policies, String skipReason,
    Interleaving interleaving) implements Serializable {

  /**
   * What runs: the argv (never a shell string), environment overrides, the timeout, the raw directory,
   * the flag spellings its binary's --help gave, a server request's body and the model's bytes.
   *
   * @param request a speculative cell's /completion body (empty for llama-bench)
   * @param modelBytes the model's size as the plan knows it (-1: llama-bench reports it itself)
   */
  public record Command(List<String> argv, Map<String, String> env, long timeoutSeconds, String rawDir, Map<String, String> dialect,
      Map<String, Object> request, long modelBytes, Rpc rpc) implements Serializable {
    public Command(List<String> argv, Map<String, String> env, long timeoutSeconds, String rawDir, Map<String, String> dialect,
        Map<String, Object> request, long modelBytes) {
      this(argv, env, timeoutSeconds, rawDir, dialect, request, modelBytes, null);
    }

    /** A llama-bench command: no request body, and llama-bench reports the model's size itself. */
    public static Command bench(List<String> argv, Map<String, String> env, long timeoutSeconds, String rawDir, Map<String, String> dialect) {
      return new Command(argv, env, timeoutSeconds, rawDir, dialect, Map.of(), -1);
    }
  }

  /**
   * The rpc-servers a cell's llama-bench splits its model over: {@code local} servers started for the cell
   * ({@code server}, with {@code threads} CPU threads each, on loopback ports picked when it runs) or the
   * {@code endpoints} someone else runs. The argv holds {@link #ENDPOINTS} where the list goes.
   */
  public record Rpc(int local, List<String> endpoints, String server, Integer threads) implements Serializable {
    /** Where the argv's --rpc value goes: the endpoints are known when the servers run. */
    public static final String ENDPOINTS = "{rpc}";

    public Rpc {
      endpoints = List.copyOf(endpoints);
    }

    /** The argv of local server i on a port. */
    public List<String> serverArgv(String port) {
      List<String> a = new java.util.ArrayList<>(List.of(server, "-H", "127.0.0.1", "-p", port));
      if (threads != null) a.addAll(List.of("-t", String.valueOf(threads)));
      return a;
    }
  }

  public Rpc rpc() { return command.rpc(); }

  /** How the sweep treats the machine around the cell: the power profile, a quiet machine, a cool-down. */
  public record Policies(ProfilePolicy profilePolicy, long profileSettleSeconds, QuietPolicy quietPolicy, Cooldown cooldown) implements Serializable {
    /** Apply the profile, warn when the machine is busy, no cool-down. */
    public static final Policies DEFAULT = new Policies(ProfilePolicy.APPLY, 0, QuietPolicy.WARN, null);
  }

  /** The interleaving group a cell runs in (null: none) and how many rounds its repetitions are split into. */
  public record Interleaving(String group, int rounds) implements Serializable {
    public static final Interleaving NONE = new Interleaving(null, 1);
  }

  public String id() { return cell.id(); }
  public Bench bench() { return cell.bench(); }
  public Params params() { return cell.params(); }
  public List<String> experiments() { return cell.experiments(); }
  public List<String> argv() { return command.argv(); }
  public Map<String, String> env() { return command.env(); }
  public long timeoutSeconds() { return command.timeoutSeconds(); }
  public String rawDir() { return command.rawDir(); }
  public Map<String, String> dialect() { return command.dialect(); }
  public Map<String, Object> request() { return command.request(); }
  public long modelBytes() { return command.modelBytes(); }
  public ProfilePolicy profilePolicy() { return policies.profilePolicy(); }
  public long profileSettleSeconds() { return policies.profileSettleSeconds(); }
  public QuietPolicy quietPolicy() { return policies.quietPolicy(); }
  public Cooldown cooldown() { return policies.cooldown(); }
  public String orderGroup() { return interleaving.group(); }
  public int rounds() { return interleaving.rounds(); }

  /** The cell as the data directory knows it (no argv environment, timeout or policies): what readers and renderers take. */
  public dev.llamasweep.results.CellEntry entry() {
    return new dev.llamasweep.results.CellEntry(index, cell, rawDir() == null || rawDir().isEmpty() ? null : java.nio.file.Path.of(rawDir()),
        argv(), shellCommand());
  }

  /** The same plan at another position in the run order. */
  public CellPlan withIndex(int i) {
    return new CellPlan(i, spec, cell, command, label, policies, skipReason, interleaving);
  }

  /** The power profile this cell asks for, or null. */
  public String profile() {
    return params().profile();
  }

  /** A copy-pasteable shell line reproducing the run, environment overrides included. */
  public String shellCommand() {
    StringBuilder sb = new StringBuilder();
    if (!env().isEmpty()) {
      sb.append("env");
      env().forEach((k, v) -> sb.append(' ').append(k).append('=').append(quote(v)));
      sb.append(' ');
    }
    List<String> argv = argv();
    for (int i = 0; i < argv.size(); i++) {
      if (i > 0) sb.append(' ');
      // a server's port is picked when it runs; in a shell line it is $PORT
      sb.append(argv.get(i).equals("{port}") ? "\"$PORT\"" : argv.get(i).equals(Rpc.ENDPOINTS) ? "\"$RPC\"" : quote(argv.get(i)));
    }
    return sb.toString();
  }

  /**
   * Shell lines that reproduce the whole cell. For llama-bench that is its command; for a
   * speculative cell, each repetition starts llama-server, sends the request once with curl and
   * stops the server (the response's timings.predicted_per_second is the sample).
   */
  public String shellScript() {
    if (rpc() != null) return rpcScript();
    if (bench() != Bench.SPECULATIVE && bench() != Bench.SERVER) return shellCommand() + "\n";
    long reps = params().repetitions();
    String body;
    try {
      body = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(request());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    if (bench() == Bench.SERVER) {
      // one server; round 0 warms its slots up, then each round sends N streams at once (curl -N prints each event as it comes)
      return "PORT=${PORT:-18080}\n"
          + shellCommand() + " >>\"${TMPDIR:-/tmp}/llama-server-$PORT.log\" 2>&1 &\n"
          + "pid=$!\n"
          + "trap 'kill $pid 2>/dev/null' EXIT\n"
          + "until curl -sf \"http://127.0.0.1:$PORT/health\" >/dev/null; do kill -0 $pid 2>/dev/null || exit 1; sleep 0.2; done\n"
          + "cat >\"${TMPDIR:-/tmp}/llama-sweep-request-$PORT.json\" <<'LLAMA_SWEEP_REQUEST'\n"
          + body + "\n"
          + "LLAMA_SWEEP_REQUEST\n"
          + "for round in $(seq 0 " + reps + "); do\n"
          + "  pids=\n"
          + "  for i in $(seq 1 " + params().concurrency() + "); do\n"
          + "    curl -sN \"http://127.0.0.1:$PORT/completion\" -H 'Content-Type: application/json' --data-binary @\"${TMPDIR:-/tmp}/llama-sweep-request-$PORT.json\" &\n"
          + "    pids=\"$pids $!\"\n"
          + "  done\n"
          + "  wait $pids\n"
          + "done\n";
    }
    return "PORT=${PORT:-18080}\n"
        + "for rep in $(seq 1 " + reps + "); do\n"
        + "  " + shellCommand() + " >>\"${TMPDIR:-/tmp}/llama-server-$PORT.log\" 2>&1 &\n"
        + "  pid=$!\n"
        + "  until curl -sf \"http://127.0.0.1:$PORT/health\" >/dev/null; do kill -0 $pid 2>/dev/null || exit 1; sleep 0.2; done\n"
        + "  curl -s \"http://127.0.0.1:$PORT/completion\" -H 'Content-Type: application/json' --data-binary @- <<'LLAMA_SWEEP_REQUEST'\n"
        + body + "\n"
        + "LLAMA_SWEEP_REQUEST\n"
        + "  echo; kill $pid; wait $pid\n"
        + "done\n";
  }

  /**
   * A cell on rpc-servers: its own servers started on loopback ports from $RPC_PORT (50052 unless set),
   * waited for (llama-bench lists their devices once they answer) and stopped on exit; or the endpoints as named.
   */
  private String rpcScript() {
    Rpc r = rpc();
    if (r.local() == 0) return "RPC=" + quote(String.join(",", r.endpoints())) + "\n" + shellCommand() + "\n";
    String bench = quote(argv().get(0));
    StringBuilder s = new StringBuilder("RPC_PORT=${RPC_PORT:-50052}\nRPC=\npids=\ntrap 'kill $pids 2>/dev/null' EXIT\n");
    s.append("for i in $(seq 0 ").append(r.local() - 1).append("); do\n")
        .append("  port=$((RPC_PORT + i))\n")
        .append("  ").append(String.join(" ", r.serverArgv("$port").stream().map(a -> a.equals("$port") ? "\"$port\"" : quote(a)).toList()))
        .append(" >\"${TMPDIR:-/tmp}/rpc-server-$port.log\" 2>&1 &\n")
        .append("  pids=\"$pids $!\"\n")
        .append("  RPC=\"${RPC:+$RPC,}127.0.0.1:$port\"\n")
        .append("done\n")
        .append("until ").append(bench).append(" --rpc \"$RPC\" --list-devices >/dev/null 2>&1; do sleep 0.2; done\n")
        .append(shellCommand()).append("\n");
    return s.toString();
  }

  /** POSIX single-quote quoting (see {@link dev.llamasweep.io.Shell#quote}). */
  public static String quote(String s) {
    return dev.llamasweep.io.Shell.quote(s);
  }
}
