package dev.llamasweep.report;

import dev.llamasweep.results.CellEntry;
import dev.llamasweep.spec.Axis;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The columns that name a cell in an experiment's tables and charts: model and backend, each axis the
 * experiment varies, an ingested record's other llama-bench fields where they differ ("config:…"), and
 * the value each cell shows in them.
 */
final class CellColumns {
  private CellColumns() {}

  /** Model and backend always, plus every grid axis that takes more than one value. */
  static List<String> of(List<CellEntry> cells, ReportData data) {
    Set<String> keys = new LinkedHashSet<>(List.of("model", "backend"));
    for (Axis a : Axis.values()) {
      if (a == Axis.CONFIG) continue;
      if (cells.stream().map(c -> String.valueOf(c.params().get(a))).distinct().count() > 1) keys.add(a.key);
    }
    // ingested records that differ in another llama-bench field: one column per field that differs
    java.util.Map<String, java.util.Set<String>> fields = new java.util.LinkedHashMap<>();
    for (CellEntry c : cells) {
      configFields(c).forEach((k, v) -> fields.computeIfAbsent(k, x -> new java.util.HashSet<>()).add(v));
    }
    for (var e : fields.entrySet()) {
      long has = cells.stream().filter(c -> configFields(c).containsKey(e.getKey())).count();
      if (e.getValue().size() > 1 || has != cells.size()) keys.add("config:" + e.getKey());
    }
    // a profile that was asked for but not in force is shown where the numbers are
    boolean profileDiffers = cells.stream().anyMatch(c -> c.profile() != null && data.cell(c) != null
        && data.cell(c).status().isOk() && !c.profile().equals(data.cell(c).observedProfile()));
    if (profileDiffers) keys.add("profile");
    return new ArrayList<>(keys);
  }

  /** An ingested cell's other llama-bench fields, parsed from its config parameter. */
  static java.util.Map<String, String> configFields(CellEntry c) {
    java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
    Object config = c.params().get(Axis.CONFIG);
    if (config == null) return out;
    for (String kv : String.valueOf(config).split(";")) {
      int eq = kv.indexOf('=');
      if (eq > 0) out.put(kv.substring(0, eq), kv.substring(eq + 1));
    }
    return out;
  }

  static String value(CellEntry c, String key) {
    if (key.startsWith("config:")) return MarkdownText.escape(configFields(c).getOrDefault(key.substring(7), "—"));
    Object v = c.params().get(Axis.of(key).orElseThrow());
    return v == null ? "default" : MarkdownText.escape(String.valueOf(v));
  }

}
