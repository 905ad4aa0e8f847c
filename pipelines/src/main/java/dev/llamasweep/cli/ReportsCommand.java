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
    description = {"Re-read data/<spec>/raw/ and re-render samples.csv, summary.csv, report.md, report.html and charts/. Runs no benchmark.",
        "SPEC may also be a data directory made by `ingest`."})
final class ReportsCommand implements Callable<Integer> {
  @Mixin Workspace ws;

  @Mixin BeamArgs beam = new BeamArgs();

  @Unmatched
  List<String> beamOptions = new java.util.ArrayList<>();

  @Override
  public Integer call() {
    if (java.nio.file.Files.isDirectory(ws.specFile)) return ingested(ws.specFile);
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

  /** A data directory made by `ingest`: its cells are read back, its memory from ingest.json. */
  private int ingested(Path dataDir) {
    String name = dataDir.getFileName().toString();
    List<CellPlan> plans = dev.llamasweep.results.Ingest.plans(dataDir, name);
    Spec.HostMemory mem = null;
    Path source = dataDir;
    Path meta = dataDir.resolve("ingest.json");
    if (!java.nio.file.Files.isRegularFile(meta)) {
      throw new IllegalArgumentException(dataDir + " was not made by `ingest` (it has no ingest.json); give the spec instead.");
    }
    try {
      var m = dev.llamasweep.execute.RawStore.JSON.readTree(meta.toFile());
      source = Path.of(m.path("source").asText(dataDir.toString()));
      if (m.hasNonNull("memory")) {
        String[] p = m.get("memory").asText().split(":");
        mem = new Spec.HostMemory(Long.parseLong(p[0]), Long.parseLong(p[1]), "given to ingest on the command line");
      }
    } catch (java.io.IOException | RuntimeException e) {
      throw new IllegalArgumentException(meta + " cannot be read: " + e.getMessage() + ".");
    }
    Path report = Reports.write(dev.llamasweep.results.Ingest.spec(name, plans, mem, source), plans, dataDir, ws.reportsRoot.resolve(name));
    System.err.println("llama-sweep: wrote " + report);
    return 0;
  }
}
