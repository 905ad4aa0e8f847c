package dev.llamasweep.spec;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One grid cell: a fully resolved set of parameters and its identity. The id is a hash of the
 * canonical parameters only (sorted keys, normalised values), so the same spec always yields the
 * same ids and adding a value to an axis leaves the ids of existing cells alone.
 */
public record Cell(String id, Bench bench, Map<String, Object> params, List<String> experiments)
    implements Serializable {

  public static Cell of(Bench bench, Map<Axis, Object> values) {
    Map<String, Object> params = new TreeMap<>();
    params.put("bench", bench.word);
    values.forEach((k, v) -> params.put(k.key, v));
    return new Cell(idOf(params), bench, new LinkedHashMap<>(params), List.of());
  }

  Cell inExperiment(String experiment) {
    List<String> xs = new ArrayList<>(experiments);
    if (!xs.contains(experiment)) xs.add(experiment);
    return new Cell(id, bench, params, List.copyOf(xs));
  }

  /** The canonical form that is hashed: {@code key=value} lines in key order. */
  public static String canonical(Map<String, Object> params) {
    StringBuilder sb = new StringBuilder();
    new TreeMap<>(params).forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
    return sb.toString();
  }

  static String idOf(Map<String, Object> params) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(canonical(params).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d).substring(0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public String model() { return (String) params.get("model"); }
  public String backend() { return (String) params.get("backend"); }

  public Object get(Axis axis) { return params.get(axis.key); }

  public long getLong(Axis axis) { return ((Number) params.get(axis.key)).longValue(); }

  /** A short human label: the values of the given axes, e.g. {@code model=x backend=cpu}. */
  public String label(List<String> keys) {
    StringBuilder sb = new StringBuilder();
    for (String k : keys) {
      if (params.containsKey(k)) sb.append(sb.length() == 0 ? "" : " ").append(k).append('=').append(params.get(k));
    }
    return sb.toString();
  }
}
