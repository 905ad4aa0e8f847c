package dev.llamasweep.llamacpp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/** Parses {@code llama-bench -o jsonl} output. */
public final class BenchJsonl {
  private static final ObjectMapper JSON = new ObjectMapper();

  private BenchJsonl() {}

  /** A line that is not a complete llama-bench record; the message names the line and field. */
  public static final class MalformedOutput extends RuntimeException {
    public MalformedOutput(String message) { super(message); }
  }

  /** One JSON line of a tool's output and where it stands ("stdout.jsonl:3"). */
  public record Line(JsonNode json, String where) {}

  /**
   * The JSON lines of a tool's output, blank lines skipped; a line that is not JSON is one sentence naming
   * it. {@code clean} mends what the tool prints that is not JSON before parsing (identity for most).
   */
  public static List<Line> lines(String text, String source, java.util.function.UnaryOperator<String> clean) {
    List<Line> out = new ArrayList<>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].trim();
      if (line.isEmpty()) continue;
      String where = source + ":" + (i + 1);
      try {
        out.add(new Line(JSON.readTree(clean.apply(line)), where));
      } catch (JsonProcessingException e) {
        throw new MalformedOutput(where + ": is not a JSON record (" + e.getOriginalMessage() + ").");
      }
    }
    return out;
  }

  public static List<BenchRecord> parse(String text, String source) {
    List<BenchRecord> out = new ArrayList<>();
    for (Line l : lines(text, source, s -> s)) out.add(record(l.json(), l.where()));
    return out;
  }

  private static BenchRecord record(JsonNode n, String where) {
    List<Long> ns = new ArrayList<>();
    for (JsonNode v : array(n, "samples_ns", where)) ns.add(v.asLong());
    List<Double> ts = new ArrayList<>();
    for (JsonNode v : array(n, "samples_ts", where)) {
      if (!v.isNumber()) throw new MalformedOutput(where + ": samples_ts holds a non-number " + v + ".");
      double t = v.asDouble();
      // a throughput is finite and positive; anything else is a broken record, never a measurement
      String impossible = dev.llamasweep.stats.Plausible.throughput(t);
      if (impossible != null) throw new MalformedOutput(where + ": samples_ts " + impossible + ".");
      ts.add(t);
    }
    if (ts.isEmpty()) throw new MalformedOutput(where + ": samples_ts is empty.");
    if (ns.size() != ts.size()) throw new MalformedOutput(where + ": samples_ns and samples_ts differ in length.");
    return new BenchRecord(
        text(n, "build_commit", where), n.path("build_number").asLong(0),
        text(n, "backends", where), n.path("cpu_info").asText(""), n.path("gpu_info").asText(""),
        n.path("model_type").asText(""), number(n, "model_size", where), n.path("model_n_params").asLong(0),
        n.path("n_threads").asLong(-1), n.path("n_gpu_layers").asLong(-1),
        n.path("flash_attn").asText(""),
        BenchFields.loadMode(n),
        number(n, "n_prompt", where), number(n, "n_gen", where), n.path("n_depth").asLong(0),
        n.path("test_time").asText(""), List.copyOf(ns), List.copyOf(ts), List.of(), List.of(),
        n.path("type_k").asText("f16"), n.path("type_v").asText("f16"),
        n.path("llama_sweep_source_n").asLong(-1),
        n.has("llama_sweep_source_sd") ? n.get("llama_sweep_source_sd").asDouble() : Double.NaN);
  }

  private static JsonNode array(JsonNode n, String field, String where) {
    JsonNode a = n.get(field);
    if (a == null || !a.isArray()) throw new MalformedOutput(where + ": the field " + field + " is missing.");
    return a;
  }

  private static String text(JsonNode n, String field, String where) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) throw new MalformedOutput(where + ": the field " + field + " is missing.");
    return v.asText();
  }

  private static long number(JsonNode n, String field, String where) {
    JsonNode v = n.get(field);
    if (v == null || !v.isNumber()) throw new MalformedOutput(where + ": the field " + field + " is missing or not a number.");
    return v.asLong();
  }
}
