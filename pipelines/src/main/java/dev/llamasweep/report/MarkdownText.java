package dev.llamasweep.report;

import java.util.Locale;

/** Text as the report writes it into Markdown: user text escaped, code spans made safe, numbers trimmed. */
final class MarkdownText {
  private MarkdownText() {}

  /**
   * User text (names, paths, reasons) as text: table pipes and newlines neutralised, and every
   * character that could start a Markdown link, autolink, image, strong emphasis or code span backslash-escaped,
   * so "[x](javascript:…)" or "<javascript:…>" in a model name is never a link.
   */
  static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length() + 8);
    for (char ch : s.toCharArray()) {
      switch (ch) {
        case '\n', '\r' -> b.append(' ');
        case '|', '[', ']', '<', '>', '\\', '`', '*' -> b.append('\\').append(ch);
        default -> b.append(ch);
      }
    }
    return b.toString();
  }

  /** User text inside a code span, where Markdown reads nothing: only pipes, backticks and newlines matter. */
  static String code(String s) {
    return s.replace("|", "\\|").replace("`", "'").replace("\n", " ").replace("\r", " ");
  }

  /** 89.6 rather than 89.600000. */
  static String trim(double v) {
    String s = String.format(Locale.ROOT, "%.3f", v);
    return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
  }

  static String trim2(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }
}
