package dev.llamasweep.table;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * A table as the report's sections produce it: columns (name, unit, type, how Markdown shows a
 * value) and rows of typed values, null where a row has no value. Every printer reads it:
 * {@link #markdown()} for report.md (and so report.html, which CommonMark makes from it) and
 * {@link Frames#csv} for CSV files, as llama-bench prints each of its formats from one field table.
 */
public final class Table {
  private final List<Column> columns;
  private final List<Object[]> rows = new ArrayList<>();

  private Table(List<Column> columns) {
    if (columns.isEmpty()) throw new IllegalArgumentException("a table needs a column");
    this.columns = List.copyOf(columns);
  }

  public static Table of(List<Column> columns) {
    return new Table(columns);
  }

  public static Table of(Column... columns) {
    return new Table(Arrays.asList(columns));
  }

  /** Text columns with these headers: the common case of a report table whose cells its section composed. */
  public static Table ofText(String... headers) {
    return new Table(Arrays.stream(headers).map(Column::text).toList());
  }

  /** Adds a row; each value must have its column's type (or be null). */
  public Table row(Object... values) {
    if (values.length != columns.size()) {
      throw new IllegalArgumentException("a row of " + values.length + " values for " + columns.size() + " columns (" + names() + ")");
    }
    for (int i = 0; i < values.length; i++) {
      if (values[i] != null && !columns.get(i).type().admits(values[i])) {
        throw new IllegalArgumentException("column '" + columns.get(i).name() + "' holds " + columns.get(i).type() + ", not "
            + values[i].getClass().getSimpleName() + " '" + values[i] + "'");
      }
    }
    rows.add(values.clone());
    return this;
  }

  public Table row(List<?> values) {
    return row(values.toArray());
  }

  public List<Column> columns() {
    return columns;
  }

  public List<String> names() {
    return columns.stream().map(Column::name).toList();
  }

  public int size() {
    return rows.size();
  }

  public boolean isEmpty() {
    return rows.isEmpty();
  }

  /** Row i's values, typed as added. */
  public List<Object> row(int i) {
    return Collections.unmodifiableList(Arrays.asList(rows.get(i)));
  }

  /**
   * The GitHub-flavoured Markdown table: a header row, the separator, one line per row; a null value
   * shows as "—". The one place in the report that writes a table's syntax.
   */
  public String markdown() {
    StringBuilder md = new StringBuilder("|");
    for (Column c : columns) md.append(' ').append(c.name()).append(" |");
    md.append("\n|").append("---|".repeat(columns.size())).append('\n');
    for (Object[] r : rows) {
      md.append('|');
      for (int i = 0; i < r.length; i++) md.append(' ').append(r[i] == null ? "—" : columns.get(i).markdown().apply(r[i])).append(" |");
      md.append('\n');
    }
    return md.toString();
  }
}
