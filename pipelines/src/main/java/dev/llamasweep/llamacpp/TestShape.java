package dev.llamasweep.llamacpp;

/**
 * What a test runs: prompt tokens, generated tokens and the depth (context already filled) they
 * start at, and for a batch curve's point the sequences decoded together. Its label is llama-bench's
 * own ("pp512", "tg128", "pp512+tg128", with " @ d4096" for a depth), and a batch point adds
 * " @ b8" (eight sequences per step, tg steps each); readers take the shape from the record's
 * numbers, and {@link #ofLabel} is the one way back from a label, for files that keep only the label
 * (aggregate.csv).
 *
 * @param nParallel the sequences one step decodes in a batch point (llama-batched-bench -npl); 0 for a
 *     llama-bench or server test
 * @param nConcurrent the requests a server round sends at once, each of nPrompt prompt tokens and nGen
 *     generated ones (label " @ c4"); 0 for any other test
 */
public record TestShape(long nPrompt, long nGen, long nDepth, long nParallel, long nConcurrent) {

  /** A llama-bench or speculative test: not a batch point. */
  public TestShape(long nPrompt, long nGen, long nDepth) {
    this(nPrompt, nGen, nDepth, 0, 0);
  }

  /** Not a server round. */
  public TestShape(long nPrompt, long nGen, long nDepth, long nParallel) {
    this(nPrompt, nGen, nDepth, nParallel, 0);
  }

  /** What a test measures, as llama-bench names it: the only way code asks whether a test is a prompt or generation. */
  public enum Kind {
    /** Prompt processing: a batch of prompt tokens, no generation. */
    PP("pp"),
    /** Token generation: one token per step. */
    TG("tg"),
    /** Both in one test (llama-bench -pg). */
    PG("pg"),
    /** A batch curve's point: steps that each decode one token of each of B sequences. */
    BATCH("b"),
    /** A server round: N requests at once, each a prompt and its generated tokens. */
    SERVER("c");

    /** llama-bench's word for it ("pp", "tg", "pg"), as chart ids and labels spell it. */
    public final String word;

    Kind(String word) {
      this.word = word;
    }
  }

  public Kind kind() {
    if (nConcurrent > 0) return Kind.SERVER;
    if (nParallel > 0) return Kind.BATCH;
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
      case BATCH -> "tg" + nGen;
      case SERVER -> (nPrompt > 0 ? "pp" + nPrompt + "+" : "") + "tg" + nGen;
    };
    return (nDepth > 0 ? base + " @ d" + nDepth : base) + (nParallel > 0 ? " @ b" + nParallel : "") + (nConcurrent > 0 ? " @ c" + nConcurrent : "");
  }

  private static final java.util.regex.Pattern LABEL =
      java.util.regex.Pattern.compile("^(?:pp(\\d+))?\\+?(?:tg(\\d+))?(?: @ d(\\d+))?(?: @ b(\\d+))?(?: @ c(\\d+))?$");

  /** The shape a label names; a label that is not llama-bench's gives zeros for what it does not say. */
  public static TestShape ofLabel(String label) {
    java.util.regex.Matcher m = LABEL.matcher(label.trim());
    if (!m.matches()) return new TestShape(0, 0, 0);
    return new TestShape(m.group(1) == null ? 0 : Long.parseLong(m.group(1)), m.group(2) == null ? 0 : Long.parseLong(m.group(2)),
        m.group(3) == null ? 0 : Long.parseLong(m.group(3)), m.group(4) == null ? 0 : Long.parseLong(m.group(4)),
        m.group(5) == null ? 0 : Long.parseLong(m.group(5)));
  }
}
