package dev.llamasweep.execute;

import dev.llamasweep.results.FixedCosts;
import dev.llamasweep.results.RawStore;

import dev.llamasweep.llamacpp.BenchCommand;
import dev.llamasweep.llamacpp.Flags;
import dev.llamasweep.gguf.GgufInfo;
import dev.llamasweep.gguf.GgufShapes;
import dev.llamasweep.models.Skeleton;
import dev.llamasweep.models.SyntheticModels;
import dev.llamasweep.spec.Axis;
import dev.llamasweep.spec.Bench;
import dev.llamasweep.spec.Cell;
import dev.llamasweep.spec.Params;
import dev.llamasweep.spec.Spec;
import dev.llamasweep.stats.BytesPerToken;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The skeleton cells that measure the fixed cost per token of a sweep's token-generation cells: for
 * each (model, backend, threads, layers offloaded, flash attention, mmap) a tg cell uses, the model's
 * skeleton ({@link Skeleton}) run exactly as the cell runs, generation only. The first of each
 * backend also runs skeletons of half and twice the layers, to show the cost grows with layers.
 * Their raw directories go to data/&lt;spec&gt;/fixed-cost/raw/, like cells.
 */
public final class FixedCostPlanner {
  private FixedCostPlanner() {}

  static final long REPETITIONS = 3;

  /** What {@link #plan} could not make a skeleton of, and why (shown in the report). */
  public record Plans(List<CellPlan> plans, Map<String, String> unsupported) {}

  public static Plans plan(Spec spec, List<Cell> cells, Resources resources, SyntheticModels models, Path dataDir) {
    RawStore store = new RawStore(dataDir.resolve("fixed-cost"));
    Map<String, Cell> byKey = new LinkedHashMap<>();
    for (Cell c : cells) {
      // a batch point's fixed cost per step is the same skeleton's: one token's step of the same model, backend and threads
      if (c.bench() == Bench.SPECULATIVE || c.bench() == Bench.SERVER || c.getLong(Axis.GENERATE) <= 0 || resources.unavailable(c.backend()) != null) continue;
      byKey.putIfAbsent(FixedCosts.key(c.params()), c);
    }
    List<CellPlan> out = new ArrayList<>();
    Map<String, String> unsupported = new TreeMap<>();
    java.util.Set<String> backendsSeen = new java.util.HashSet<>();
    java.util.Set<String> graphsTwins = new java.util.HashSet<>();
    int i = 0;
    for (Cell c : byKey.values()) {
      Path model = resources.model(c.model());
      GgufInfo info = resources.gguf(c.model());
      if (info == null) continue;
      int n = (int) info.blockCount();
      List<Integer> layers = new ArrayList<>(List.of(n));
      if (backendsSeen.add(c.backend()) && n >= 2) layers = List.of(n / 2, n, 2 * n);
      for (int l : layers) {
        Path skeleton;
        try {
          skeleton = models.skeleton(model, l);
        } catch (Skeleton.Unsupported e) {
          if (l == n) {
            unsupported.put(c.model(), e.getMessage());
            break;
          }
          continue;  // only the model's own layer count is needed; the others show linearity where they can be made
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
        Map<Axis, Object> values = new EnumMap<>(Axis.class);
        for (Axis a : Axis.values()) if (c.get(a) != null && Bench.LLAMA_BENCH.takes(a)) values.put(a, c.get(a));
        if (c.bench() == Bench.BATCH) values.put(Axis.GENERATE, Params.defaults(Bench.LLAMA_BENCH).get(Axis.GENERATE));
        values.put(Axis.MODEL, c.model() + "@skeleton-L" + l);
        values.put(Axis.PROMPT, 0L);
        values.put(Axis.DEPTH, 0L);
        values.put(Axis.REPETITIONS, REPETITIONS);
        Cell s = Cell.of(Bench.LLAMA_BENCH, values);
        Spec.Backend backend = spec.backends().get(c.backend());
        Object threads = s.get(Axis.THREADS);
        Integer t = threads == null ? null : "auto".equals(threads) ? Runtime.getRuntime().availableProcessors() : ((Number) threads).intValue();
        Flags.MmapDialect mmap = s.get(Axis.MMAP) == null ? Flags.MmapDialect.UNKNOWN : resources.mmapDialect(c.backend());
        // a backend on rpc-servers runs its skeletons on them too: the RPC path's cost per token is part of the fixed term
        CellPlan.Rpc rpc = Planner.rpcOf(backend, resources.bin(c.backend()), t);
        List<String> argv = Planner.withRpc(BenchCommand.argv(s, resources.bin(c.backend()), skeleton, mmap, t, backend.args()), rpc);
        double bytes = bytesPerToken(skeleton, s.getLong(Axis.GENERATE));
        dev.llamasweep.spec.Params params = s.params().asSkeleton(new dev.llamasweep.spec.Params.Skeleton(c.model(), l, bytes));
        out.add(new CellPlan(i++, spec.name(), new Cell(s.id(), Bench.LLAMA_BENCH, params, List.of("fixed cost")),
            new CellPlan.Command(List.copyOf(argv), new TreeMap<>(backend.env()), spec.timeoutSeconds(), store.cellDir(s.id()).toString(), Map.of(),
                Map.of(), -1, rpc),
            s.label(List.of(Axis.MODEL, Axis.BACKEND)), Planner.policies(spec), null, new CellPlan.Interleaving(null, 3)));
        if (l == n && "cuda".equals(backend.build()) && graphsTwins.add(c.backend() + " " + c.model())) {
          // the same skeleton with CUDA graphs off: the difference is the CPU-side launch cost that graphs remove from the fixed term
          values.put(Axis.MODEL, c.model() + "@skeleton-L" + l + "-no-cuda-graphs");
          Cell g = Cell.of(Bench.LLAMA_BENCH, values);
          Map<String, String> env = new TreeMap<>(backend.env());
          env.put(FixedCosts.NO_CUDA_GRAPHS_VARIABLE, "1");
          out.add(new CellPlan(i++, spec.name(), new Cell(g.id(), Bench.LLAMA_BENCH,
              g.params().asSkeleton(new dev.llamasweep.spec.Params.Skeleton(c.model(), l, bytes, true)), List.of("fixed cost")),
              new CellPlan.Command(List.copyOf(argv), env, spec.timeoutSeconds(), store.cellDir(g.id()).toString(), Map.of(), Map.of(), -1, rpc),
              g.label(List.of(Axis.MODEL, Axis.BACKEND)), Planner.policies(spec), null, new CellPlan.Interleaving(null, 3)));
        }
      }
    }
    return new Plans(out, unsupported);
  }


  /** Whether a plan is a skeleton cell (made here), not a cell of the spec. */
  public static boolean isSkeleton(CellPlan p) {
    return p.params().skeleton().isPresent();
  }

  /** Bytes a token of the skeleton reads (its weights as a token reads them, KV cache in f16 at the mean context of the run). */
  static double bytesPerToken(Path skeleton, long generate) {
    try {
      return BytesPerToken.of(GgufShapes.of(GgufInfo.read(skeleton)), 2, 2, "f16/f16", BytesPerToken.meanContext(0, generate)).total();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
