package dev.llamasweep.execute;
import dev.llamasweep.results.RawStore;

import dev.llamasweep.spec.Bench;
import dev.llamasweep.llamacpp.BenchCommand;
import dev.llamasweep.llamacpp.Flags;
import dev.llamasweep.gguf.GgufInfo;
import dev.llamasweep.llamacpp.ServerCommand;
import dev.llamasweep.spec.Axis;
import dev.llamasweep.spec.Cell;
import dev.llamasweep.spec.Spec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Turns cells into {@link CellPlan}s: exact argv, environment and raw directory per cell. */
public final class Planner {
  private Planner() {}

  public static List<CellPlan> plan(Spec spec, List<Cell> cells, Resources resources, Path dataDir) {
    List<CellPlan> plans = new ArrayList<>();
    RawStore store = new RawStore(dataDir);
    List<Axis> varying = varyingKeys(cells);
    int i = 0;
    for (Cell c : cells) {
      Spec.Backend backend = spec.backends().get(c.backend());
      Map<String, String> dialect = new LinkedHashMap<>();
      Flags.MmapDialect mmap = Flags.MmapDialect.UNKNOWN;
      if (c.get(Axis.MMAP) != null) {
        mmap = resources.mmapDialect(c.backend());
        dialect.put("mmap", mmap.name());
        if (mmap == Flags.MmapDialect.UNKNOWN && !java.nio.file.Files.exists(resources.bin(c.backend()).resolve("llama-bench"))) {
          // only `plan` gets here (running checks files first): show the current spelling
          mmap = Flags.MmapDialect.LOAD_MODE;
          dialect.put("mmap", "LOAD_MODE (assumed: llama-bench not found)");
        } else if (mmap == Flags.MmapDialect.UNKNOWN) {
          throw backend.binLocation().error("holds a llama-bench whose --help shows neither -lm nor -mmp, so the mmap axis cannot be applied.");
        }
      }
      Object threads = c.get(Axis.THREADS);
      Integer t = threads == null ? null
          : "auto".equals(threads) ? Runtime.getRuntime().availableProcessors() : ((Number) threads).intValue();
      List<String> argv;
      Map<String, Object> request = Map.of();
      long modelBytes = -1;
      CellPlan.Rpc rpc = null;
      if (c.bench() == Bench.SPECULATIVE) {
        String prompt = readPrompt(spec.resolve((String) c.get(Axis.PROMPT_FILE)));
        long generate = c.getLong(Axis.GENERATE);
        Flags.SpecDialect sd = c.getLong(Axis.DRAFT_MAX) > 0 ? resources.specDialect(c.backend()) : Flags.SpecDialect.SPEC_DRAFT_N_MAX;
        if (c.getLong(Axis.DRAFT_MAX) > 0) {
          dialect.put("speculative", sd.name());
          if (sd == Flags.SpecDialect.UNKNOWN && !java.nio.file.Files.exists(resources.bin(c.backend()).resolve("llama-server"))) {
            sd = Flags.SpecDialect.SPEC_DRAFT_N_MAX;
            dialect.put("speculative", "SPEC_DRAFT_N_MAX (assumed: llama-server not found)");
          } else if (sd == Flags.SpecDialect.UNKNOWN) {
            throw backend.binLocation().error("holds a llama-server whose --help shows neither --spec-draft-n-max nor --draft-max, so draft_max cannot be applied.");
          }
        }
        Object draft = c.get(Axis.DRAFT);
        argv = ServerCommand.argv(c, resources.bin(c.backend()), resources.model(c.model()),
            draft == null ? null : resources.model((String) draft), sd, t, ServerCommand.contextSize(prompt.length(), generate), backend.args());
        request = ServerCommand.request(prompt, generate);
        GgufInfo info = resources.gguf(c.model());
        modelBytes = info == null ? -1 : info.tensorBytes();
      } else if (c.bench() == Bench.SERVER) {
        String prompt = readPrompt(spec.resolve((String) c.get(Axis.PROMPT_FILE)));
        long generate = c.getLong(Axis.GENERATE);
        argv = ServerCommand.argv(c, resources.bin(c.backend()), resources.model(c.model()), null, Flags.SpecDialect.SPEC_DRAFT_N_MAX, t,
            ServerCommand.contextSize(prompt.length(), generate), (int) c.params().concurrency(), backend.args());
        request = ServerCommand.streamedRequest(prompt, generate);
        GgufInfo info = resources.gguf(c.model());
        modelBytes = info == null ? -1 : info.tensorBytes();
      } else if (c.bench() == Bench.BATCH) {
        argv = dev.llamasweep.llamacpp.BatchedBenchCommand.argv(resources.bin(c.backend()), resources.model(c.model()), dev.llamasweep.llamacpp.BatchedBenchCommand.Point.of(c.params()), t,
            c.params().gpuLayers().isPresent() ? c.params().gpuLayers().getAsLong() : null, (Boolean) c.get(Axis.FLASH_ATTN), backend.args());
        GgufInfo info = resources.gguf(c.model());
        modelBytes = info == null ? -1 : info.tensorBytes();
      } else {
        argv = BenchCommand.argv(c, resources.bin(c.backend()), resources.model(c.model()), mmap, t, backend.args());
        rpc = rpcOf(backend, resources.bin(c.backend()), t);
        argv = withRpc(argv, rpc);
        String help = resources.benchHelp(c.backend());
        List<String> lacking = help == null ? List.of() : Flags.notInHelp(help, argv.subList(1, argv.size()));
        if (!lacking.isEmpty()) {
          dev.llamasweep.build.Release release = resources.release(c.backend());
          Spec.Location where = release != null ? backend.llamaCppLocation() : backend.binLocation();
          throw where.error((release != null ? "names llama.cpp " + release.describe() + ", whose" : "holds a") + " llama-bench does not accept "
              + String.join(", ", lacking) + " (its --help does not list " + (lacking.size() == 1 ? "it" : "them") + "), which cell "
              + c.id() + " (" + c.label(varying) + ") needs; drop that setting from the grid or the backend, or use another version.");
        }
      }
      String unavailable = resources.unavailable(c.backend());
      plans.add(new CellPlan(i++, spec.name(), c,
          new CellPlan.Command(List.copyOf(argv), new TreeMap<>(backend.env()), spec.timeoutSeconds(), store.cellDir(c.id()).toString(), dialect,
              request, modelBytes, rpc),
          c.label(varying), policies(spec), unavailable == null ? null : "backend unavailable (" + unavailable + ")",
          new CellPlan.Interleaving(orderGroup(spec, c), orderRounds(spec, c))));
    }
    return byProfile(plans);
  }

  /** The rpc-servers a backend's llama-bench cells run on (null: none), each local one with the cell's threads. */
  static CellPlan.Rpc rpcOf(Spec.Backend backend, Path bin, Integer threads) {
    if (backend.rpc() == null) return null;
    return new CellPlan.Rpc(backend.rpc().local(), backend.rpc().endpoints(), backend.rpc().startsLocal() ? RpcServers.program(bin).toString() : null, threads);
  }

  /**
   * A llama-bench argv with --rpc where the endpoints go once the cell's servers run (its --help lists
   * --rpc only when it has the RPC backend, so a binary without it is caught before anything runs).
   */
  static List<String> withRpc(List<String> argv, CellPlan.Rpc rpc) {
    if (rpc == null) return argv;
    List<String> a = new ArrayList<>(argv);
    a.addAll(a.size() - 2, List.of("--rpc", CellPlan.Rpc.ENDPOINTS));
    return a;
  }

  /** The spec's policies for the machine around a cell: the same for every cell of a spec. */
  static CellPlan.Policies policies(Spec spec) {
    return new CellPlan.Policies(spec.profilePolicy(), spec.profileSettleSeconds(), spec.quietPolicy(), spec.cooldown());
  }

  /**
   * The interleaving group of a llama-bench cell: the first experiment that holds it, when that
   * experiment runs interleaved (said so, or by default when it compares two or more arms).
   */
  static String orderGroup(Spec spec, Cell c) {
    if (c.bench() != Bench.LLAMA_BENCH || c.experiments().isEmpty()) return null;
    Spec.Experiment x = spec.experiments().stream().filter(e -> e.name().equals(c.experiments().get(0))).findFirst().orElse(null);
    if (x == null || "sequential".equals(x.order())) return null;
    if (x.order() == null) {
      long arms = 1;
      for (List<Object> values : x.grid().values()) arms *= values.size();
      if (arms < 2) return null;
    }
    return x.name();
  }

  static int orderRounds(Spec spec, Cell c) {
    Spec.Experiment x = spec.experiments().stream().filter(e -> !c.experiments().isEmpty() && e.name().equals(c.experiments().get(0)))
        .findFirst().orElse(null);
    long reps = c.params().repetitions();
    return (int) Math.max(1, Math.min(x == null ? 1 : x.rounds(), reps));
  }

  /**
   * Run order: cells grouped by power profile (in the order profiles first appear), otherwise as
   * the grid lists them, so a sweep switches profiles as few times as it can.
   */
  static List<CellPlan> byProfile(List<CellPlan> plans) {
    List<String> order = new ArrayList<>();
    for (CellPlan p : plans) if (!order.contains(String.valueOf(p.profile()))) order.add(String.valueOf(p.profile()));
    List<CellPlan> sorted = new ArrayList<>(plans);
    sorted.sort(java.util.Comparator.comparingInt(p -> order.indexOf(String.valueOf(p.profile()))));
    List<CellPlan> out = new ArrayList<>();
    for (int k = 0; k < sorted.size(); k++) out.add(sorted.get(k).withIndex(k));
    return out;
  }

  private static String readPrompt(Path file) {
    return dev.llamasweep.io.InputFiles.text(file, dev.llamasweep.io.InputFiles.Kind.TEXT);
  }

  /** The parameters that differ between cells (model and backend always), for short labels. */
  static List<Axis> varyingKeys(List<Cell> cells) {
    List<Axis> keys = new ArrayList<>(List.of(Axis.MODEL, Axis.BACKEND));
    for (Axis a : Axis.values()) {
      if (keys.contains(a)) continue;
      if (cells.stream().map(c -> String.valueOf(c.params().get(a))).distinct().count() > 1) keys.add(a);
    }
    return keys;
  }
}
