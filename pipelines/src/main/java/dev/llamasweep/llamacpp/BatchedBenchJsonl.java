package dev.llamasweep.llamacpp;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Parses {@code llama-batched-bench --output-format jsonl}: one line per (pp, tg, pl) point. Its
 * generation phase decodes tg steps, each a batch of pl tokens, one per sequence (tools/batched-bench:
 * the "0123 0123 …" pattern unless -tgs), so a point is one decode step over B = pl tokens.
 */
public final class BatchedBenchJsonl {
  /** llama.cpp prints a speed with no time behind it (no prompt ran) as printf's nan or inf, which JSON has no word for. */
  private static final Pattern NON_NUMBER = Pattern.compile("(:\\s*)[-+]?(nan|inf)\\b", Pattern.CASE_INSENSITIVE);

  private BatchedBenchJsonl() {}

  /**
   * One point of the curve.
   *
   * @param pl the parallel sequences: B, the tokens one generation step decodes
   * @param tgSeconds the time of the tg generation steps together
   */
  public record Point(long pp, long tg, long pl, long nKv, double tgSeconds, long nThreads, long nGpuLayers, long nBatch, long nUbatch) {
    /** One decode step over B tokens, in milliseconds. */
    public double msPerStep() {
      return tgSeconds * 1000 / tg;
    }

    /** Tokens generated per second, all sequences together: B tokens per step. */
    public double tokensPerSecond() {
      return pl * tg / tgSeconds;
    }
  }

  public static List<Point> parse(String text, String source) {
    List<Point> out = new ArrayList<>();
    for (BenchJsonl.Line l : BenchJsonl.lines(text, source, line -> NON_NUMBER.matcher(line).replaceAll("$1null"))) {
      JsonNode n = l.json();
      String where = l.where();
      long tg = whole(n, "tg", where);
      long pl = whole(n, "pl", where);
      if (tg < 1 || pl < 1) throw new BenchJsonl.MalformedOutput(where + ": a point needs tg and pl of 1 or more, not tg " + tg + ", pl " + pl + ".");
      JsonNode t = n.get("t_tg");
      if (t == null || !t.isNumber() || !(t.asDouble() > 0) || Double.isInfinite(t.asDouble())) {
        throw new BenchJsonl.MalformedOutput(where + ": t_tg must be a positive number of seconds, not " + t + ".");
      }
      Point p = new Point(whole(n, "pp", where), tg, pl, n.path("n_kv").asLong(-1), t.asDouble(), n.path("n_threads").asLong(-1),
          n.path("n_gpu_layers").asLong(-1), n.path("n_batch").asLong(-1), n.path("n_ubatch").asLong(-1));
      String impossible = dev.llamasweep.stats.Plausible.throughput(p.tokensPerSecond());
      if (impossible != null) throw new BenchJsonl.MalformedOutput(where + ": its tokens per second " + impossible + ".");
      out.add(p);
    }
    return out;
  }

  /**
   * A point's output as one record: the first point is the warm-up (set aside), each of the others one
   * repetition, whose sample is its tokens per second (B × tg / t_tg). Output that does not hold exactly
   * the points asked for — llama-batched-bench skips a point whose context does not fit, silently — is
   * malformed, never fewer samples.
   *
   * @param modelBytes the model's tensor bytes (batched-bench does not report them)
   * @param build the binary's build, from its --version
   */
  public static BenchRecord record(String text, String source, BatchedBenchCommand.Point asked, long modelBytes, BatchedBenchCommand.Build build) {
    List<Point> points = parse(text, source);
    long expected = asked.repetitions() + 1;
    if (points.size() != expected) {
      throw new BenchJsonl.MalformedOutput(source + ": holds " + points.size() + " points, not the warm-up and " + asked.repetitions()
          + " repetitions asked for (llama-batched-bench skips a point whose context does not fit).");
    }
    List<Long> ns = new ArrayList<>();
    List<Double> ts = new ArrayList<>();
    for (int i = 0; i < points.size(); i++) {
      Point p = points.get(i);
      long steps = i == 0 ? BatchedBenchCommand.WARMUP_STEPS : asked.generate();
      if (p.pl() != asked.batch() || p.pp() != asked.depth() || p.tg() != steps) {
        throw new BenchJsonl.MalformedOutput(source + ":" + (i + 1) + ": a point of pl " + p.pl() + ", pp " + p.pp() + ", tg " + p.tg()
            + ", where pl " + asked.batch() + ", pp " + asked.depth() + ", tg " + steps + " was asked for.");
      }
      if (i == 0) continue;
      ns.add(Math.round(p.tgSeconds() * 1e9));
      ts.add(p.tokensPerSecond());
    }
    Point first = points.get(1);
    return new BenchRecord(build.commit(), build.number(), "", "", "", "", modelBytes, 0, first.nThreads(), first.nGpuLayers(), "", "", 0, asked.generate(),
        asked.depth(), "", List.copyOf(ns), List.copyOf(ts), List.of(), List.of(), "f16", "f16", -1, Double.NaN, asked.batch());
  }

  private static long whole(JsonNode n, String field, String where) {
    JsonNode v = n.get(field);
    if (v == null || !v.canConvertToLong() || !v.isIntegralNumber()) {
      throw new BenchJsonl.MalformedOutput(where + ": the field " + field + " is missing or not a whole number.");
    }
    return v.asLong();
  }
}
