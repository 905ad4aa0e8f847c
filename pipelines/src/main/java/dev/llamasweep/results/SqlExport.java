package dev.llamasweep.results;

import dev.llamasweep.spec.Bench;
import com.fasterxml.jackson.databind.JsonNode;
import dev.llamasweep.stats.Estimate;
import dev.llamasweep.stats.Summaries;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Exports a data directory's llama-bench results to SQLite in llama-bench's own schema. */
public final class SqlExport {
  private SqlExport() {}

  /** @return how many rows were written */
  public static int export(Path dataDir, Path db) {
    List<Map<String, Object>> rows = new ArrayList<>();
    try {
      for (CellRow cell : ResultFiles.readCells(dataDir)) {
        if (cell.status() != CellStatus.OK || cell.bench() != Bench.LLAMA_BENCH) continue;
        Path out = dataDir.resolve("raw").resolve(cell.id()).resolve("stdout.jsonl");
        for (String line : dev.llamasweep.io.InputFiles.text(out, dev.llamasweep.io.InputFiles.Kind.RAW_OUTPUT).split("\n")) {
          if (line.isBlank()) continue;
          JsonNode rec = RawStore.JSON.readTree(line);
          if (rec.path(Ingest.SUMMARY_ONLY).asBoolean(false)) {
            // ingested from CSV or SQLite: there are no samples, so keep the source's own summary
            rows.add(LlamaBenchSql.row(rec, rec.path("avg_ts").asDouble(), rec.path("stddev_ts").asDouble(),
                rec.path("avg_ns").asLong(), rec.path("stddev_ns").asLong()));
            continue;
          }
          double[] ts = doubles(rec.path("samples_ts"));
          double[] ns = doubles(rec.path("samples_ns"));
          Estimate t = Summaries.of(ts);
          Estimate n = Summaries.of(ns);
          rows.add(LlamaBenchSql.row(rec, t.mean(), t.sd(), Math.round(n.mean()), Double.isNaN(n.sd()) ? 0 : Math.round(n.sd())));
        }
      }
      LlamaBenchSql.write(db, rows);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (SQLException e) {
      throw new UncheckedIOException(new IOException(db + ": " + e.getMessage(), e));
    }
    return rows.size();
  }

  static double[] doubles(JsonNode a) {
    double[] d = new double[a.size()];
    for (int i = 0; i < d.length; i++) d[i] = a.get(i).asDouble();
    return d;
  }
}
