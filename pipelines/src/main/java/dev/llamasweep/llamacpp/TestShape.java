package dev.llamasweep.llamacpp;

/**
 * What a llama-bench test runs: prompt tokens, generated tokens and the depth (context already
 * filled) they start at. Its label is llama-bench's own ("pp512", "tg128", "pp512+tg128", with
 * " @ d4096" for a depth); readers take the shape from the record's numbers, and {@link #ofLabel} is
 * the one way back from a label, for files that keep only the label (aggregate.csv).
 */
public record TestShape(long nPrompt, long nGen, long nDepth) {

  /** pp (prompt processing), tg (token generation) or pg (both in one test), as llama-bench names them. */
  public String kind() {
    if (nPrompt > 0 && nGen == 0) return "pp";
    if (nPrompt == 0 && nGen > 0) return "tg";
    return "pg";
  }

  public String label() {
    String base = switch (kind()) {
      case "pp" -> "pp" + nPrompt;
      case "tg" -> "tg" + nGen;
      default -> "pp" + nPrompt + "+tg" + nGen;
    };
    return nDepth > 0 ? base + " @ d" + nDepth : base;
  }

  /** The shape a label names; a label that is not llama-bench's gives zeros for what it does not say. */
  public static TestShape ofLabel(String label) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("^(?:pp(\\d+))?\\+?(?:tg(\\d+))?(?: @ d(\\d+))?$").matcher(label.trim());
    if (!m.matches()) return new TestShape(0, 0, 0);
    return new TestShape(m.group(1) == null ? 0 : Long.parseLong(m.group(1)), m.group(2) == null ? 0 : Long.parseLong(m.group(2)),
        m.group(3) == null ? 0 : Long.parseLong(m.group(3)));
  }
}
