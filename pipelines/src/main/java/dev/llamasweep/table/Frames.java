package dev.llamasweep.table;

import java.io.Writer;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.io.csv.CsvWriteOptions;
import tech.tablesaw.io.csv.CsvWriter;

/**
 * A {@link Table} as a Tablesaw data frame (one typed column per column: text, long, double; null is
 * Tablesaw's missing value) and written as CSV by Tablesaw's writer. Kept apart from {@link Table} so
 * that Markdown printing never loads Tablesaw.
 */
public final class Frames {
  private Frames() {}

  private static boolean loaded;

  /**
   * Tablesaw's {@code Table} initialises its reader and writer registry by scanning the whole class path with
   * ClassGraph for the implementations in {@code tech.tablesaw.io}: with Beam and Flink on the class path (74
   * jars, 138 MB) that took 0.9 s of every render. Every implementation it looks for is in Tablesaw's own jar,
   * so the scan is shown only that jar: the class path property names it alone while the class initialises
   * (0.23 s), before any other thread of a render runs, and is restored at once.
   */
  public static synchronized void load() {
    if (loaded) return;
    ClassLoader loader = Frames.class.getClassLoader();
    try {
      Class<?> table = Class.forName("tech.tablesaw.api.Table", false, loader);
      java.security.CodeSource src = table.getProtectionDomain().getCodeSource();
      String jar = src == null ? null : java.nio.file.Path.of(src.getLocation().toURI()).toString();
      String classPath = System.getProperty("java.class.path");
      if (jar != null) System.setProperty("java.class.path", jar);
      try {
        Class.forName("tech.tablesaw.api.Table", true, loader);
      } finally {
        if (jar != null && classPath != null) System.setProperty("java.class.path", classPath);
      }
    } catch (ClassNotFoundException | java.net.URISyntaxException e) {
      throw new IllegalStateException("Tablesaw is not on the class path", e);
    }
    loaded = true;
  }

  public static tech.tablesaw.api.Table frame(String name, Table table) {
    load();
    tech.tablesaw.api.Table f = tech.tablesaw.api.Table.create(name);
    for (int c = 0; c < table.columns().size(); c++) {
      Column col = table.columns().get(c);
      switch (col.type()) {
        case TEXT -> {
          StringColumn s = StringColumn.create(col.name());
          for (int r = 0; r < table.size(); r++) {
            Object v = table.row(r).get(c);
            if (v == null) s.appendMissing(); else s.append((String) v);
          }
          f.addColumns(s);
        }
        case INTEGER -> {
          LongColumn s = LongColumn.create(col.name());
          for (int r = 0; r < table.size(); r++) {
            Object v = table.row(r).get(c);
            if (v == null) s.appendMissing(); else s.append(((Number) v).longValue());
          }
          f.addColumns(s);
        }
        case NUMBER -> {
          DoubleColumn s = DoubleColumn.create(col.name());
          for (int r = 0; r < table.size(); r++) {
            Object v = table.row(r).get(c);
            // NaN is Tablesaw's missing double: a figure that does not exist is an empty field, never "NaN"
            if (v == null) s.appendMissing(); else s.append(((Number) v).doubleValue());
          }
          f.addColumns(s);
        }
      }
    }
    return f;
  }

  /** RFC 4180 CSV (CRLF line ends): header, then one line per row; numbers as Java prints them (all their digits), missing values empty. */
  public static void csv(String name, Table table, Writer w) {
    // the frame first: CsvWriter's own class initialiser registers it with Table, which must be loaded by load()
    tech.tablesaw.api.Table frame = frame(name, table);
    new CsvWriter().write(frame, CsvWriteOptions.builder(w).header(true).separator(',').quoteChar('"').escapeChar('"')
        .ignoreLeadingWhitespaces(false).ignoreTrailingWhitespaces(false).build());
  }
}
