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
   * The DirectRunner gets one worker thread unless told otherwise: with more, its monitor thread
   * spins on an idle core while a cell runs (apache/beam#18070, BEAM-690) and steals CPU from the
   * benchmark (seen here: tg 81 t/s instead of 234).
   */
  PipelineOptions options(List<String> rest) {
    List<String> args = new ArrayList<>(rest);
    args.add("--runner=" + runner);
    if (runner.equals("DirectRunner") && rest.stream().noneMatch(a -> a.startsWith("--targetParallelism"))) {
      args.add("--targetParallelism=1");
    }
    return PipelineOptionsFactory.fromArgs(args.toArray(String[]::new)).withValidation().create();
  }
}
