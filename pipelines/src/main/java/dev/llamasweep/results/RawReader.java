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

/** Reads a cell's published raw directory back into {@link CellData}. */
public final class RawReader {
  private RawReader() {}

  public static CellData read(CellPlan plan) {
    Path dir = Path.of(plan.rawDir());
    Path result = dir.resolve("result.json");
    if (!Files.isRegularFile(result)) {
      return new CellData(plan, CellData.MISSING, "not run yet", 0, null, List.of());
    }
    try {
      JsonNode r = RawStore.JSON.readTree(result.toFile());
      String status = r.path("status").asText();
      String reason = r.hasNonNull("reason") ? r.get("reason").asText() : null;
      List<BenchRecord> records = List.of();
      if (status.equals("ok")) {
        try {
          String out = Files.readString(dir.resolve("stdout.jsonl"));
          String source = dir.resolve("stdout.jsonl").toString();
          records = plan.bench().equals("speculative")
              ? List.of(ServerCompletion.parse(out, source, ((Number) plan.params().get("generate")).longValue(),
                  r.path("model_size").asLong(-1), r.path("build").asText("")))
              : BenchJsonl.parse(out, source);
        } catch (BenchJsonl.MalformedOutput e) {
          status = "failed";
          reason = e.getMessage();
        }
      }
      return new CellData(plan, status, reason, r.path("duration_s").asDouble(), r.path("observed_profile").asText(null), records);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
