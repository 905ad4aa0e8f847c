package dev.llamasweep.llamacpp;

/**
 * What a llama-bench test runs: prompt tokens, generated tokens and the depth (context already
 * filled) they start at. Its label is llama-bench's own ("pp512", "tg128", "pp512+tg128", with
 * " @ d4096" for a depth); readers take the shape from the record's numbers, and {@link #ofLabel} is
 * the one way back from a label, for files that keep only the label (aggregate.csv).
 */
public record TestShape(long nPrompt, long nGen, long nDepth) {

  /** What a test measures, as llama-bench names it: the only way code asks whether a test is a prompt or generation. */
  public enum Kind {
    /** Prompt processing: a batch of prompt tokens, no generation. */
    PP("pp"),
    /** Token generation: one token per step. */
    TG("tg"),
    /** Both in one test (llama-bench -pg). */
    PG("pg");

    /** llama-bench's word for it ("pp", "tg", "pg"), as chart ids and labels spell it. */
    public final String word;

    Kind(String word) {
      this.word = word;
    }
  }

  public Kind kind() {
    if (nPrompt > 0 && nGen == 0) return Kind.PP;
    if (nPrompt == 0 && nGen > 0) return Kind.TG;
    return Kind.PG;
  }

  /** The kind a label names ("tg128 @ d2048" is TG), for files that keep only the label. */
  public static Kind kindOf(String label) {
    return ofLabel(label).kind();
  }

  public String label() {
    String base = switch (kind()) {
      case PP -> "pp" + nPrompt;
      case TG -> "tg" + nGen;
      case PG -> "pp" + nPrompt + "+tg" + nGen;
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
