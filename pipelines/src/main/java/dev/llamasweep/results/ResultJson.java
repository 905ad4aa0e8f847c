package dev.llamasweep.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llamasweep.spec.QuietPolicy;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one codec of result.json. {@link #read} validates what it reads: a file that is not complete
 * JSON, has no known status or an unreadable time is {@link Invalid} with the file, line and reason.
 */
public final class ResultJson {
  public static final String FILE = "result.json";

  private ResultJson() {}

  /** A result.json that cannot be trusted, and why, naming the file (and line where JSON broke). */
  public static final class Invalid extends Exception {
    public Invalid(String message) {
      super(message);
    }
  }

  public static void write(Path cellDir, CellResult r) throws IOException {
    RawStore.JSON.writerWithDefaultPrettyPrinter().writeValue(cellDir.resolve(FILE).toFile(), toJson(r));
  }

  static ObjectNode toJson(CellResult r) {
    ObjectNode n = RawStore.JSON.createObjectNode();
    n.put("id", r.id());
    n.put("status", r.status().word);
    if (r.reason() != null) n.put("reason", r.reason());
    boolean ran = r.started() != null;
    if (ran) {
      if (r.exitCode() != null) n.put("exit_code", r.exitCode()); else n.putNull("exit_code");
      n.put("started", r.started().toString());
      n.put("ended", r.ended().toString());
      n.put("duration_s", r.durationS());
      if (r.timeoutS() != null) n.put("timeout_s", r.timeoutS());
      n.put("harness_cpu_s", r.harnessCpuS());
      ArrayNode argv = n.putArray("argv");
      r.argv().forEach(argv::add);
      n.set("env", RawStore.JSON.valueToTree(r.env()));
      n.set("flag_dialect", RawStore.JSON.valueToTree(r.flagDialect()));
    }
    if (!r.build().isEmpty()) n.put("build", r.build());
    if (r.buildCommit() != null) n.put("build_commit", r.buildCommit());
    if (r.buildNumber() != null) n.put("build_number", r.buildNumber());
    if (r.backends() != null) n.put("backends", r.backends());
    if (r.modelSize() >= 0) n.put("model_size", r.modelSize());
    if (r.requestedProfile() != null) n.put("requested_profile", r.requestedProfile());
    if (ran) n.put("observed_profile", r.observedProfile());
    if (r.power() != null) n.set("power", PowerJson.write(r.power()));
    if (r.cooldown() != null) n.set("cooldown", cooldown(r.cooldown()));
    if (r.machine() != null) {
      CellResult.Machine m = r.machine();
      ObjectNode q = n.putObject("machine");
      q.put("quiet", m.quiet());
      q.put("cpu_busy", m.cpuBusy());
      q.set("llama_processes", RawStore.JSON.valueToTree(m.llamaProcesses()));
      q.set("busiest", RawStore.JSON.valueToTree(m.busiest()));
      q.put("waited_s", m.waitedS());
      if (m.policy() != null) q.put("policy", m.policy().word);
      if (m.note() != null) q.put("note", m.note());
    }
    if (r.order() != null) {
      CellResult.Order o = r.order();
      ObjectNode on = n.putObject("order");
      on.put("kind", o.kind());
      on.put("group", o.group());
      on.put("rounds", o.rounds());
      on.put("overhead_s", o.overheadS());
      if (o.stopped() != null) on.put("stopped", o.stopped());
      ArrayNode rounds = on.putArray("round");
      for (CellResult.Round x : o.round()) {
        ObjectNode rn = rounds.addObject();
        rn.put("round", x.round());
        rn.put("repetitions", x.repetitions());
        rn.put("status", x.status().word);
        if (x.reason() != null) rn.put("reason", x.reason());
        rn.put("started", x.started().toString());
        rn.put("wall_s", x.wallS());
        rn.put("measured_s", x.measuredS());
        if (x.power() != null) rn.set("power", PowerJson.write(x.power()));
        if (x.cooldown() != null) rn.set("cooldown", cooldown(x.cooldown()));
      }
    }
    if (r.ingested() != null) {
      n.put("source", r.ingested().source());
      n.set("records", RawStore.JSON.valueToTree(r.ingested().records()));
      if (r.ingested().note() != null) n.put("note", r.ingested().note());
    }
    return n;
  }

  private static ObjectNode cooldown(CellResult.CooldownWait c) {
    ObjectNode n = RawStore.JSON.createObjectNode();
    n.put("max_temp_c", c.maxTempC());
    if (c.unknown() != null) n.put("unknown", c.unknown());
    if (c.startTempC() != null) n.put("start_temp_c", c.startTempC());
    if (c.waitedS() != null) n.put("waited_s", c.waitedS());
    if (c.endTempC() != null) n.put("end_temp_c", c.endTempC());
    if (c.reached() != null) n.put("reached", c.reached());
    return n;
  }

  /** The result in a cell directory, or null when the cell has none yet (never run, or killed before it was published). */
  public static CellResult read(Path cellDir) throws Invalid {
    Path file = cellDir.resolve(FILE);
    if (!dev.llamasweep.io.InputFiles.present(file)) return null;
    JsonNode r;
    try {
      r = dev.llamasweep.io.InputFiles.json(file, dev.llamasweep.io.InputFiles.Kind.RECORD);
    } catch (IllegalArgumentException e) {
      throw new Invalid(e.getMessage().replaceAll("\\.$", ""));
    }
    if (r == null || !r.isObject()) throw new Invalid(file + ":1: is empty or not a JSON object");
    if (!r.hasNonNull("status")) throw new Invalid(file + ": has no status");
    CellStatus status = runOutcome(r.get("status").asText(), file);
    Instant started;
    Instant ended;
    try {
      started = r.hasNonNull("started") ? Instant.parse(r.get("started").asText()) : null;
      ended = r.hasNonNull("ended") ? Instant.parse(r.get("ended").asText()) : null;
    } catch (java.time.format.DateTimeParseException e) {
      throw new Invalid(file + ": started/ended is not an ISO-8601 time (" + e.getParsedString() + ")");
    }
    List<String> argv = new ArrayList<>();
    r.path("argv").forEach(a -> argv.add(a.asText()));
    CellResult.Machine machine = null;
    if (r.path("machine").isObject()) {
      JsonNode m = r.get("machine");
      machine = new CellResult.Machine(m.path("quiet").asBoolean(true), m.path("cpu_busy").asDouble(), texts(m.path("llama_processes")),
          texts(m.path("busiest")), m.path("waited_s").asDouble(), m.hasNonNull("policy") ? QuietPolicy.byWord(m.get("policy").asText()).orElse(null) : null,
          m.hasNonNull("note") ? m.get("note").asText() : null);
    }
    CellResult.Order order = null;
    if (r.path("order").isObject()) {
      JsonNode o = r.get("order");
      List<CellResult.Round> rounds = new ArrayList<>();
      for (JsonNode x : o.path("round")) {
        Instant at;
        try {
          at = x.hasNonNull("started") ? Instant.parse(x.get("started").asText()) : null;
        } catch (java.time.format.DateTimeParseException e) {
          throw new Invalid(file + ": order.round[" + rounds.size() + "].started is not an ISO-8601 time (" + e.getParsedString() + ")");
        }
        rounds.add(new CellResult.Round(x.path("round").asInt(), x.path("repetitions").asInt(), runOutcome(x.path("status").asText("ok"), file),
            x.hasNonNull("reason") ? x.get("reason").asText() : null, at, x.path("wall_s").asDouble(), x.path("measured_s").asDouble(),
            PowerJson.read(x.get("power")), cooldown(x.get("cooldown"))));
      }
      order = new CellResult.Order(o.path("kind").asText("interleaved"), o.hasNonNull("group") ? o.get("group").asText() : null,
          o.path("rounds").asInt(), o.path("overhead_s").asDouble(), o.hasNonNull("stopped") ? o.get("stopped").asText() : null, rounds);
    }
    CellResult.Ingested ingested = r.hasNonNull("source")
        ? new CellResult.Ingested(r.get("source").asText(), texts(r.path("records")), r.hasNonNull("note") ? r.get("note").asText() : null)
        : null;
    return new CellResult(r.path("id").asText(cellDir.getFileName().toString()),
        new CellResult.Ending(status, r.hasNonNull("reason") ? r.get("reason").asText() : null, r.hasNonNull("exit_code") ? r.get("exit_code").asInt() : null),
        new CellResult.Timing(started, ended, r.path("duration_s").asDouble(), r.hasNonNull("timeout_s") ? r.get("timeout_s").asLong() : null,
            r.path("harness_cpu_s").asDouble()),
        new CellResult.Invocation(argv, strings(r.path("env")), strings(r.path("flag_dialect"))),
        new CellResult.Reported(r.path("build").asText(""), r.hasNonNull("build_commit") ? r.get("build_commit").asText() : null,
            r.hasNonNull("build_number") ? r.get("build_number").asLong() : null, r.hasNonNull("backends") ? r.get("backends").asText() : null),
        r.path("model_size").asLong(-1),
        new CellResult.Profiles(r.hasNonNull("requested_profile") ? r.get("requested_profile").asText() : null, r.path("observed_profile").asText(null)),
        PowerJson.read(r.get("power")), cooldown(r.get("cooldown")), machine, order, ingested);
  }

  /** The result, or null when it is missing or cannot be trusted (the reader that reports why is {@link #read}). */
  public static CellResult readOrNull(Path cellDir) {
    try {
      return read(cellDir);
    } catch (Invalid e) {
      return null;
    }
  }

  private static CellStatus runOutcome(String word, Path file) throws Invalid {
    try {
      CellStatus status = CellStatus.of(word);
      if (status.isRunOutcome()) return status;
    } catch (IllegalArgumentException e) {
      // said below
    }
    throw new Invalid(file + ": status '" + word + "' is not one of "
        + String.join(", ", java.util.Arrays.stream(CellStatus.values()).filter(CellStatus::isRunOutcome).map(x -> x.word).toList()));
  }

  private static CellResult.CooldownWait cooldown(JsonNode n) {
    if (n == null || !n.isObject()) return null;
    return new CellResult.CooldownWait(n.path("max_temp_c").asDouble(), n.hasNonNull("unknown") ? n.get("unknown").asText() : null,
        n.hasNonNull("start_temp_c") ? n.get("start_temp_c").asDouble() : null, n.hasNonNull("waited_s") ? n.get("waited_s").asDouble() : null,
        n.hasNonNull("end_temp_c") ? n.get("end_temp_c").asDouble() : null, n.hasNonNull("reached") ? n.get("reached").asBoolean() : null);
  }

  private static List<String> texts(JsonNode a) {
    List<String> out = new ArrayList<>();
    a.forEach(x -> out.add(x.asText()));
    return out;
  }

  private static Map<String, String> strings(JsonNode o) {
    Map<String, String> out = new LinkedHashMap<>();
    o.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
    return out;
  }
}
