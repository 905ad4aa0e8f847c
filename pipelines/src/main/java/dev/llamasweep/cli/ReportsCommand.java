package dev.llamasweep.cli;

import dev.llamasweep.execute.CellPlan;
import dev.llamasweep.pipelines.SweepPipeline;
import dev.llamasweep.report.Reports;
import dev.llamasweep.spec.Cell;
import dev.llamasweep.spec.Spec;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Unmatched;

@Command(name = "reports", mixinStandardHelpOptions = true,
    description = "Re-read data/<spec>/raw/ and re-render samples.csv, summary.csv and report.md. Runs no benchmark.")
final class ReportsCommand implements Callable<Integer> {
  @Mixin Workspace ws;

  @Mixin BeamArgs beam = new BeamArgs();

  @Unmatched
  List<String> beamOptions = new java.util.ArrayList<>();

  @Override
  public Integer call() {
    Spec spec = ws.load();
    List<Cell> all = Workspace.cells(spec);
    List<CellPlan> plans = ws.plans(spec, all, ws.resources(spec, all, System.err, false, false));
    Path dataDir = ws.dataDir(spec);
    SweepPipeline.run(beam.options(beamOptions), List.of(), plans, dataDir);
    Path report = Reports.write(spec, plans, dataDir, ws.reportDir(spec));
    new UpToDate(spec, all, dataDir, ws.reportDir(spec)).record();
    System.err.println("llama-sweep: wrote " + report + " and " + ws.reportDir(spec).resolve("summary.csv"));
    return 0;
  }
}
