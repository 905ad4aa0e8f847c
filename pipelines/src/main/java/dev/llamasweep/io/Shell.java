package dev.llamasweep.io;

/**
 * The one place text becomes shell: every word of a command line goes through {@link #quote} and
 * every text in a {@code #} comment through {@link #comment}, so no value (a model name, a path, a
 * spec's own file name) can end its word or its comment line and start a command of its own.
 */
public final class Shell {
  private Shell() {}

  /** POSIX single-quote quoting, only where needed, so paths with spaces or ';' stay one word. */
  public static String quote(String s) {
    if (!s.isEmpty() && s.matches("[A-Za-z0-9_./:=,+@%-]+")) return s;
    return "'" + s.replace("'", "'\\''") + "'";
  }

  /**
   * Text safe inside a comment line: a line break, carriage return or any other control or
   * line-separating character is written as a visible escape (\n, \r, \t, \\u2028), so the comment
   * cannot end early whatever the text holds.
   */
  public static String comment(String s) {
    if (s == null) return "";
    StringBuilder b = new StringBuilder(s.length());
    s.codePoints().forEach(cp -> {
      switch (cp) {
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (Text.isUnsafe(cp)) b.append(String.format(java.util.Locale.ROOT, "\\u%04x", cp));
          else b.appendCodePoint(cp);
        }
      }
    });
    return b.toString();
  }
}
