package dev.llamasweep.aggregation;

import java.util.List;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.Validation;

/**
 * Where the aggregation reads and writes. On a real cluster (Flink with --flinkMaster) both must be
 * on storage every worker sees: the data directories are read by the workers, the output is written by them.
 */
public interface AggregateOptions extends PipelineOptions {
  @Description("data directories to aggregate (each holds samples.csv, and host.json when we ran it)")
  @Validation.Required
  List<String> getDataDirs();

  void setDataDirs(List<String> dirs);

  @Description("the file the summaries are written to (aggregate.csv)")
  @Validation.Required
  String getOutput();

  void setOutput(String output);
}
