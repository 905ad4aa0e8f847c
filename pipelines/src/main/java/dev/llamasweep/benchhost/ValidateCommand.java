package dev.llamasweep.benchhost;

import dev.llamasweep.spec.Cell;
import dev.llamasweep.spec.Spec;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "validate", mixinStandardHelpOptions = true,
    description = "Check a spec: keys, types, references, grid, and that the model files and binaries it names exist.")
public final class ValidateCommand implements Callable<Integer> {
  @Mixin Workspace ws;

  @Override
  public Integer call() {
    Spec spec = ws.load();
    List<Cell> all = Workspace.cells(spec);
    ws.resources(spec, all, System.err, dev.llamasweep.execute.Resources.Purpose.VALIDATE);
    System.out.println(ws.specFile + ": ok (" + spec.experiments().size() + " experiments, " + all.size() + " cells)");
    return 0;
  }
}
