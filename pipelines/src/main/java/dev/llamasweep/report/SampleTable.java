package dev.llamasweep.report;

import dev.llamasweep.results.SummaryRow;
import dev.llamasweep.stats.Estimate;
import dev.llamasweep.stats.Summaries;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.Table;
import tech.tablesaw.io.csv.CsvReadOptions;

/** What a report reads from a data directory: samples.csv as a Tablesaw table, and the aggregation's summaries. */
final class SampleTable {
  private SampleTable() {}

  static Table read(Path samplesCsv) {
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

  /**
   * Each cell and test's estimate from the data directory's aggregate.csv (written by the
   * aggregation pipeline), which must be at least as new as samples.csv.
   */
  static Map<Summaries.Key, Estimate> estimates(Path dataDir) {
    if (!SummaryRow.isCurrent(dataDir)) {
      throw new IllegalStateException(dataDir + " has no aggregate.csv as new as its samples.csv; `llama-sweep reports` runs the aggregation.");
    }
    Map<Summaries.Key, Estimate> out = new LinkedHashMap<>();
    for (SummaryRow r : SummaryRow.read(dataDir.resolve(SummaryRow.FILE))) out.put(new Summaries.Key(r.cell(), r.test()), r.estimate());
    return out;
  }
}
