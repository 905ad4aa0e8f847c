package dev.llamasweep.cli;

import dev.llamasweep.execute.CellPlan;
import dev.llamasweep.execute.RawStore;
import dev.llamasweep.host.BackendDevices;
import dev.llamasweep.host.HostLock;
import dev.llamasweep.host.HostProbe;
import dev.llamasweep.host.HostRecord;
import dev.llamasweep.host.MemoryWall;
import dev.llamasweep.results.ModelHeaders;
import dev.llamasweep.llamacpp.Resources;
import dev.llamasweep.host.PowerProfiles;
import dev.llamasweep.pipelines.Aggregation;
import dev.llamasweep.results.RawReader;
import dev.llamasweep.results.ResultFiles;
import dev.llamasweep.report.Reports;
import dev.llamasweep.spec.Cell;
import dev.llamasweep.spec.Spec;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.beam.sdk.options.PipelineOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Unmatched;
import picocli.CommandLine.Option;

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

  @Mixin BeamArgs beam = new BeamArgs();

  @Unmatched
  List<String> beamOptions = new java.util.ArrayList<>();

  /** host.json: the facts that explain the numbers, and what each backend's llama-bench can run on. */
  static void recordHost(Spec spec, List<Cell> cells, Resources resources, Path dataDir) {
    HostProbe.HostFacts facts = HostProbe.probe(new HostProbe.Live(), spec.memory());
    Map<String, BackendDevices> devices = new LinkedHashMap<>();
    for (String name : cells.stream().map(Cell::backend).distinct().toList()) {
      Spec.Backend b = spec.backends().get(name);
      boolean gpu = BackendDevices.gpuIntended(name, b.build(), b.settings().get(dev.llamasweep.spec.Axis.GPU_LAYERS));
      devices.put(name, resources.unavailable(name) != null
          ? new BackendDevices(name, "", null, List.of(), gpu, "unavailable: " + resources.unavailable(name))
          : BackendDevices.probe(name, resources.bin(name), b.env(), gpu));
    }
    new HostRecord(facts.facts(), facts.peakGBs(), facts.peakHow(), devices, dev.llamasweep.host.HostIdentity.probe(new HostProbe.Live()))
        .write(dataDir.resolve("host.json"));
    recordModels(spec, cells, resources, dataDir);
  }

  /** models.json: each model's GGUF header (tensor table and shape), from which reports compute bytes per token. */
  static void recordModels(Spec spec, List<Cell> cells, Resources resources, Path dataDir) {
    Map<String, Path> models = new LinkedHashMap<>();
    for (Cell c : cells) {
      models.put(c.model(), resources.model(c.model()));
      Object draft = c.get(dev.llamasweep.spec.Axis.DRAFT);
      if (draft != null) models.put((String) draft, resources.model((String) draft));
    }
    ModelHeaders.write(dataDir.resolve("models.json"), models, resources::gguf);
  }

  @Override
  public Integer call() {
    PrintStream err = System.err;
    Spec spec = ws.load();
    List<Cell> all = Workspace.cells(spec);
    List<Cell> selected = selection.select(all);
    Path dataDir = ws.dataDir(spec);
    RawStore store = new RawStore(dataDir);
    List<Cell> toRun = selected.stream().filter(c -> force || !store.isDone(c.id())).toList();

    PipelineOptions options = beam.options(beamOptions);  // bad Beam options fail before anything else
    Workspace.checkWritable(ws.reportDir(spec));  // a report that cannot be written is found before any cell runs
    Workspace.checkWritable(dataDir);
    UpToDate stamp = new UpToDate(spec, all, dataDir, ws.reportDir(spec));
    if (toRun.isEmpty() && stamp.isCurrent()) {
      err.println("llama-sweep: all " + selected.size() + " selected cells of " + spec.name()
          + " are complete and reports/" + spec.name() + "/ is up to date; nothing to do (--force re-runs).");
      return 0;
    }

    try (HostLock lock = HostLock.acquire(HostLock.defaultPath(), !noWait, err)) {
      // a sweep that died (kill -9, OOM) may have left a benchmark running: never measure beside it
      dev.llamasweep.execute.Children.reapLeftovers(err);
      // fail on missing model files and build what is missing before anything runs; a backend
      // whose binaries are missing only makes its cells "skipped: backend unavailable"
      ws.resources(spec, toRun, err, true, true, false);
      Resources resources = ws.resources(spec, all, err, false, false);
      List<CellPlan> plans = ws.plans(spec, all, resources);
      recordHost(spec, all, resources, dataDir);
      // the measured wall, like a cell: under the host lock, before any benchmark, kept until the host changes
      MemoryWall.ensure(dataDir, ws.toolchain(err).cache(), force, err);
      Set<String> runIds = toRun.stream().map(Cell::id).collect(Collectors.toSet());
      List<CellPlan> runPlans = plans.stream().filter(p -> runIds.contains(p.id())).toList();
      store.cleanStaging();
      String profile = new PowerProfiles().get().label();
      err.println("llama-sweep: " + spec.name() + ": " + all.size() + " cells, " + (selected.size() - toRun.size())
          + " of the " + selected.size() + " selected already complete, running " + toRun.size() + " one at a time"
          + " (power profile: " + profile + ")");
      CellPlan anchor = dev.llamasweep.sweep.Sweep.anchorOf(spec.drift(), plans);
      if (spec.drift() != null && anchor == null) {
        throw spec.drift().location().error(spec.drift().anchor() == null
            ? "finds no llama-bench cell that can run here to use as the anchor." : "'" + spec.drift().anchor() + "' is not the id of a llama-bench cell that can run here (make plan lists them).");
      }
      new dev.llamasweep.sweep.Sweep(dataDir, spec.drift(), anchor, runPlans.size(), err).run(runPlans);
      // the executor's part ends with the data directory: raw cells, then samples.csv and cells.csv from them
      ResultFiles.write(dataDir, plans.stream().map(RawReader::read).toList());
      Aggregation.refresh(options, dataDir);
      Path report = Reports.write(spec, plans, dataDir, ws.reportDir(spec));
      stamp.record();
      Map<String, Long> byStatus = runPlans.stream().collect(java.util.stream.Collectors.groupingBy(p -> store.status(p.id()),
          java.util.TreeMap::new, java.util.stream.Collectors.counting()));
      err.println("llama-sweep: ran " + runPlans.size() + " cells (" + byStatus.entrySet().stream().map(e -> e.getValue() + " " + e.getKey())
          .collect(java.util.stream.Collectors.joining(", ")) + "); samples: " + dataDir.resolve("samples.csv") + "; report: " + report);
      // skipped cells (a backend that is not available here) are reported, not errors
      long bad = byStatus.getOrDefault("failed", 0L) + byStatus.getOrDefault("timeout", 0L);
      return bad == 0 ? 0 : 3;
    }
  }
}
