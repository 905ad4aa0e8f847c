package dev.llamasweep.execute;

import dev.llamasweep.spec.Bench;
import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * Everything needed to run one cell, resolved before anything runs: the argv (never a shell
 * string), environment overrides, timeout and where its raw directory goes. Paths are strings so
 * plans travel through any Beam runner.
 */
public record CellPlan(
    int index,
    String id,
    String spec,
    Bench bench,
    dev.llamasweep.spec.Params params,
    List<String> experiments,
    List<String> argv,
    Map<String, String> env,
    long timeoutSeconds,
    String rawDir,
    Map<String, String> dialect,
    String label,
    Map<String, Object> request,
    long modelBytes,
    dev.llamasweep.spec.ProfilePolicy profilePolicy,
    long profileSettleSeconds,
    String skipReason,
    dev.llamasweep.spec.QuietPolicy quietPolicy,
    String orderGroup,
    int rounds,
    dev.llamasweep.spec.Cooldown cooldown) implements Serializable {


  public CellPlan(int index, String id, String spec, Bench bench, dev.llamasweep.spec.Params params, List<String> experiments,
      List<String> argv, Map<String, String> env, long timeoutSeconds, String rawDir, Map<String, String> dialect, String label,
      Map<String, Object> request, long modelBytes, dev.llamasweep.spec.ProfilePolicy profilePolicy, long profileSettleSeconds, String skipReason,
      dev.llamasweep.spec.QuietPolicy quietPolicy,
      String orderGroup, int rounds) {
    this(index, id, spec, bench, params, experiments, argv, env, timeoutSeconds, rawDir, dialect, label, request, modelBytes,
        profilePolicy, profileSettleSeconds, skipReason, quietPolicy, orderGroup, rounds, null);
  }

  public CellPlan(int index, String id, String spec, Bench bench, dev.llamasweep.spec.Params params, List<String> experiments,
      List<String> argv, Map<String, String> env, long timeoutSeconds, String rawDir, Map<String, String> dialect, String label,
      Map<String, Object> request, long modelBytes, dev.llamasweep.spec.ProfilePolicy profilePolicy, long profileSettleSeconds, String skipReason,
      dev.llamasweep.spec.QuietPolicy quietPolicy) {
    this(index, id, spec, bench, params, experiments, argv, env, timeoutSeconds, rawDir, dialect, label, request, modelBytes,
        profilePolicy, profileSettleSeconds, skipReason, quietPolicy, null, 1);
  }

  /** A plan whose machine-quiet policy is the default: warn (run, record, flag). */
  public CellPlan(int index, String id, String spec, Bench bench, dev.llamasweep.spec.Params params, List<String> experiments,
      List<String> argv, Map<String, String> env, long timeoutSeconds, String rawDir, Map<String, String> dialect, String label,
      Map<String, Object> request, long modelBytes, dev.llamasweep.spec.ProfilePolicy profilePolicy, long profileSettleSeconds, String skipReason) {
    this(index, id, spec, bench, params, experiments, argv, env, timeoutSeconds, rawDir, dialect, label, request, modelBytes,
        profilePolicy, profileSettleSeconds, skipReason, dev.llamasweep.spec.QuietPolicy.WARN);
  }

  /** A llama-bench plan: no request body, model size comes from llama-bench itself. */
  public CellPlan(int index, String id, String spec, Bench bench, dev.llamasweep.spec.Params params, List<String> experiments,
      List<String> argv, Map<String, String> env, long timeoutSeconds, String rawDir, Map<String, String> dialect, String label) {
    this(index, id, spec, bench, params, experiments, argv, env, timeoutSeconds, rawDir, dialect, label, Map.of(), -1, dev.llamasweep.spec.ProfilePolicy.APPLY, 0, null);
  }

  /** The cell as the data directory knows it (no argv environment, timeout or policies): what readers and renderers take. */
  public dev.llamasweep.results.CellEntry entry() {
    return new dev.llamasweep.results.CellEntry(index, new dev.llamasweep.spec.Cell(id, bench, params, experiments),
        rawDir == null || rawDir.isEmpty() ? null : java.nio.file.Path.of(rawDir), argv, shellCommand());
  }

  /** The same plan at another position in the run order. */
  public CellPlan withIndex(int i) {
    return new CellPlan(i, id, spec, bench, params, experiments, argv, env, timeoutSeconds, rawDir, dialect, label, request,
        modelBytes, profilePolicy, profileSettleSeconds, skipReason, quietPolicy, orderGroup, rounds, cooldown);
  }

  /** The power profile this cell asks for, or null. */
  public String profile() {
    return params.profile();
  }

  /** A copy-pasteable shell line reproducing the run, environment overrides included. */
  public String shellCommand() {
    StringBuilder sb = new StringBuilder();
    if (!env.isEmpty()) {
      sb.append("env");
      env.forEach((k, v) -> sb.append(' ').append(k).append('=').append(quote(v)));
      sb.append(' ');
    }
    for (int i = 0; i < argv.size(); i++) {
      if (i > 0) sb.append(' ');
      // a server's port is picked when it runs; in a shell line it is $PORT
      sb.append(argv.get(i).equals("{port}") ? "\"$PORT\"" : quote(argv.get(i)));
    }
    return sb.toString();
  }

  /**
   * Shell lines that reproduce the whole cell. For llama-bench that is its command; for a
   * speculative cell, each repetition starts llama-server, sends the request once with curl and
   * stops the server (the response's timings.predicted_per_second is the sample).
   */
  public String shellScript() {
    if (bench != Bench.SPECULATIVE) return shellCommand() + "\n";
    long reps = params.repetitions();
    String body;
    try {
      body = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(request);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
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

  /** POSIX single-quote quoting (see {@link dev.llamasweep.io.Shell#quote}). */
  public static String quote(String s) {
    return dev.llamasweep.io.Shell.quote(s);
  }
}
