package dev.llamasweep.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

@Command(name = "cell", mixinStandardHelpOptions = true,
    description = "Re-run one grid cell (always runs it, replacing its earlier result), then re-render the reports.")
final class CellCommand implements Callable<Integer> {
  @Mixin Workspace ws;

  @Parameters(index = "1", paramLabel = "ID", description = "the cell id or a unique prefix of it (see `plan`)")
  String id;

  @Option(names = "--runner", paramLabel = "RUNNER", description = "Beam runner (default: ${DEFAULT-VALUE})")
  String runner = "DirectRunner";

  @Unmatched
  List<String> beamArgs = new ArrayList<>();

  @Override
  public Integer call() {
    RunCommand run = new RunCommand();
    run.ws = ws;
    run.cellPrefixes = List.of(id);
    run.force = true;
    run.runner = runner;
    run.beamArgs = beamArgs;
    return run.call();
  }
}
