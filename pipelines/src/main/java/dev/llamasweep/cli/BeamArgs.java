package dev.llamasweep.cli;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import picocli.CommandLine.Option;

/**
 * The Beam runner, plus any other Beam pipeline options (--name=value) a command collected as
 * unmatched arguments (picocli keeps @Unmatched on the command itself, not in a mixin).
 */
final class BeamArgs {
  @Option(names = "--runner", paramLabel = "RUNNER", description = "Beam runner (default: ${DEFAULT-VALUE}); other --beamOption=value arguments pass through")
  String runner = "DirectRunner";

  /**
   * Beam runs only the aggregation, after every benchmark has finished (the benchmarks run in plain
   * Java in sweep.Sweep: the DirectRunner's monitor thread once spun a core beside a running cell,
   * apache/beam#18070), so the runner may use every core it likes.
   */
  PipelineOptions options(List<String> rest) {
    List<String> args = new ArrayList<>(rest);
    args.add("--runner=" + runner);
    return PipelineOptionsFactory.fromArgs(args.toArray(String[]::new)).withValidation().create();
  }
}
