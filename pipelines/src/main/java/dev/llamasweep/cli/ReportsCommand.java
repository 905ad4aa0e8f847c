package dev.llamasweep.cli;

import dev.llamasweep.benchhost.Workspace;
import dev.llamasweep.results.CellEntry;
import dev.llamasweep.aggregation.Aggregation;
import dev.llamasweep.results.RawReader;
import dev.llamasweep.results.ResultFiles;
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

  @picocli.CommandLine.Option(names = "--memory", paramLabel = "WALL",
      description = {"the theoretical wall for this render: MT/s:bus bits (5600:128) or GB/s (800GB/s);",
          "for an ingested dataset it is kept for later renders, for a spec it overrides host.memory once"})
  String memory;

  @Override
  public Integer call() {
    String arg = ws.specFile.toString();
    Spec spec;
    Path dataDir;
    if (!(arg.endsWith(".yaml") || arg.endsWith(".yml"))) {
      Datasets.Dataset d = Datasets.resolve(arg, ws.dataRoot);
      if (d.ingested()) return ingested(d.dataDir(), d.name());
      spec = storedSpec(d);
      dataDir = d.dataDir();
    } else {
      spec = ws.load();
      dataDir = ws.dataDir(spec);
    }
    if (memory != null) {
      spec = new Spec(spec.name(), spec.file(), Spec.HostMemory.parse(memory, "given to reports --memory as " + memory), spec.backends(),
          spec.models(), spec.defaults(), spec.timeoutSeconds(), spec.experiments(), spec.workDir(), spec.profilePolicy(),
          spec.profileSettleSeconds(), spec.quietPolicy(), spec.cooldown(), spec.threshold(), spec.drift());
    }
    List<Cell> all = Workspace.cells(spec);
    // a render plans nothing (no binary, model or llama-bench --help): the data directory and the spec's grid are enough
    List<CellEntry> entries = CellEntry.ofSpec(all, dataDir);
    ResultFiles.write(dataDir, entries.stream().map(RawReader::read).toList());
    Aggregation.refresh(beam.options(beamOptions), dataDir);
    Path report = Reports.write(spec, entries, dataDir, ws.reportDir(spec));
    new UpToDate(spec, all, dataDir, ws.reportDir(spec)).record();
    System.err.println("llama-sweep: wrote " + report + " and " + ws.reportDir(spec).resolve("summary.csv"));
    return 0;
  }

  /**
   * The spec a data directory was made with (its spec.yaml, stored when the sweep started), named after
   * the directory, so a data directory brought back from another machine renders by itself.
   */
  private static Spec storedSpec(Datasets.Dataset d) {
    Path stored = d.dataDir().resolve(dev.llamasweep.benchhost.HostRun.SPEC_COPY);
    if (!java.nio.file.Files.isRegularFile(stored)) {
      throw new IllegalArgumentException(d.dataDir() + " has no " + dev.llamasweep.benchhost.HostRun.SPEC_COPY
          + " (it was made before llama-sweep kept the spec with the data, and not by `ingest`); give the spec file instead.");
    }
    Spec s = new dev.llamasweep.spec.SpecLoader(Path.of("").toAbsolutePath()).load(stored);
    return s.name().equals(d.name()) ? s : new Spec(d.name(), s.file(), s.memory(), s.backends(), s.models(), s.defaults(), s.timeoutSeconds(),
        s.experiments(), s.workDir(), s.profilePolicy(), s.profileSettleSeconds(), s.quietPolicy(), s.cooldown(), s.threshold(), s.drift());
  }

  /** A data directory made by `ingest`: its cells are read back, its memory from ingest.json (or --memory, kept there). */
  private int ingested(Path dataDir, String name) {
    List<dev.llamasweep.results.CellEntry> plans = dev.llamasweep.results.Ingest.plans(dataDir, name);
    Spec.HostMemory mem = null;
    Path source = dataDir;
    Path meta = dataDir.resolve("ingest.json");
    if (!java.nio.file.Files.isRegularFile(meta)) {
      throw new IllegalArgumentException(dataDir + " was not made by `ingest` (it has no ingest.json); give the spec instead.");
    }
    try {
      var m = (com.fasterxml.jackson.databind.node.ObjectNode) dev.llamasweep.io.InputFiles.json(meta, dev.llamasweep.io.InputFiles.Kind.RECORD);
      source = Path.of(m.path("source").asText(dataDir.toString()));
      if (memory != null) {
        mem = Spec.HostMemory.parse(memory, "given to reports --memory as " + memory);
        m.put("memory", memory);
        m.put("memory_note", mem.note());
        dev.llamasweep.io.AtomicFiles.write(meta, w -> w.write(m.toPrettyString() + "\n"));
      } else if (m.hasNonNull("memory")) {
        mem = Spec.HostMemory.parse(m.get("memory").asText(), m.path("memory_note").asText("given to ingest --memory as " + m.get("memory").asText()));
      }
    } catch (ClassCastException e) {
      throw new IllegalArgumentException(meta + " is not an ingest record (not a JSON object).");
    }
    Aggregation.refresh(beam.options(beamOptions), dataDir);
    Path report = Reports.write(dev.llamasweep.results.Ingest.spec(name, plans, mem, source), plans, dataDir, ws.reportsRoot.resolve(name));
    System.err.println("llama-sweep: wrote " + report);
    return 0;
  }
}
