package dev.llamasweep.cli;

import dev.llamasweep.results.RawStore;
import dev.llamasweep.results.SummaryRow;
import dev.llamasweep.benchhost.CellSelection;
import dev.llamasweep.benchhost.HostRun;
import dev.llamasweep.benchhost.Workspace;
import dev.llamasweep.aggregation.Aggregation;
import dev.llamasweep.report.Reports;
import dev.llamasweep.spec.Cell;
import dev.llamasweep.spec.Spec;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.beam.sdk.options.PipelineOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

@Command(name = "run", mixinStandardHelpOptions = true,
    description = {"Run a spec's cells on real llama.cpp and write its data and reports.",
        "Cells run one at a time; cells that already completed are skipped (--force re-runs them).",
        "Writes data/<spec>/ (raw cells, samples.csv, host.json) and reports/<spec>/ (report.md, report.html, charts/).",
        "Exit status: 0 when no selected cell failed or timed out (skipped ones are reported), 3 when some did (they are recorded), 2 for bad input."})
final class RunCommand implements Callable<Integer> {
  @Mixin Workspace ws;

  @Mixin CellSelection selection = new CellSelection();

  @Option(names = "--force", description = "re-run selected cells even if they completed")
  boolean force;

  @Option(names = "--no-wait", description = "if another sweep is benchmarking on this host, stop instead of waiting for it")
  boolean noWait;

  /** Set by `cell`: a re-run of one cell keeps the walls (cached facts of the host) and measures no anchors unless asked. */
  boolean lone;

  boolean anchorsForLone;

  @Mixin BeamArgs beam = new BeamArgs();

  @Unmatched
  List<String> beamOptions = new java.util.ArrayList<>();

  @Override
  public Integer call() {
    PrintStream err = System.err;
    Spec spec = ws.load();
    List<Cell> all = Workspace.cells(spec);
    List<Cell> selected = selection.select(all);
    Path dataDir = ws.dataDir(spec);
    RawStore store = new RawStore(dataDir);
    List<Cell> toRun = selected.stream().filter(c -> force || !store.isDone(c.id())).toList();

    // a lone re-run with no Beam options given refreshes its own rows of aggregate.csv when the rest of it is current
    // (Aggregation.refreshCells); otherwise the pipeline aggregates all, and bad Beam options fail before anything runs
    boolean cellsOnly = lone && beam.isDefault(beamOptions) && SummaryRow.isCurrent(dataDir);
    PipelineOptions options = cellsOnly ? null : beam.options(beamOptions);
    Workspace.checkWritable(ws.reportDir(spec));  // a report that cannot be written is found before any cell runs
    Workspace.checkWritable(dataDir);
    UpToDate stamp = new UpToDate(spec, all, dataDir, ws.reportDir(spec));
    if (toRun.isEmpty() && stamp.isCurrent()) {
      err.println("llama-sweep: all " + selected.size() + " selected cells of " + spec.name()
          + " are complete and reports/" + spec.name() + "/ is up to date; nothing to do (--force re-runs).");
      return 0;
    }
    if (toRun.size() < selected.size()) {
      err.println("llama-sweep: " + (selected.size() - toRun.size()) + " of the " + selected.size() + " selected cells are already complete.");
    }
    HostRun.Outcome o = HostRun.execute(ws, spec, all, toRun, force && !lone, !lone || anchorsForLone, !noWait, err);
    // then the aggregation (Beam) and the reports, from the data directory alone
    if (!(cellsOnly && Aggregation.refreshCells(dataDir, toRun.stream().map(Cell::id).collect(Collectors.toSet())))) {
      Aggregation.refresh(options != null ? options : beam.options(beamOptions), dataDir);
    }
    Path report = Reports.write(spec, o.plans().stream().map(dev.llamasweep.execute.CellPlan::entry).toList(), dataDir, ws.reportDir(spec));
    stamp.record();
    err.println("llama-sweep: ran " + o.ran().size() + " cells (" + o.byStatus().entrySet().stream().map(e -> e.getValue() + " " + e.getKey().word)
        .collect(Collectors.joining(", ")) + "); samples: " + dataDir.resolve("samples.csv") + "; report: " + report);
    // skipped cells (a backend that is not available here) are reported, not errors
    return o.exitCode();
  }
}
