package dev.llamasweep.execute;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * A raw cell's result.json, typed: the one reader every consumer uses (the executor's resume, the
 * raw reader behind samples.csv, the report's drift times, the up-to-date check). The status is a
 * {@link CellStatus}; a file that is not complete JSON, has no known status or no time is
 * {@link Invalid} with the file, line and reason.
 */
public record RawResult(CellStatus status, String reason, Integer exitCode, Instant started, Instant ended, double durationS,
    double harnessCpuS, String observedProfile, long modelSize, String build, JsonNode power, String machineNote, JsonNode order,
    java.util.List<String> argv) {

  public static final String FILE = "result.json";

  /** A result.json that cannot be trusted, and why, naming the file (and line where JSON broke). */
  public static final class Invalid extends Exception {
    public Invalid(String message) {
      super(message);
    }
  }

  /** The result in a cell directory, or null when the cell has none yet (never run, or killed before it was published). */
  public static RawResult read(Path cellDir) throws Invalid {
    Path file = cellDir.resolve(FILE);
    if (!Files.isRegularFile(file)) return null;
    JsonNode r;
    try {
      r = RawStore.JSON.readTree(file.toFile());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      var loc = e.getLocation();
      throw new Invalid(file + (loc == null ? "" : ":" + loc.getLineNr()) + ": is not complete JSON (" + e.getOriginalMessage() + ")");
    } catch (IOException e) {
      throw new Invalid(file + ": cannot be read (" + e.getMessage() + ")");
    }
    if (r == null || !r.isObject()) throw new Invalid(file + ":1: is empty or not a JSON object");
    if (!r.hasNonNull("status")) throw new Invalid(file + ": has no status");
    CellStatus status;
    try {
      status = CellStatus.of(r.get("status").asText());
      if (!status.isRunOutcome()) throw new IllegalArgumentException("a reader's status");
    } catch (IllegalArgumentException e) {
      throw new Invalid(file + ": status '" + r.get("status").asText() + "' is not one of " + String.join(", ", java.util.Arrays.stream(CellStatus.values()).filter(CellStatus::isRunOutcome).map(x -> x.word).toList()));
    }
    Instant started;
    Instant ended;
    try {
      started = r.hasNonNull("started") ? Instant.parse(r.get("started").asText()) : null;
      ended = r.hasNonNull("ended") ? Instant.parse(r.get("ended").asText()) : null;
    } catch (java.time.format.DateTimeParseException e) {
      throw new Invalid(file + ": started/ended is not an ISO-8601 time (" + e.getParsedString() + ")");
    }
    return new RawResult(status, r.hasNonNull("reason") ? r.get("reason").asText() : null,
        r.hasNonNull("exit_code") ? r.get("exit_code").asInt() : null, started, ended, r.path("duration_s").asDouble(),
        r.path("harness_cpu_s").asDouble(), r.path("observed_profile").asText(null), r.path("model_size").asLong(-1), r.path("build").asText(""),
        r.get("power"), r.path("machine").hasNonNull("note") ? r.path("machine").get("note").asText() : null, r.get("order"), argv(r));
  }

  private static java.util.List<String> argv(JsonNode r) {
    java.util.List<String> out = new java.util.ArrayList<>();
    r.path("argv").forEach(a -> out.add(a.asText()));
    return out;
  }

  /** The result, or null when it is missing or cannot be trusted (the reader that reports why is {@link #read}). */
  public static RawResult readOrNull(Path cellDir) {
    try {
      return read(cellDir);
    } catch (Invalid e) {
      return null;
    }
  }
}
