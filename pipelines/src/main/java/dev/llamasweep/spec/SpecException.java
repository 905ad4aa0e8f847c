package dev.llamasweep.spec;

/**
 * A problem with a spec, phrased as one sentence that names the file, line, column and field, so a
 * user can jump straight to it (editors understand {@code file:line:column}).
 */
public final class SpecException extends RuntimeException {
  private final String file;
  private final int line;
  private final int column;
  private final String field;

  public SpecException(String file, int line, int column, String field, String problem) {
    super(format(file, line, column, field, problem));
    this.file = file;
    this.line = line;
    this.column = column;
    this.field = field;
  }

  private static String format(String file, int line, int column, String field, String problem) {
    String where = line > 0 ? file + ":" + line + ":" + column : file;
    String what = field == null || field.isEmpty() ? "" : " field '" + dev.llamasweep.io.Text.shown(field) + "':";
    return where + ":" + what + " " + problem;
  }

  public String file() { return file; }
  public int line() { return line; }
  public int column() { return column; }
  public String field() { return field; }
}
