package dev.llamasweep.results;

import dev.llamasweep.spec.Bench;
import com.fasterxml.jackson.databind.JsonNode;
import dev.llamasweep.execute.CellPlan;
import dev.llamasweep.execute.CellStatus;
import dev.llamasweep.execute.RawResult;
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

  private RawReader() {}

  public static CellData read(CellPlan plan) {
    Path dir = Path.of(plan.rawDir());
    RawResult r;
    try {
      r = RawResult.read(dir);
    } catch (RawResult.Invalid e) {
      return invalid(plan, e.getMessage());
    }
    if (r == null) return new CellData(plan, CellStatus.MISSING, "not run yet", 0, null, List.of());
    CellStatus status = r.status();
    String reason = r.reason();
    List<BenchRecord> records = List.of();
    if (r.status() == CellStatus.OK) {
      Path stdout = dir.resolve("stdout.jsonl");
      try {
        String out = Files.readString(stdout);
        String source = stdout.toString();
        records = plan.bench() == Bench.SPECULATIVE
            ? List.of(ServerCompletion.parse(out, source, ((Number) plan.params().get("generate")).longValue(),
                r.modelSize(), r.build()))
            : BenchJsonl.parse(out, source);
        if (records.isEmpty()) return invalid(plan, source + ": holds no record although the cell is ok");
        Object reps = plan.params().get("repetitions");
        if (reps instanceof Number n && plan.bench() != Bench.SPECULATIVE) {
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
    String power = r.power() != null && !r.power().isNull() ? r.power().toString() : null;
    JsonNode o = r.order();
    String order = o != null && o.has("rounds") ? o.get("rounds").asInt() + ";" + o.path("overhead_s").asDouble()
        + ";" + o.path("kind").asText("interleaved") + ";" + o.path("stopped").asText("") : null;
    return new CellData(plan, status, reason, r.durationS(), r.observedProfile(), records, r.machineNote(), power, order);
  }

  private static CellData invalid(CellPlan plan, String why) {
    return new CellData(plan, CellStatus.INVALID, why, 0, null, List.of());
  }
}
