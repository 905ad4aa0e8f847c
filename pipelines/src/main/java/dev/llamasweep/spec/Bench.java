package dev.llamasweep.spec;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/** What a cell runs: llama-bench, a speculative llama-server generation, llama-batched-bench's batch curve, or a llama-server under concurrent requests. */
public enum Bench {
  LLAMA_BENCH("llama-bench", "llama-bench has no draft model and decodes one sequence",
      EnumSet.of(Axis.DRAFT_MAX, Axis.DRAFT, Axis.PROMPT_FILE, Axis.BATCH, Axis.CONCURRENCY)),
  SPECULATIVE("speculative", "a speculative experiment takes its prompt from prompt_file and decodes one sequence",
      EnumSet.of(Axis.PROMPT, Axis.DEPTH, Axis.MMAP, Axis.BATCH, Axis.CONCURRENCY, Axis.SPLIT_MODE, Axis.TENSOR_SPLIT, Axis.MAIN_GPU)),
  /**
   * One decode step over B sequences at once (llama-batched-bench): B tokens share one read of the
   * weights. Its depth is each sequence's context before the steps (-npp); it has no prompt test,
   * no mmap switch and no draft.
   */
  BATCH("batch", "a batch experiment times decode steps of B sequences with llama-batched-bench (its context per sequence is depth)",
      EnumSet.of(Axis.PROMPT, Axis.MMAP, Axis.DRAFT_MAX, Axis.DRAFT, Axis.PROMPT_FILE, Axis.CONCURRENCY, Axis.SPLIT_MODE, Axis.TENSOR_SPLIT, Axis.MAIN_GPU)),
  /**
   * One llama-server with {@code -np N} slots answering N streamed /completion requests of the prompt file at
   * once, round after round: aggregate tokens/s and each request's latencies (time to first token,
   * inter-token, end to end).
   */
  SERVER("server", "a server experiment sends `concurrency` streamed requests of its prompt_file at once to one llama-server",
      EnumSet.of(Axis.PROMPT, Axis.DEPTH, Axis.MMAP, Axis.DRAFT_MAX, Axis.DRAFT, Axis.BATCH, Axis.SPLIT_MODE, Axis.TENSOR_SPLIT, Axis.MAIN_GPU));

  /** The spec's word for it, also what cell.json and cells.csv record (and what cell ids hash, so ids never change). */
  public final String word;
  /** Why an axis it does not take makes no sense for it: the second half of a spec error's sentence. */
  public final String why;
  private final Set<Axis> refused;

  Bench(String word, String why, Set<Axis> refused) {
    this.word = word;
    this.why = why;
    this.refused = refused;
  }

  /** The llama.cpp program a cell of this bench runs. */
  public String program() {
    return switch (this) {
      case LLAMA_BENCH -> "llama-bench";
      case SPECULATIVE, SERVER -> "llama-server";
      case BATCH -> "llama-batched-bench";
    };
  }

  /** Whether a cell of this bench has a use for the axis (a spec naming one it has none for is refused, a default for it is ignored). */
  public boolean takes(Axis a) {
    return !refused.contains(a);
  }

  /** The bench a spec, cell.json or cells.csv names; IllegalArgumentException for a word that is none. */
  public static Bench of(String word) {
    for (Bench b : values()) if (b.word.equals(word)) return b;
    throw new IllegalArgumentException("unknown bench '" + word + "'");
  }

  public static String words() {
    return String.join(", ", Arrays.stream(values()).map(b -> b.word).toList());
  }

  @Override
  public String toString() {
    return word;
  }
}
