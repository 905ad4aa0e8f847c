package dev.llamasweep.cli;

import dev.llamasweep.benchhost.Workspace;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Unmatched;
import picocli.CommandLine.Parameters;

@Command(name = "cell", mixinStandardHelpOptions = true,
    description = {"Re-run one grid cell (always runs it, replacing its earlier result), then re-render the reports.",
        "Costs the cell: the measured walls are kept (they are facts of the host, re-measured when it changes or with run --force),",
        "and no drift anchor is measured around a lone cell unless --anchors asks for it.",
        "Only the cell's rows of aggregate.csv are summarised again (by the aggregation's own functions) when the rest is current;",
        "with a --runner or other Beam option, the whole directory is aggregated on that runner."})
final class CellCommand implements Callable<Integer> {
  @Mixin Workspace ws;

  @Parameters(index = "1", paramLabel = "ID", description = "the cell id or a unique prefix of it (see `plan`)")
  String id;

  @picocli.CommandLine.Option(names = "--anchors", description = "measure the spec's drift anchor before and after the cell, as a sweep would")
  boolean anchors;

  @Mixin BeamArgs beam = new BeamArgs();

  @Unmatched
  List<String> beamOptions = new java.util.ArrayList<>();

  @Override
  public Integer call() {
    RunCommand run = new RunCommand();
    run.ws = ws;
    run.selection.prefixes = List.of(id);
    run.force = true;
    run.lone = true;
    run.anchorsForLone = anchors;
    run.beam = beam;
    run.beamOptions = beamOptions;
    return run.call();
  }
}
