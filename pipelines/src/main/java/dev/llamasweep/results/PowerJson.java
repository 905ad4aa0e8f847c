package dev.llamasweep.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llamasweep.host.PowerRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * The one codec of a cell's power record: the "power" object of result.json (and of each round in
 * its "order"), and the power column of cells.csv, which holds the same JSON on one line. Field names
 * are the file format users read; an absent figure is an absent key.
 */
public final class PowerJson {
  private PowerJson() {}

  public static ObjectNode write(PowerRecord p) {
    ObjectNode n = RawStore.JSON.createObjectNode();
    put(n, "samples", p.samples());
    put(n, "max_temp_c", p.maxTempC());
    put(n, "clock_drop_pct", p.clockDropPct());
    put(n, "source", p.source());
    put(n, "unknown", p.unknown());
    put(n, "avg_w_cell", p.avgWCell());
    put(n, "test", p.test());
    put(n, "window_s", p.windowS());
    put(n, "energy_j", p.energyJ());
    put(n, "avg_w", p.avgW());
    put(n, "peak_w", p.peakW());
    if (p.tokens() != null) n.put("tokens", p.tokens());
    put(n, "j_per_token", p.jPerToken());
    put(n, "tokens_per_j", p.tokensPerJ());
    put(n, "energy_unknown", p.energyUnknown());
    if (!p.jPerTokenPerRep().isEmpty()) {
      ArrayNode a = n.putArray("j_per_token_per_rep");
      p.jPerTokenPerRep().forEach(a::add);
    }
    if (!p.repsPerWindow().isEmpty()) {
      ArrayNode a = n.putArray("reps_per_window");
      p.repsPerWindow().forEach(a::add);
    }
    put(n, "method", p.method());
    put(n, "sampler_cpu_s", p.samplerCpuS());
    put(n, "rounds", p.rounds());
    return n;
  }

  /** The record in a JSON object, or null for null/absent. */
  public static PowerRecord read(JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode()) return null;
    List<Double> perRep = new ArrayList<>();
    n.path("j_per_token_per_rep").forEach(x -> perRep.add(x.asDouble()));
    List<Integer> perWindow = new ArrayList<>();
    n.path("reps_per_window").forEach(x -> perWindow.add(x.asInt()));
    return new PowerRecord(n.hasNonNull("samples") ? n.get("samples").asInt() : null, dbl(n, "max_temp_c"), dbl(n, "clock_drop_pct"),
        str(n, "source"), str(n, "unknown"), dbl(n, "avg_w_cell"), str(n, "test"), dbl(n, "window_s"), dbl(n, "energy_j"), dbl(n, "avg_w"),
        dbl(n, "peak_w"), n.hasNonNull("tokens") ? n.get("tokens").asLong() : null, dbl(n, "j_per_token"), dbl(n, "tokens_per_j"),
        str(n, "energy_unknown"), perRep, perWindow, str(n, "method"), dbl(n, "sampler_cpu_s"),
        n.hasNonNull("rounds") ? n.get("rounds").asInt() : null);
  }

  /**
   * Why a power record cannot be a measurement (negative or non-finite joules, a draw no machine has),
   * or null: a cell holding one is invalid with that sentence, never rendered as "−1.8 J per token".
   */
  public static String impossible(PowerRecord p) {
    if (p == null) return null;
    double w = dev.llamasweep.stats.Plausible.MAX_WATTS;
    double j = dev.llamasweep.stats.Plausible.MAX_J_PER_TOKEN;
    String[] problems = {
        dev.llamasweep.stats.Plausible.energy("avg_w_cell", p.avgWCell(), w, "W"),
        dev.llamasweep.stats.Plausible.energy("avg_w", p.avgW(), w, "W"),
        dev.llamasweep.stats.Plausible.energy("peak_w", p.peakW(), w, "W"),
        dev.llamasweep.stats.Plausible.energy("energy_j", p.energyJ(), w * 86_400, "J"),
        dev.llamasweep.stats.Plausible.energy("j_per_token", p.jPerToken(), j, "J"),
        dev.llamasweep.stats.Plausible.energy("tokens_per_j", p.tokensPerJ(), dev.llamasweep.stats.Plausible.MAX_TOKENS_PER_S, "tokens/J"),
        dev.llamasweep.stats.Plausible.energy("window_s", p.windowS(), 30 * 86_400, "s")};
    for (String problem : problems) if (problem != null) return "the power record's " + problem;
    for (Double x : p.jPerTokenPerRep()) {
      String problem = dev.llamasweep.stats.Plausible.energy("j_per_token_per_rep", x, j, "J");
      if (problem != null) return "the power record's " + problem;
    }
    return null;
  }

  /** cells.csv's power column: the record as one line of JSON, or empty. */
  public static String toLine(PowerRecord p) {
    return p == null ? "" : write(p).toString();
  }

  /** A cells.csv power column back to the record; empty is null. */
  public static PowerRecord ofLine(String line, String where) {
    if (line == null || line.isEmpty()) return null;
    try {
      return read(RawStore.JSON.readTree(line));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException(where + ": the power column is not JSON (" + e.getOriginalMessage() + ")");
    }
  }

  private static void put(ObjectNode n, String k, Object v) {
    if (v instanceof Double d) n.put(k, d);
    else if (v instanceof Integer i) n.put(k, i);
    else if (v instanceof String s) n.put(k, s);
  }

  private static Double dbl(JsonNode n, String k) {
    return n.hasNonNull(k) ? n.get(k).asDouble() : null;
  }

  private static String str(JsonNode n, String k) {
    return n.hasNonNull(k) ? n.get(k).asText() : null;
  }
}
