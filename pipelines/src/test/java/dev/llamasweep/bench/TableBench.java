package dev.llamasweep.bench;

import dev.llamasweep.table.Column;
import dev.llamasweep.table.Frames;
import dev.llamasweep.table.Table;
import java.io.StringWriter;

/**
 * What Tablesaw costs a render, in a fresh JVM with the tool's whole class path (Beam, Flink): the first
 * CSV write of a table through {@link Frames}, whose {@code load} shows Tablesaw's class-path scan only its
 * own jar (target: under 0.5 s), or, with the argument {@code unshielded}, Tablesaw's own first use as it
 * comes (its Table class scans every jar on the class path). make bench runs each a few times.
 */
public final class TableBench {
  public static void main(String[] args) {
    long t0 = System.nanoTime();
    if (args.length > 0 && args[0].equals("unshielded")) {
      tech.tablesaw.api.Table.create("first use");
      System.out.printf(java.util.Locale.ROOT, "%.3f%n", (System.nanoTime() - t0) / 1e9);
      return;
    }
    Table t = Table.of(Column.text("cell"), Column.number("mean_ts", "t/s", d -> String.valueOf(d)));
    for (int i = 0; i < 100; i++) t.row("cell" + i, 100.0 + i);
    StringWriter w = new StringWriter();
    Frames.csv("bench", t, w);
    double first = (System.nanoTime() - t0) / 1e9;
    long t1 = System.nanoTime();
    Frames.csv("bench", t, new StringWriter());
    System.out.printf(java.util.Locale.ROOT, "%.3f %.4f%n", first, (System.nanoTime() - t1) / 1e9);
  }
}
