package dev.llamasweep.results;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * One table of fields drives a CSV file's header and every row, as llama-bench's
 * {@code test::get_fields()} drives each of its printers: a column is added in one place.
 */
public final class FieldTable<T> {
  /** A column: its name in the header and how a row's value is taken from the thing it describes. */
  public record Field<T>(String name, Function<T, Object> value) {}

  private final List<Field<T>> fields;

  private FieldTable(List<Field<T>> fields) {
    this.fields = List.copyOf(fields);
  }

  public static <T> Builder<T> builder() {
    return new Builder<>();
  }

  public static final class Builder<T> {
    private final List<Field<T>> fields = new ArrayList<>();

    public Builder<T> add(String name, Function<T, Object> value) {
      fields.add(new Field<>(name, value));
      return this;
    }

    public FieldTable<T> build() {
      return new FieldTable<>(fields);
    }
  }

  public String[] header() {
    return fields.stream().map(Field::name).toArray(String[]::new);
  }

  /** The row's values in header order; null becomes the empty field. */
  public List<Object> row(T t) {
    List<Object> out = new ArrayList<>(fields.size());
    for (Field<T> f : fields) {
      Object v = f.value().apply(t);
      out.add(v == null ? "" : v);
    }
    return out;
  }
}
