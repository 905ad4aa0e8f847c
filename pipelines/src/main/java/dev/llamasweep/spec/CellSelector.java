package dev.llamasweep.spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Picks cells by id prefix or by parameters ({@code --where model=x,mmap=false}). */
public final class CellSelector {
  private CellSelector() {}

  public static List<Cell> byIdPrefixes(List<Cell> cells, List<String> prefixes) {
    List<Cell> out = new ArrayList<>();
    for (String prefix : prefixes) {
      List<Cell> hits = cells.stream().filter(c -> c.id().startsWith(prefix)).toList();
      if (hits.isEmpty()) {
        throw new IllegalArgumentException("no cell id starts with '" + prefix + "'; `plan` lists the ids.");
      }
      if (hits.size() > 1) {
        throw new IllegalArgumentException("the id prefix '" + prefix + "' matches " + hits.size()
            + " cells (" + String.join(", ", hits.stream().map(Cell::id).toList()) + "); give more characters.");
      }
      if (!out.contains(hits.get(0))) out.add(hits.get(0));
    }
    return out;
  }

  /** Parses {@code key=value,key=value}; values compare as text against the cell's parameters. */
  public static Map<String, String> parseWhere(String where) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String part : where.split(",")) {
      if (part.isBlank()) continue;
      int eq = part.indexOf('=');
      if (eq <= 0) throw new IllegalArgumentException("--where takes key=value pairs separated by commas; '" + part + "' has no '='.");
      String key = part.substring(0, eq).trim();
      if (!key.equals("bench") && !key.equals("experiment") && Axis.byKey(key).isEmpty()) {
        throw new IllegalArgumentException("--where names '" + key + "', which is not an axis; expected one of experiment, bench, " + Axis.allKeys() + ".");
      }
      m.put(key, part.substring(eq + 1).trim());
    }
    return m;
  }

  public static List<Cell> where(List<Cell> cells, Map<String, String> where) {
    return cells.stream().filter(c -> where.entrySet().stream().allMatch(e ->
        e.getKey().equals("experiment") ? c.experiments().contains(e.getValue())
            : e.getKey().equals(Params.BENCH) ? c.bench().word.equals(e.getValue())
            : c.params().has(Axis.byKey(e.getKey()).orElseThrow()) && String.valueOf(c.params().get(Axis.byKey(e.getKey()).orElseThrow())).equals(e.getValue())))
        .toList();
  }
}
