package dev.llamasweep.spec;

import dev.llamasweep.spec.Spec.Backend;
import dev.llamasweep.spec.Spec.Experiment;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Expands experiments into cells: the cartesian product of each grid, minus its excludes. */
public final class GridExpander {
  private GridExpander() {}

  /** The grid points of one experiment, first axis outermost, in the order written. */
  public static List<Map<Axis, Object>> expand(Experiment x) {
    List<Map<Axis, Object>> points = new ArrayList<>();
    points.add(new EnumMap<>(Axis.class));
    for (Map.Entry<Axis, List<Object>> axis : x.grid().entrySet()) {
      List<Map<Axis, Object>> next = new ArrayList<>();
      for (Map<Axis, Object> p : points) {
        for (Object v : axis.getValue()) {
          Map<Axis, Object> q = new EnumMap<>(Axis.class);
          q.putAll(p);
          q.put(axis.getKey(), v);
          next.add(q);
        }
      }
      points = next;
    }
    points.removeIf(p -> x.exclude().stream().anyMatch(ex -> matches(p, ex)));
    return points;
  }

  static boolean matches(Map<Axis, Object> point, Map<Axis, Object> pattern) {
    return pattern.entrySet().stream().allMatch(e -> e.getValue().equals(point.get(e.getKey())));
  }

  /**
   * All cells of a spec, each once even when several experiments contain it, in run order.
   * A value comes from the grid, else the backend, else the spec's defaults, else llama-bench's.
   */
  public static List<Cell> cells(Spec spec) {
    Map<String, Cell> byId = new LinkedHashMap<>();
    for (Experiment x : spec.experiments()) {
      for (Map<Axis, Object> point : expand(x)) {
        boolean speculative = x.bench() == Bench.SPECULATIVE;
        Map<Axis, Object> values = new EnumMap<>(Axis.class);
        values.putAll(Params.defaults(x.bench()));
        // defaults for the other kind of bench do not apply
        spec.defaults().forEach((k, v) -> {
          if (x.bench().takes(k)) values.put(k, v);
        });
        Object backendName = point.getOrDefault(Axis.BACKEND, spec.defaults().get(Axis.BACKEND));
        Backend backend = spec.backends().get((String) backendName);
        // a backend's settings for axes a batch or server cell has no use for (mmap) stay off its cells; the older benches keep
        // every setting, as their ids always have
        backend.settings().forEach((k, v) -> {
          if (x.bench() == Bench.LLAMA_BENCH || x.bench() == Bench.SPECULATIVE || x.bench().takes(k)) values.put(k, v);
        });
        values.putAll(point);
        // the target alone uses no draft: one baseline cell, whatever drafts the grid lists
        if (speculative && Long.valueOf(0L).equals(values.get(Axis.DRAFT_MAX))) values.remove(Axis.DRAFT);
        Cell cell = Cell.of(x.bench(), values);
        Cell existing = byId.get(cell.id());
        byId.put(cell.id(), existing == null ? cell.inExperiment(x.name()) : existing.inExperiment(x.name()));
      }
    }
    return List.copyOf(byId.values());
  }
}
