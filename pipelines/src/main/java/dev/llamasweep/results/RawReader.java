package dev.llamasweep.results;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llamasweep.execute.CellPlan;
import dev.llamasweep.execute.RawStore;
import dev.llamasweep.llamacpp.BenchJsonl;
import dev.llamasweep.llamacpp.BenchRecord;
import dev.llamasweep.llamacpp.ServerCompletion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a cell's published raw directory back into {@link CellData}, validating everything: a
 * result.json that is not complete JSON or has no known status, an ok cell without records, a
 * sample that is not a finite positive throughput, or fewer samples than repetitions make the cell
 * "invalid" with the file, line and reason; the report shows it and renders everything else.
 */
public final class RawReader {
  public static final String INVALID = "invalid";
  private static final java.util.Set<String> STATUSES = java.util.Set.of("ok", "failed", "timeout", "skipped");

  private RawReader() {}

  public static CellData read(CellPlan plan) {
    Path dir = Path.of(plan.rawDir());
    Path result = dir.resolve("result.json");
    if (!Files.isRegularFile(result)) {
      return new CellData(plan, CellData.MISSING, "not run yet", 0, null, List.of());
    }
    JsonNode r;
    try {
      r = RawStore.JSON.readTree(result.toFile());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      var loc = e.getLocation();
      return invalid(plan, result + (loc == null ? "" : ":" + loc.getLineNr()) + ": is not complete JSON (" + e.getOriginalMessage() + ")");
    } catch (IOException e) {
      return invalid(plan, result + ": cannot be read (" + e.getMessage() + ")");
    }
    if (r == null || !r.isObject()) return invalid(plan, result + ":1: is empty or not a JSON object");
    String status = r.path("status").asText("");
    if (!r.hasNonNull("status")) return invalid(plan, result + ": has no status");
    if (!STATUSES.contains(status)) return invalid(plan, result + ": status '" + status + "' is not one of ok, failed, timeout, skipped");
    String reason = r.hasNonNull("reason") ? r.get("reason").asText() : null;
    List<BenchRecord> records = List.of();
    if (status.equals("ok")) {
      Path stdout = dir.resolve("stdout.jsonl");
      try {
        String out = Files.readString(stdout);
        String source = stdout.toString();
        records = plan.bench().equals("speculative")
            ? List.of(ServerCompletion.parse(out, source, ((Number) plan.params().get("generate")).longValue(),
                r.path("model_size").asLong(-1), r.path("build").asText("")))
            : BenchJsonl.parse(out, source);
        if (records.isEmpty()) return invalid(plan, source + ": holds no record although the cell is ok");
        Object reps = plan.params().get("repetitions");
        if (reps instanceof Number n && !plan.bench().equals("speculative")) {
          // interleaved cells hold one record per round: their samples add up to the repetitions
          java.util.Map<String, Integer> perTest = new java.util.LinkedHashMap<>();
          for (BenchRecord b : records) perTest.merge(b.test(), b.samplesTs().size(), Integer::sum);
          boolean adaptive = plan.params().get("adaptive") != null;
          for (var e : perTest.entrySet()) {
            if (adaptive ? e.getValue() < n.longValue() : e.getValue() != n.longValue()) {
              return invalid(plan, source + ": " + e.getKey() + " has " + e.getValue() + " samples, not the " + n + " repetitions asked for");
            }
          }
        }
      } catch (BenchJsonl.MalformedOutput e) {
        return invalid(plan, e.getMessage().replaceAll("\\.$", ""));
      } catch (java.nio.charset.MalformedInputException e) {
        return invalid(plan, stdout + ": is not UTF-8 text");
      } catch (IOException e) {
        return invalid(plan, stdout + ": cannot be read (" + e.getMessage() + ")");
      }
    }
    String machine = r.path("machine").hasNonNull("note") ? r.path("machine").get("note").asText() : null;
    String power = r.hasNonNull("power") ? r.get("power").toString() : null;
    String order = r.path("order").has("rounds") ? r.get("order").get("rounds").asInt() + ";" + r.get("order").path("overhead_s").asDouble()
        + ";" + r.get("order").path("kind").asText("interleaved") + ";" + r.get("order").path("stopped").asText("") : null;
    return new CellData(plan, status, reason, r.path("duration_s").asDouble(), r.path("observed_profile").asText(null), records, machine, power, order);
  }

  private static CellData invalid(CellPlan plan, String why) {
    return new CellData(plan, INVALID, why, 0, null, List.of());
  }
}
