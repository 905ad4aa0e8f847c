package dev.llamasweep.spec;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One grid cell: a fully resolved set of parameters and its identity. The id is a hash of the
 * canonical parameters only ({@link Params#id}), so the same spec always yields the same ids and
 * adding a value to an axis leaves the ids of existing cells alone.
 */
public record Cell(String id, Bench bench, Params params, List<String> experiments) implements Serializable {

  public static Cell of(Bench bench, Map<Axis, Object> values) {
    Params p = Params.of(bench, values);
    return new Cell(p.id(), bench, p, List.of());
  }

  Cell inExperiment(String experiment) {
    List<String> xs = new ArrayList<>(experiments);
    if (!xs.contains(experiment)) xs.add(experiment);
    return new Cell(id, bench, params, List.copyOf(xs));
  }

  public String model() { return params.model(); }
  public String backend() { return params.backend(); }

  public Object get(Axis axis) { return params.get(axis); }

  public long getLong(Axis axis) { return ((Number) params.get(axis)).longValue(); }

  /** A short human label: the values of the given axes, e.g. {@code model=x backend=cpu}. */
  public String label(List<Axis> axes) {
    StringBuilder sb = new StringBuilder();
    for (Axis a : axes) {
      if (params.has(a)) sb.append(sb.length() == 0 ? "" : " ").append(a.key).append('=').append(params.get(a));
    }
    return sb.toString();
  }
}
