package dev.llamasweep.benchhost;

import dev.llamasweep.spec.Bench;
import dev.llamasweep.execute.CellPlan;
import dev.llamasweep.results.CellStatus;
import dev.llamasweep.io.Children;
import dev.llamasweep.results.RawStore;
import dev.llamasweep.host.BackendDevices;
import dev.llamasweep.host.HostIdentity;
import dev.llamasweep.host.HostLock;
import dev.llamasweep.host.HostProbe;
import dev.llamasweep.host.HostRecord;
import dev.llamasweep.host.MemoryWall;
import dev.llamasweep.host.PowerProfiles;
import dev.llamasweep.execute.Resources;
import dev.llamasweep.results.ModelHeaders;
import dev.llamasweep.results.RawReader;
import dev.llamasweep.results.ResultFiles;
import dev.llamasweep.spec.Axis;
import dev.llamasweep.spec.Cell;
import dev.llamasweep.spec.Spec;
import dev.llamasweep.sweep.Sweep;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What a bench host does, in plain Java and nothing else: under the host lock, reap leftovers of a
 * killed sweep, build what is missing, record the host (host.json, models.json, the measured wall),
 * run the cells one at a time, and write samples.csv and cells.csv from the raw cells. Aggregation
 * and reports happen afterwards, here or on another machine, from the data directory alone.
 */
public final class HostRun {
  private HostRun() {}

  /** Each model's typical weight-matrix size (models.json, just written): the sizes the GPU probe reads graph-launched. */
  static Set<Long> matrixSizes(Path dataDir) {
    Set<Long> out = new java.util.TreeSet<>();
    for (dev.llamasweep.results.ModelHeaders.Entry e : dev.llamasweep.results.ModelHeaders.read(dataDir.resolve("models.json")).values()) {
      if (e.shape() == null) continue;
      long b = Math.round(e.shape().typicalMatrixBytes());
      if (b > 0) out.add(b);
    }
    return out;
  }

  /** What was run: the spec's plans, the ones run now, and how they ended. */
  public record Outcome(Spec spec, List<Cell> all, List<CellPlan> plans, List<CellPlan> ran, Path dataDir, Map<CellStatus, Long> byStatus) {
    /** 0 when no cell that ran failed, crashed or timed out, 3 when some did (they are recorded). */
    public int exitCode() {
      return byStatus.entrySet().stream().anyMatch(e -> e.getValue() > 0 && e.getKey().isFailure()) ? 3 : 0;
    }
  }

  public static Outcome execute(Workspace ws, Spec spec, List<Cell> all, List<Cell> toRun, boolean force, boolean wait, PrintStream err) {
    return execute(ws, spec, all, toRun, force, true, wait, err);
  }

  /**
   * @param force re-measure the walls too (a re-run the user forced), not only when the host changed
   * @param anchors measure drift anchors around the cells (where the spec asks for them); a lone re-run of
   *     one cell has nothing between two anchors to flag, so `cell` runs none unless asked
   */
  public static Outcome execute(Workspace ws, Spec spec, List<Cell> all, List<Cell> toRun, boolean force, boolean anchors, boolean wait,
      PrintStream err) {
    Path dataDir = ws.dataDir(spec);
    RawStore store = new RawStore(dataDir);
    try (HostLock lock = HostLock.acquire(HostLock.defaultPath(), wait, err)) {
      // a sweep that died (kill -9, OOM) may have left a benchmark running: never measure beside it
      Children.reapLeftovers(err);
      // fail on missing model files and build what is missing before anything runs; a backend
      // whose binaries are missing only makes its cells "skipped: backend unavailable"
      Resources built = ws.resources(spec, toRun, err, Resources.Purpose.RUN);
      Resources resources = ws.resources(spec, all, err, Resources.Purpose.PLAN).withUnavailableFrom(built);
      List<CellPlan> planned = ws.plans(spec, all, resources);
      recordSpec(spec, dataDir);
      Map<String, BackendDevices> devices = recordHost(spec, all, resources, built, dataDir);
      List<CellPlan> plans = refuseUnlistedMainGpu(planned, spec, devices);
      // the measured wall, like a cell: under the host lock, before any benchmark, kept until the host changes
      MemoryWall.ensure(dataDir, ws.toolchain(err).cache(), force, err);
      // and each NVIDIA GPU's, where a backend puts layers on a GPU (nothing happens without nvidia-smi)
      boolean gpu = spec.backends().values().stream().anyMatch(HostRun::gpuIntended);
      if (gpu) dev.llamasweep.host.GpuWall.ensure(dataDir, ws.toolchain(err).cache(), force, err, matrixSizes(dataDir));
      // and each backend's matrix-product rate for the weight types its prompt-processing cells multiply by
      computeWalls(ws, spec, toRun, resources, dataDir, force, err);
      Set<String> runIds = toRun.stream().map(Cell::id).collect(Collectors.toSet());
      List<CellPlan> runPlans = plans.stream().filter(p -> runIds.contains(p.id())).toList();
      store.cleanStaging();
      err.println("llama-sweep: " + spec.name() + ": " + all.size() + " cells, running " + toRun.size() + " one at a time"
          + " (power profile: " + new PowerProfiles().get().label() + ")");
      CellPlan anchor = anchors ? Sweep.anchorOf(spec.drift(), plans) : null;
      if (anchors && spec.drift() != null && anchor == null) {
        boolean named = spec.drift().anchor() != null
            && plans.stream().noneMatch(p -> p.bench() == Bench.LLAMA_BENCH && p.id().startsWith(spec.drift().anchor()));
        // a prefix that names no cell is a mistake in the spec; a cell that cannot run here (its backend is missing) is not
        if (named) throw spec.drift().location().error("'" + spec.drift().anchor() + "' is not the id of a llama-bench cell of this spec (make plan lists them).");
        err.println("llama-sweep: no drift anchor can run here (its backend is unavailable), so drift is not measured in this sweep.");
      }
      List<CellPlan> skeletons = fixedCostPlans(ws, spec, all, resources, dataDir, force, err);
      List<CellPlan> ordered = withSkeletons(runPlans, skeletons);
      new Sweep(dataDir, anchors ? spec.drift() : null, anchor, ordered.size(), err).run(ordered);
      // the executor's part ends with the data directory: raw cells, then samples.csv and cells.csv from them
      ResultFiles.write(dataDir, plans.stream().map(p -> RawReader.read(p.entry())).toList());
      Map<CellStatus, Long> byStatus = runPlans.stream().collect(Collectors.groupingBy(p -> store.status(p.id()), TreeMap::new, Collectors.counting()));
      return new Outcome(spec, all, plans, runPlans, dataDir, byStatus);
    }
  }

  /**
   * The compute wall of each built backend for the main weight type of each model its prompt-processing
   * cells run (llama.cpp's test-backend-ops, built on demand): measured once per host and build, kept in
   * data/&lt;spec&gt;/walls/. A backend that cannot run or build it has the wall "unknown" with the reason.
   */
  static void computeWalls(Workspace ws, Spec spec, List<Cell> cells, Resources resources, Path dataDir, boolean force, PrintStream err) {
    Map<String, Set<String>> typesByBackend = new java.util.LinkedHashMap<>();
    for (Cell c : cells) {
      // prompts and batch points multiply weights by many tokens per read: both are held against the compute wall
      if (!(c.bench() == Bench.LLAMA_BENCH && c.getLong(Axis.PROMPT) > 0) && c.bench() != Bench.BATCH) continue;
      Spec.Backend b = spec.backends().get(c.backend());
      if (b == null || b.build() == null || resources.unavailable(c.backend()) != null) continue;
      dev.llamasweep.gguf.GgufInfo g = resources.gguf(c.model());
      String type = g == null ? null : dev.llamasweep.gguf.GgufShapes.of(g).mainWeightType();
      if (type != null) typesByBackend.computeIfAbsent(c.backend(), k -> new java.util.TreeSet<>()).add(type);
    }
    if (typesByBackend.isEmpty()) return;
    String hostId = MemoryWall.currentHostId();
    typesByBackend.forEach((backend, types) -> {
      Spec.Backend b = spec.backends().get(backend);
      Path bin = resources.bin(backend);
      dev.llamasweep.build.Toolchain tc = ws.toolchain(err);
      if (resources.release(backend) != null) tc = tc.forRelease(resources.release(backend));
      Path exe = null;
      String why = null;
      try {
        exe = tc.ensureTestBackendOps(bin);
      } catch (dev.llamasweep.build.Toolchain.Unavailable e) {
        why = e.getMessage();
      }
      for (String type : types) {
        dev.llamasweep.host.ComputeWall.ensure(dataDir, backend, b.build(), bin.toString(), exe, why, type, hostId, force, err);
      }
    });
  }

  /**
   * The fixed cost per token of every token-generation setup the spec uses, measured on the models'
   * skeletons (data/&lt;spec&gt;/fixed-cost/): each skeleton cell runs once and is kept, like a cell,
   * so a later run or a re-run of one cell measures only what is new.
   */
  static List<CellPlan> fixedCostPlans(Workspace ws, Spec spec, List<Cell> all, Resources resources, Path dataDir, boolean force, PrintStream err) {
    dev.llamasweep.build.Toolchain tc = ws.toolchain(err);
    var fc = dev.llamasweep.execute.FixedCostPlanner.plan(spec, all, resources,
        new dev.llamasweep.models.SyntheticModels(tc, err, dev.llamasweep.models.SyntheticModels.Shape.DEFAULT), dataDir);
    fc.unsupported().forEach((m, why) -> err.println("llama-sweep: no skeleton of model " + m + " (" + why + "): its fixed cost per token is not measured."));
    RawStore store = new RawStore(dataDir.resolve("fixed-cost"));
    List<CellPlan> todo = fc.plans().stream().filter(p -> force || !store.isDone(p.id())).toList();
    if (todo.isEmpty()) return todo;
    store.cleanStaging();
    err.println("llama-sweep: the fixed cost per token: " + todo.size() + " skeleton cell(s) (the models' layers, experts and head width, "
        + "widths shrunk to " + dev.llamasweep.models.Skeleton.WIDTH + ", so a token reads a few MB), each right after its profile's cells");
    return todo;
  }

  /**
   * The cells in their order with each profile's skeleton cells right after that profile's last cell,
   * so measuring the fixed cost switches no power profile more than the cells do.
   */
  static List<CellPlan> withSkeletons(List<CellPlan> cells, List<CellPlan> skeletons) {
    List<CellPlan> in = new java.util.ArrayList<>(cells);
    in.sort(java.util.Comparator.comparingInt(CellPlan::index));
    List<CellPlan> left = new java.util.ArrayList<>(skeletons);
    List<CellPlan> out = new java.util.ArrayList<>();
    for (int i = 0; i < in.size(); i++) {
      out.add(in.get(i));
      String profile = in.get(i).profile();
      boolean lastOfProfile = i + 1 == in.size() || !java.util.Objects.equals(profile, in.get(i + 1).profile());
      if (lastOfProfile) {
        left.stream().filter(s -> java.util.Objects.equals(s.profile(), profile)).forEach(out::add);
        left.removeIf(s -> java.util.Objects.equals(s.profile(), profile));
      }
    }
    out.addAll(left);
    List<CellPlan> indexed = new java.util.ArrayList<>();
    for (int i = 0; i < out.size(); i++) indexed.add(out.get(i).withIndex(i));
    return indexed;
  }

  /** The file name of the spec a data directory was made with, kept in it so it renders anywhere without the spec file. */
  public static final String SPEC_COPY = "spec.yaml";

  /** data/&lt;spec&gt;/spec.yaml: the spec as it was when this sweep started, byte for byte (reports, compare and corpus need nothing else). */
  static void recordSpec(Spec spec, Path dataDir) {
    try {
      String text = java.nio.file.Files.readString(spec.file());
      java.nio.file.Files.createDirectories(dataDir);
      dev.llamasweep.io.AtomicFiles.write(dataDir.resolve(SPEC_COPY), w -> w.write(text));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** A backend meant for a local GPU; the layers of one on rpc-servers go to the servers' devices, whatever gpu_layers says. */
  static boolean gpuIntended(Spec.Backend b) {
    return BackendDevices.gpuIntended(b.name(), b.build(), b.rpc() == null ? b.settings().get(Axis.GPU_LAYERS) : null);
  }

  /** host.json: the host's identity, the facts that explain the numbers, and what each backend's llama-bench can run on. */
  static Map<String, BackendDevices> recordHost(Spec spec, List<Cell> cells, Resources resources, Resources built, Path dataDir) {
    // a backend not built in this run (a re-run of one cell) keeps the build record of the run that built it
    HostRecord before;
    try {
      before = HostRecord.read(dataDir.resolve("host.json"));
    } catch (RuntimeException e) {
      before = null; // a damaged record is written anew
    }
    HostProbe.HostFacts facts = HostProbe.probe(new HostProbe.Live(), spec.memory());
    Map<String, BackendDevices> devices = new LinkedHashMap<>();
    for (String name : cells.stream().map(Cell::backend).distinct().toList()) {
      Spec.Backend b = spec.backends().get(name);
      boolean gpu = gpuIntended(b);
      devices.put(name, resources.unavailable(name) != null
          ? new BackendDevices(name, "", null, List.of(), gpu, "unavailable: " + resources.unavailable(name))
          : BackendDevices.probe(name, resources.bin(name), b.env(), gpu));
    }
    Map<String, dev.llamasweep.build.BuildRecord> builds = new LinkedHashMap<>();
    for (String name : devices.keySet()) {
      if (built.build(name) != null) builds.put(name, built.build(name));
      else if (before != null && before.builds().containsKey(name)) builds.put(name, before.builds().get(name));
    }
    new HostRecord(facts.facts(), facts.peakGBs(), facts.peakHow(), devices, HostIdentity.probe(new HostProbe.Live()), builds)
        .write(dataDir.resolve("host.json"));
    recordModels(cells, resources, dataDir);
    return devices;
  }

  /**
   * A cell whose main_gpu is past the devices its backend lists is skipped with the reason before anything
   * runs, instead of failing as "failed to load model". A backend on rpc-servers is left alone: the servers'
   * devices, listed first, are only known once they run.
   */
  static List<CellPlan> refuseUnlistedMainGpu(List<CellPlan> plans, Spec spec, Map<String, BackendDevices> devices) {
    List<CellPlan> out = new java.util.ArrayList<>(plans.size());
    for (CellPlan p : plans) {
      Spec.Backend b = spec.backends().get(p.cell().backend());
      BackendDevices d = devices.get(p.cell().backend());
      String why = p.skipReason() != null || b == null || b.rpc() != null || d == null ? null
          : d.mainGpuRefusal(p.cell().get(Axis.SPLIT_MODE), p.cell().get(Axis.MAIN_GPU));
      out.add(why == null ? p : new CellPlan(p.index(), p.spec(), p.cell(), p.command(), p.label(), p.policies(), why, p.interleaving()));
    }
    return out;
  }

  /** models.json: each model's GGUF header (tensor table and shape), from which reports compute bytes per token. */
  static void recordModels(List<Cell> cells, Resources resources, Path dataDir) {
    Map<String, Path> models = new LinkedHashMap<>();
    for (Cell c : cells) {
      models.put(c.model(), resources.model(c.model()));
      Object draft = c.get(Axis.DRAFT);
      if (draft != null) models.put((String) draft, resources.model((String) draft));
    }
    ModelHeaders.write(dataDir.resolve("models.json"), models, resources::gguf, resources::origin);
  }
}
