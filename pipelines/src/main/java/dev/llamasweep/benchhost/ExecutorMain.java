package dev.llamasweep.benchhost;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The bench-host executor: a small jar (a JRE and this are all a bench host needs) that runs a
 * spec's cells and leaves the data directory; aggregation and reports run wherever the full
 * llama-sweep is ({@code llama-sweep reports} or {@code llama-sweep corpus} over copied-back data).
 */
@Command(name = "llama-sweep-executor", mixinStandardHelpOptions = true, version = "llama-sweep-executor 0.1.0",
    description = {"Run a spec's cells on this bench host and write data/<spec>/ (raw cells, samples.csv, cells.csv, host.json).",
        "Copy the data directory back and render it with the full llama-sweep: `llama-sweep corpus DIR...` or `llama-sweep reports`."},
    subcommands = {ExecutorMain.Run.class, PlanCommand.class, ValidateCommand.class, SetupCommand.class, CommandLine.HelpCommand.class})
public final class ExecutorMain {
  public static void main(String[] args) {
    System.exit(Errors.execute(new CommandLine(new ExecutorMain()), args));
  }

  @Command(name = "run", mixinStandardHelpOptions = true,
      description = {"Run the spec's cells one at a time (completed ones are skipped; --force re-runs them).",
          "Exit status: 0 when no cell failed or timed out, 3 when some did (they are recorded), 2 for bad input."})
  static final class Run implements Callable<Integer> {
    @CommandLine.Mixin Workspace ws;

    @CommandLine.Mixin CellSelection selection = new CellSelection();

    @CommandLine.Option(names = "--force", description = "re-run selected cells even if they completed")
    boolean force;

    @CommandLine.Option(names = "--no-wait", description = "if another sweep is benchmarking on this host, stop instead of waiting for it")
    boolean noWait;

    @Override
    public Integer call() {
      var spec = ws.load();
      var all = Workspace.cells(spec);
      var selected = selection.select(all);
      var store = new dev.llamasweep.results.RawStore(ws.dataDir(spec));
      var toRun = selected.stream().filter(c -> force || !store.isDone(c.id())).toList();
      Workspace.checkWritable(ws.dataDir(spec));
      if (toRun.isEmpty()) {
        System.err.println("llama-sweep: all " + selected.size() + " selected cells of " + spec.name() + " are complete; nothing to do (--force re-runs).");
        return 0;
      }
      HostRun.Outcome o = HostRun.execute(ws, spec, all, toRun, force, !noWait, System.err);
      System.err.println("llama-sweep: ran " + o.ran().size() + " cells " + o.byStatus().entrySet().stream().map(e -> e.getValue() + " " + e.getKey().word).toList() + "; data: " + o.dataDir()
          + " (aggregate and report it with the full llama-sweep: corpus or reports)");
      return o.exitCode();
    }
  }
}
