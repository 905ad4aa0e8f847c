package dev.llamasweep.benchhost;

import dev.llamasweep.execute.CellPlan;
import dev.llamasweep.execute.PlanScript;
import dev.llamasweep.results.RawStore;
import dev.llamasweep.execute.Resources;
import dev.llamasweep.spec.Cell;
import dev.llamasweep.spec.Spec;
import java.io.PrintStream;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "plan", mixinStandardHelpOptions = true,
    description = "Print the grid: each cell's id, state, parameters and the exact command it runs. Runs nothing.")
public final class PlanCommand implements Callable<Integer> {
  @Mixin Workspace ws;

  @Mixin CellSelection selection = new CellSelection();

  @Option(names = "--script", description = "print the selected cells as one plain shell script (what a hand-written loop would run)")
  boolean script;

  @Override
  public Integer call() {
    PrintStream out = System.out;
    Spec spec = ws.load();
    List<Cell> all = Workspace.cells(spec);
    List<Cell> selected = selection.select(all);
    Resources resources = ws.resources(spec, selected, System.err, Resources.Purpose.PLAN);
    List<CellPlan> plans = ws.plans(spec, selected, resources);
    if (script) {
      out.print(PlanScript.of(String.valueOf(ws.specFile), plans));
      return 0;
    }
    RawStore store = new RawStore(ws.dataDir(spec));
    long done = selected.stream().filter(c -> store.isDone(c.id())).count();
    out.println("spec " + spec.name() + " (" + ws.specFile + "): " + plans.size() + " cells, " + done + " complete, "
        + (plans.size() - done) + " to run");
    for (String m : resources.missing()) out.println("warning: " + m);
    Set<String> doneIds = selected.stream().filter(c -> store.isDone(c.id())).map(Cell::id).collect(Collectors.toSet());
    for (CellPlan p : plans) {
      String state = doneIds.contains(p.id()) ? "done" : store.exists(p.id()) ? "retry" : "to run";
      out.println();
      out.println(p.id() + "  " + state + "  [" + String.join(", ", p.experiments()) + "]  " + p.label());
      out.println("  " + p.shellCommand());
    }
    return 0;
  }
}
