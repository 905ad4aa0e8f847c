package dev.llamasweep.table;

import java.util.function.Function;

/**
 * One column of a table: its name (the Markdown header and the CSV header alike), its unit, the type
 * its values have, and how Markdown shows a value. A value crosses into a table as that type, never
 * as text to be parsed again; only the printers turn it into text.
 *
 * @param unit what a number counts ("t/s", "GB/s", "ms", "J", "" for none): part of the name where it reads
 *     better, always here so a reader of the CSV knows it
 * @param markdown how a report shows a value (null is shown as "—" before this is asked)
 */
public record Column(String name, String unit, Type type, Function<Object, String> markdown) {
  /** What a column holds: text (Markdown fragments in a report's tables), whole numbers, or real numbers. */
  public enum Type {
    TEXT, INTEGER, NUMBER;

    boolean admits(Object v) {
      return switch (this) {
        case TEXT -> v instanceof String;
        case INTEGER -> v instanceof Long || v instanceof Integer;
        case NUMBER -> v instanceof Double || v instanceof Float || v instanceof Long || v instanceof Integer;
      };
    }
  }

  public Column {
    if (name == null || name.isEmpty() || name.contains("|") || name.contains("\n")) throw new IllegalArgumentException("a column needs a one-line name without '|', not '" + name + "'");
  }

  /** A column of text shown as it is (a report's cells are Markdown already escaped by their section). */
  public static Column text(String name) {
    return new Column(name, "", Type.TEXT, String::valueOf);
  }

  /** A column of whole numbers. */
  public static Column integer(String name, String unit) {
    return new Column(name, unit, Type.INTEGER, String::valueOf);
  }

  /** A column of real numbers, shown in Markdown by the given format. */
  public static Column number(String name, String unit, Function<Double, String> format) {
    return new Column(name, unit, Type.NUMBER, v -> format.apply(((Number) v).doubleValue()));
  }
}
