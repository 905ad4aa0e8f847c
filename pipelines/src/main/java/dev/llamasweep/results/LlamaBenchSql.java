package dev.llamasweep.results;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The table llama-bench writes with {@code -o sql} ({@code CREATE TABLE llama_bench (...)}), so
 * llama.cpp's scripts/compare-llama-bench.py reads our results and we read theirs. The fields and their
 * types are {@link dev.llamasweep.llamacpp.BenchFields}'s.
 */
public final class LlamaBenchSql {
  public static final List<String> FIELDS = dev.llamasweep.llamacpp.BenchFields.SQL_COLUMNS;

  private LlamaBenchSql() {}

  public static String sqlType(String field) {
    dev.llamasweep.llamacpp.BenchFields.Field f = dev.llamasweep.llamacpp.BenchFields.field(field);
    return f == null ? "TEXT" : f.type().sql;
  }

  /** llama-bench's columns, then any other field the records had (an older llama-bench's use_mmap, …) with its type. */
  static String createTable(List<String> columns, Map<String, String> extraTypes) {
    StringBuilder sb = new StringBuilder("CREATE TABLE IF NOT EXISTS llama_bench (\n");
    for (int i = 0; i < columns.size(); i++) {
      String col = columns.get(i);
      String type = FIELDS.contains(col) ? sqlType(col) : extraTypes.getOrDefault(col, "TEXT");
      sb.append("  ").append(col).append(' ').append(type).append(i < columns.size() - 1 ? ",\n" : "\n");
    }
    return sb.append(")").toString();
  }

  /** The columns for these rows: llama-bench's own, then every extra field in the order first seen. */
  static List<String> columns(List<Map<String, Object>> rows) {
    java.util.LinkedHashSet<String> cols = new java.util.LinkedHashSet<>(FIELDS);
    for (Map<String, Object> r : rows) cols.addAll(r.keySet());
    return List.copyOf(cols);
  }

  /** Writes rows (field → value as llama-bench would print it) into a new SQLite file. */
  public static void write(Path db, List<Map<String, Object>> rows) throws SQLException {
    try {
      Files.deleteIfExists(db);
      Files.createDirectories(db.toAbsolutePath().getParent());
    } catch (java.io.IOException e) {
      throw new SQLException(e);
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
      c.setAutoCommit(false);
      List<String> columns = columns(rows);
      Map<String, String> extraTypes = new java.util.HashMap<>();
      for (Map<String, Object> r : rows) {
        r.forEach((k, v) -> {
          if (!FIELDS.contains(k) && v != null) extraTypes.putIfAbsent(k, v instanceof Long || v instanceof Integer ? "INTEGER" : v instanceof Double ? "REAL" : "TEXT");
        });
      }
      try (Statement s = c.createStatement()) {
        s.execute(createTable(columns, extraTypes));
      }
      String sql = "INSERT INTO llama_bench (" + String.join(", ", columns) + ") VALUES (" + "?, ".repeat(columns.size() - 1) + "?)";
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        for (Map<String, Object> row : rows) {
          for (int i = 0; i < columns.size(); i++) {
            Object v = row.get(columns.get(i));
            if (v instanceof Boolean b) v = b ? 1 : 0;
            ps.setObject(i + 1, v);
          }
          ps.addBatch();
        }
        ps.executeBatch();
      }
      c.commit();
    }
  }

  /** Every row of a llama_bench table, each as field → value; the row number is its 1-based position. */
  public static List<Map<String, Object>> read(Path db) throws SQLException {
    List<Map<String, Object>> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
         Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT * FROM llama_bench")) {
      int cols = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        Map<String, Object> row = new java.util.LinkedHashMap<>();
        for (int i = 1; i <= cols; i++) row.put(rs.getMetaData().getColumnName(i), rs.getObject(i));
        out.add(row);
      }
    }
    return out;
  }

  /** A llama-bench JSON record as a row, with our statistics from its samples in place of llama-bench's. */
  public static Map<String, Object> row(JsonNode record, double avgTs, double sdTs, long avgNs, long sdNs) {
    Map<String, Object> row = new java.util.LinkedHashMap<>();
    for (String f : FIELDS) {
      JsonNode v = record.get(f);
      if (v == null || v.isNull()) {
        row.put(f, null);
        continue;
      }
      switch (dev.llamasweep.llamacpp.BenchFields.field(f).type()) {
        case BOOL -> row.put(f, v.asBoolean() ? 1 : 0);
        case INT -> row.put(f, v.asLong());
        case FLOAT -> row.put(f, v.asDouble());
        case TEXT -> row.put(f, v.asText());
      }
    }
    // an older llama-bench wrote use_mmap where this one writes load_mode: keep both, fill load_mode from it
    if (row.get("load_mode") == null && record.hasNonNull("use_mmap")) row.put("load_mode", dev.llamasweep.llamacpp.BenchFields.loadMode(record));
    record.fields().forEachRemaining(e -> {
      String f = e.getKey();
      JsonNode v = e.getValue();
      if (FIELDS.contains(f) || f.startsWith("samples_") || f.startsWith("llama_sweep_") || !f.matches("[a-z_][a-z0-9_]*")) return;
      if (v.isIntegralNumber() || v.isBoolean()) row.put(f, v.isBoolean() ? (v.asBoolean() ? 1L : 0L) : v.asLong());
      else if (v.isNumber()) row.put(f, v.asDouble());
      else if (v.isValueNode() && !v.isNull()) row.put(f, v.asText());
    });
    row.put("avg_ts", avgTs);
    row.put("stddev_ts", Double.isNaN(sdTs) ? 0.0 : sdTs);
    row.put("avg_ns", avgNs);
    row.put("stddev_ns", sdNs);
    return row;
  }
}
