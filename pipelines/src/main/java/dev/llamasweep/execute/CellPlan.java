package dev.llamasweep.execute;

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
    String bench,
    Map<String, Object> params,
    List<String> experiments,
    List<String> argv,
    Map<String, String> env,
    long timeoutSeconds,
    String rawDir,
    Map<String, String> dialect,
    String label) implements Serializable {

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
      sb.append(quote(argv.get(i)));
    }
    return sb.toString();
  }

  /** POSIX single-quote quoting, only where needed, so paths with spaces or ';' stay one word. */
  public static String quote(String s) {
    if (!s.isEmpty() && s.matches("[A-Za-z0-9_./:=,+@%-]+")) return s;
    return "'" + s.replace("'", "'\\''") + "'";
  }
}
