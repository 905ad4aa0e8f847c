package dev.llamasweep;

import dev.llamasweep.execute.CellPlan;
import dev.llamasweep.execute.Planner;
import dev.llamasweep.execute.Resources;
import dev.llamasweep.models.SyntheticModels;
import dev.llamasweep.build.Toolchain;
import dev.llamasweep.spec.GridExpander;
import dev.llamasweep.spec.Spec;
import dev.llamasweep.spec.SpecLoader;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/** For tests: a spec file to its cell plans, without building or running anything. */
public final class TestSpecs {
  private TestSpecs() {}

  public record Planned(Spec spec, List<CellPlan> plans) {}

  /** A recorded data directory (a fixture) copied where a test renders it, file by file. */
  public static void copyTree(java.nio.file.Path from, java.nio.file.Path to) throws java.io.IOException {
    try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.walk(from)) {
      for (java.nio.file.Path f : files.filter(java.nio.file.Files::isRegularFile).toList()) {
        java.nio.file.Path target = to.resolve(from.relativize(f).toString());
        java.nio.file.Files.createDirectories(target.getParent());
        java.nio.file.Files.copy(f, target);
      }
    }
  }

  /** As `llama-sweep reports` does after the cells are written: the aggregation pipeline (DirectRunner), then the report. */
  public static Path report(Spec spec, List<CellPlan> plans, Path dataDir, Path reportDir) {
    dev.llamasweep.aggregation.Aggregation.refresh(org.apache.beam.sdk.options.PipelineOptionsFactory.create(), dataDir);
    return dev.llamasweep.report.Reports.write(spec, plans.stream().map(CellPlan::entry).toList(), dataDir, reportDir);
  }

  /**
   * A recorded run (a tar.gz of data directories) unpacked under {@code dir}/data and rendered as `reports`
   * does: samples.csv and the other tables written anew from the raw cells, the aggregate, then report.md
   * under {@code dir}/reports/&lt;run&gt;. The spec is the repository's {@code spec}, or the run's own spec.yaml when null.
   */
  public static Path renderRecorded(String tarball, String run, Path spec, Path dir) throws Exception {
    Path data = dir.resolve("data");
    java.nio.file.Files.createDirectories(data);
    dev.llamasweep.io.Processes.check(List.of("tar", "-C", data.toString(), "-xzf", Path.of(tarball).toAbsolutePath().toString()), dir,
        "unpacking " + tarball);
    Path runDir = data.resolve(run);
    Planned p = plan(spec != null ? spec : runDir.resolve("spec.yaml"), runDir, Path.of("").toAbsolutePath());
    dev.llamasweep.results.ResultFiles.write(runDir, p.plans().stream().map(c -> dev.llamasweep.results.RawReader.read(c.entry())).toList());
    report(p.spec(), p.plans(), runDir, dir.resolve("reports").resolve(run));
    return runDir;
  }

  public static Planned plan(Path specFile, Path dataDir) {
    return plan(specFile, dataDir, specFile.toAbsolutePath().getParent());
  }

  /** A spec whose relative paths are relative to {@code workDir} (the repository's specs: its root, as `make` runs them). */
  public static Planned plan(Path specFile, Path dataDir, Path workDir) {
    Spec s = new SpecLoader(workDir).load(specFile);
    PrintStream quiet = new PrintStream(PrintStream.nullOutputStream());
    Toolchain tc = new Toolchain(dataDir.resolveSibling(".test-cache"), quiet);
    var cells = GridExpander.cells(s);
    Resources r = Resources.resolve(s, cells, tc, new SyntheticModels(tc, quiet, SyntheticModels.Shape.DEFAULT), quiet, Resources.Purpose.PLAN);
    return new Planned(s, Planner.plan(s, cells, r, dataDir));
  }
}
