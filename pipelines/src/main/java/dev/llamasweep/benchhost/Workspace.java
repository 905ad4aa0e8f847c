package dev.llamasweep.benchhost;

import dev.llamasweep.execute.CellPlan;
import dev.llamasweep.execute.Planner;
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
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Options every spec command shares, and the steps from a spec file to cell plans. */
public final class Workspace {
  @Parameters(index = "0", paramLabel = "SPEC", description = "the experiment spec, e.g. experiments/local.yaml")
  public Path specFile;

  @Option(names = "--data-root", paramLabel = "DIR", description = "where data/<spec>/ goes (default: ${DEFAULT-VALUE})")
  public Path dataRoot = Path.of("data");

  @Option(names = "--reports-root", paramLabel = "DIR", description = "where reports/<spec>/ goes (default: ${DEFAULT-VALUE})")
  public Path reportsRoot = Path.of("reports");

  @Option(names = "--offline", description = "hf: models only from llama.cpp's cache, as its --offline: nothing is downloaded")
  public boolean offline;

  @Option(names = "--cache", paramLabel = "DIR", description = "llama.cpp builds and synthetic models (default: $LLAMA_SWEEP_CACHE or ~/.cache/llama-sweep)")
  public Path cache;

  /**
   * Proves a file can be written into the directory (or, where it does not exist yet, into its nearest
   * existing parent) without creating anything, so a spec error found later leaves no empty folder.
   */
  public static void checkWritable(Path dir) {
    Path p = dir.toAbsolutePath();
    while (p != null && !Files.exists(p)) p = p.getParent();
    try {
      if (p == null || !Files.isDirectory(p)) throw new java.io.IOException((p == null ? dir : p) + " is not a directory");
      Path probe = Files.createTempFile(p, ".write-check", ".tmp");
      Files.delete(probe);
    } catch (java.io.IOException | SecurityException e) {
      throw new IllegalArgumentException("cannot write into " + dir + " (" + e.getClass().getSimpleName() + ": " + e.getMessage()
          + "); nothing was run.");
    }
  }

  public Spec load() {
    if (Files.isDirectory(specFile)) throw new IllegalArgumentException(specFile + " is a directory, not a spec file.");
    if (!dev.llamasweep.io.InputFiles.present(specFile)) {
      throw new IllegalArgumentException("the spec file " + specFile + " does not exist.");
    }
    return new SpecLoader(Path.of("").toAbsolutePath()).load(specFile);
  }

  public Path dataDir(Spec spec) { return dataRoot.resolve(spec.name()); }
  public Path reportDir(Spec spec) { return reportsRoot.resolve(spec.name()); }

  public Toolchain toolchain(PrintStream progress) {
    return new Toolchain(cache != null ? cache : Toolchain.defaultCache(), progress);
  }

  public Resources resources(Spec spec, List<Cell> cells, PrintStream progress, Resources.Purpose purpose) {
    Toolchain tc = toolchain(progress);
    return Resources.resolve(spec, cells, tc, new SyntheticModels(tc, progress, SyntheticModels.Shape.DEFAULT), progress, purpose,
        offline ? Resources.Network.OFFLINE : Resources.Network.ONLINE);
  }

  public List<CellPlan> plans(Spec spec, List<Cell> cells, Resources resources) {
    return Planner.plan(spec, cells, resources, dataDir(spec));
  }

  public static List<Cell> cells(Spec spec) {
    return GridExpander.cells(spec);
  }
}
