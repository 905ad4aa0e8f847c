package dev.llamasweep.spec;

import java.util.Arrays;

/** What measures an experiment's cells: llama-bench itself, or llama-server's completions for a speculative pair and its baseline. */
public enum Bench {
  LLAMA_BENCH("llama-bench"), SPECULATIVE("speculative");

  /** The spec's word for it, also what cell.json and cells.csv record (and what cell ids hash, so ids never change). */
  public final String word;

  Bench(String word) {
    this.word = word;
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
