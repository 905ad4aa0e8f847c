package dev.llamasweep.stats;

import static tech.tablesaw.aggregate.AggregateFunctions.count;
import static tech.tablesaw.aggregate.AggregateFunctions.max;
import static tech.tablesaw.aggregate.AggregateFunctions.mean;
import static tech.tablesaw.aggregate.AggregateFunctions.median;
import static tech.tablesaw.aggregate.AggregateFunctions.min;
import static tech.tablesaw.aggregate.AggregateFunctions.stdDev;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.Table;
import tech.tablesaw.io.csv.CsvReadOptions;

/**
 * Per cell and test: n, mean, sample sd, min, max, median and CV of the per-repetition
 * tokens/s samples, computed with Tablesaw from samples.csv. llama-bench's own avg/stddev fields
 * are never used (its stddev is computed in integer nanoseconds and is wrong at times).
 */
public final class Summaries {
  private Summaries() {}

  /** The key of one summary: a cell and one of its tests (pp512, tg128, ...). */
  public record Key(String cell, String test) {}

  public static Table readSamples(Path samplesCsv) {
    // read every column as text except the numbers we compute with, so ids like "1e5a..." stay ids
    CsvReadOptions options = CsvReadOptions.builder(samplesCsv.toFile())
        .columnTypesPartial(name -> java.util.Optional.ofNullable(switch (name) {
          case "tokens_per_s" -> ColumnType.DOUBLE;
          case "ns", "model_size", "model_n_params", "n_prompt", "n_gen", "n_depth", "rep" -> ColumnType.LONG;
          default -> ColumnType.STRING;
        }))
        .build();
    return Table.read().usingOptions(options);
  }

  /** Tablesaw's summary table: one row per (cell, test). */
  public static Table summarize(Table samples) {
    return samples.summarize("tokens_per_s", count, mean, stdDev, min, max, median).by("cell", "test");
  }

  public static Map<Key, Estimate> estimates(Table samples) {
    Map<Key, Estimate> out = new LinkedHashMap<>();
    if (samples.rowCount() == 0) return out;
    Table s = summarize(samples);
    for (Row r : s) {
      long n = Math.round(r.getDouble("Count [tokens_per_s]"));
      double sd = n > 1 ? r.getDouble("Std. Deviation [tokens_per_s]") : Double.NaN;
      out.put(new Key(r.getString("cell"), r.getString("test")), new Estimate(n,
          r.getDouble("Mean [tokens_per_s]"), sd, r.getDouble("Min [tokens_per_s]"),
          r.getDouble("Max [tokens_per_s]"), r.getDouble("Median [tokens_per_s]")));
    }
    return out;
  }

  /** The same statistics for a plain list of samples (used by tests and the bench). */
  public static Estimate of(double... samples) {
    Table t = Table.create("s", DoubleColumn.create("tokens_per_s", samples));
    DoubleColumn c = t.doubleColumn("tokens_per_s");
    long n = c.size();
    return new Estimate(n, c.mean(), n > 1 ? c.standardDeviation() : Double.NaN, c.min(), c.max(), c.median());
  }
}
