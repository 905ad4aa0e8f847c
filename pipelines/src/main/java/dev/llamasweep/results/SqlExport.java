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

  /**
   * One row per cell and test, as llama-bench writes one per test: the record's own fields from the
   * cell's raw output, the statistics over every sample samples.csv holds for that cell and test (all
   * rounds of an interleaved cell together, as the report reads them), by the one Summaries.of.
   *
   * @return how many rows were written
   */
  public static int export(Path dataDir, Path db) {
    Map<Summaries.Key, List<double[]>> samples = new java.util.HashMap<>();
    ResultFiles.readSamples(dataDir.resolve("samples.csv"), row -> samples.computeIfAbsent(new Summaries.Key(row.cell(), row.test()),
        k -> new ArrayList<>()).add(new double[] {row.tokensPerS(), row.column("ns").isEmpty() ? Double.NaN : Double.parseDouble(row.column("ns"))}));
    List<Map<String, Object>> rows = new ArrayList<>();
    try {
      for (CellRow cell : ResultFiles.readCells(dataDir)) {
        if (cell.status() != CellStatus.OK || cell.bench() != Bench.LLAMA_BENCH) continue;
        Path out = dataDir.resolve("raw").resolve(cell.id()).resolve("stdout.jsonl");
        java.util.Set<String> written = new java.util.HashSet<>();
        for (String line : dev.llamasweep.io.InputFiles.text(out, dev.llamasweep.io.InputFiles.Kind.RAW_OUTPUT).split("\n")) {
          if (line.isBlank()) continue;
          JsonNode rec = RawStore.JSON.readTree(line);
          if (rec.path(Ingest.SUMMARY_ONLY).asBoolean(false)) {
            // ingested from CSV or SQLite: there are no samples, so keep the source's own summary
            rows.add(LlamaBenchSql.row(rec, rec.path("avg_ts").asDouble(), rec.path("stddev_ts").asDouble(),
                rec.path("avg_ns").asLong(), rec.path("stddev_ns").asLong()));
            continue;
          }
          String test = new dev.llamasweep.llamacpp.TestShape(rec.path("n_prompt").asLong(), rec.path("n_gen").asLong(), rec.path("n_depth").asLong()).label();
          // an interleaved cell holds a record per round: its test is one row, over the samples of every round
          if (!written.add(test)) continue;
          List<double[]> s = samples.getOrDefault(new Summaries.Key(cell.id(), test), List.of());
          if (s.isEmpty()) throw new IllegalArgumentException(dataDir.resolve("samples.csv") + " holds no sample of " + cell.id() + " " + test
              + ", which its raw output has; `reports` re-writes samples.csv from the raw directories.");
          Estimate t = Summaries.of(s.stream().mapToDouble(x -> x[0]).toArray());
          Estimate n = Summaries.of(s.stream().mapToDouble(x -> x[1]).toArray());
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

}
