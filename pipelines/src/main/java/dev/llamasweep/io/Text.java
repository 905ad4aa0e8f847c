package dev.llamasweep.io;

/**
 * What counts as one line of printable text: names, paths and values that reach a command, a
 * comment, a CSV cell or a report. Control characters (C0, DEL, C1), Unicode's line and paragraph
 * separators and the bidirectional overrides (which make text read differently from what it is)
 * are unsafe everywhere; a spec refuses them, and printers escape what older data still holds.
 */
public final class Text {
  private Text() {}

  public static boolean isUnsafe(int cp) {
    return Character.isISOControl(cp) || cp == 0x2028 || cp == 0x2029
        || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
  }

  /** The first unsafe character's index, or -1. */
  public static int firstUnsafe(String s) {
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      if (isUnsafe(cp)) return i;
      i += Character.charCount(cp);
    }
    return -1;
  }

  /** The character in words for an error: "a line break (U+000A)", "the character U+202E". */
  public static String name(int cp) {
    String code = String.format(java.util.Locale.ROOT, "U+%04X", cp);
    return switch (cp) {
      case '\n' -> "a line break (" + code + ")";
      case '\r' -> "a carriage return (" + code + ")";
      case '\t' -> "a tab (" + code + ")";
      case 0x1b -> "an escape character (" + code + ")";
      default -> "the control character " + code;
    };
  }

  /** Text as it may be shown in one line of an error: unsafe characters written as escapes. */
  public static String shown(String s) {
    return Shell.comment(s);
  }
}
