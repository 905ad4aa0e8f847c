package dev.llamasweep.pipelines;

import dev.llamasweep.results.SummaryRow;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptions;

/** The aggregation of one data directory into its own aggregate.csv, as `run`, `reports` and `ingest` need it before a report. */
public final class Aggregation {
  private Aggregation() {}

  public static Path refresh(PipelineOptions options, Path dataDir) {
    Path out = dataDir.toAbsolutePath().resolve(SummaryRow.FILE);
    AggregatePipeline.run(options, List.of(dataDir.toAbsolutePath().toString()), out.toString());
    return out;
  }
}
