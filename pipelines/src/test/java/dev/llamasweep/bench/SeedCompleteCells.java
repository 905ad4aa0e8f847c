package dev.llamasweep.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llamasweep.execute.CellPlan;
import dev.llamasweep.execute.Planner;
import dev.llamasweep.results.RawStore;
import dev.llamasweep.execute.Resources;
import dev.llamasweep.models.SyntheticModels;
import dev.llamasweep.build.Toolchain;
import dev.llamasweep.spec.Cell;
import dev.llamasweep.spec.GridExpander;
import dev.llamasweep.spec.Spec;
import dev.llamasweep.spec.SpecLoader;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Benchmark helper: gives every cell of a spec a complete raw directory whose stdout is a real
 * recorded llama-bench output, so the "re-run of a finished sweep" path can be timed on 1,000
 * cells without running llama.cpp 1,000 times. Usage: SeedCompleteCells SPEC DATA_ROOT FIXTURE
 */
public final class SeedCompleteCells {
  public static void main(String[] args) throws Exception {
    Path specFile = Path.of(args[0]);
    Path dataRoot = Path.of(args[1]);
    String stdout = Files.readString(Path.of(args[2]));
    Spec spec = new SpecLoader(Path.of("").toAbsolutePath()).load(specFile);
    List<Cell> cells = GridExpander.cells(spec);
    PrintStream quiet = new PrintStream(PrintStream.nullOutputStream());
    Toolchain tc = new Toolchain(Toolchain.defaultCache(), quiet);
    Resources r = Resources.resolve(spec, cells, tc, new SyntheticModels(tc, quiet, SyntheticModels.Shape.DEFAULT), quiet, Resources.Purpose.PLAN);
    Path dataDir = dataRoot.resolve(spec.name());
    RawStore store = new RawStore(dataDir);
    for (CellPlan p : Planner.plan(spec, cells, r, dataDir)) {
      Path d = store.newStaging(p.id());
      Files.writeString(d.resolve("cell.json"), RawStore.JSON.writeValueAsString(p.params()));
      Files.writeString(d.resolve("command.sh"), "#!/bin/sh\nexec " + p.shellCommand() + "\n");
      Files.writeString(d.resolve("stdout.jsonl"), stdout);
      Files.writeString(d.resolve("stderr.log"), "");
      ObjectNode res = RawStore.JSON.createObjectNode();
      res.put("id", p.id());
      res.put("status", "ok");
      res.put("exit_code", 0);
      res.put("duration_s", 1.0);
      res.put("observed_profile", "unknown: seeded by the benchmark");
      Files.writeString(d.resolve("result.json"), RawStore.JSON.writeValueAsString(res));
      store.publish(d, p.id());
    }
    System.out.println("seeded " + cells.size() + " complete cells in " + dataDir);
  }
}
