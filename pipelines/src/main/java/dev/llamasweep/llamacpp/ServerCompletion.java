package dev.llamasweep.llamacpp;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses the raw output of a speculative cell: one line per repetition, {@code {"rep": i,
 * "response": <llama-server /completion response>}}, into one record whose samples are the
 * repetitions' generation speed, with drafted and accepted token counts.
 */
public final class ServerCompletion {

  private ServerCompletion() {}

  public record Timing(long promptN, long predictedN, double predictedMs, double predictedPerSecond, long drafted, long accepted) {}

  public static Timing timing(JsonNode response, String where) {
    JsonNode t = response.get("timings");
    if (t == null || !t.isObject()) throw new BenchJsonl.MalformedOutput(where + ": the response has no timings.");
    for (String f : List.of("predicted_n", "predicted_ms", "predicted_per_second")) {
      if (!t.path(f).isNumber()) throw new BenchJsonl.MalformedOutput(where + ": timings." + f + " is missing or not a number.");
    }
    return new Timing(t.path("prompt_n").asLong(0), t.get("predicted_n").asLong(), t.get("predicted_ms").asDouble(),
        t.get("predicted_per_second").asDouble(), t.path("draft_n").asLong(0), t.path("draft_n_accepted").asLong(0));
  }

  /**
   * @param modelSize bytes of the target's tensor data (from its GGUF header)
   * @param build llama-server's build_info, e.g. "b1-80fb11a"
   */
  public static BenchRecord parse(String text, String source, long generate, long modelSize, String build) {
    List<Long> ns = new ArrayList<>();
    List<Double> ts = new ArrayList<>();
    List<Long> drafted = new ArrayList<>();
    List<Long> accepted = new ArrayList<>();
    long promptN = 0;
    for (BenchJsonl.Line l : BenchJsonl.lines(text, source, s -> s)) {
      JsonNode n = l.json();
      String where = l.where();
      Timing t = timing(n.path("response"), where);
      if (t.predictedN() != generate) {
        throw new BenchJsonl.MalformedOutput(where + ": generated " + t.predictedN() + " tokens, not the " + generate + " asked for.");
      }
      promptN = t.promptN();
      ns.add(Math.round(t.predictedMs() * 1e6));
      ts.add(t.predictedPerSecond());
      drafted.add(t.drafted());
      accepted.add(t.accepted());
    }
    if (ts.isEmpty()) throw new BenchJsonl.MalformedOutput(source + ": holds no repetition.");
    Build b = build(build);
    String commit = b.commit();
    long number = b.number();
    // generation after the prompt: llama-bench would call it tg<n> at depth <prompt tokens>
    return new BenchRecord(commit, number, "", "", "", "", modelSize, 0, -1, -1, "", "", 0, generate, promptN, "",
        List.copyOf(ns), List.copyOf(ts), List.copyOf(drafted), List.copyOf(accepted));
  }

  /** A build as llama-server's /props build_info names it ("b1-80fb11a"): its number and commit. */
  public record Build(long number, String commit) {}

  public static Build build(String buildInfo) {
    String commit = buildInfo.contains("-") ? buildInfo.substring(buildInfo.indexOf('-') + 1) : buildInfo;
    long number = buildInfo.startsWith("b") && buildInfo.contains("-") ? parseLong(buildInfo.substring(1, buildInfo.indexOf('-'))) : 0;
    return new Build(number, commit);
  }

  private static long parseLong(String s) {
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
