package dev.llamasweep.spec;

import java.util.Arrays;
import java.util.Optional;

/** What a cell does when the machine is busy before it starts. */
public enum QuietPolicy {
  /** Run and flag the cell NOT_QUIET. */
  WARN("warn"),
  /** Wait up to a minute for the machine to go quiet, then run (flagged if it did not). */
  WAIT("wait"),
  /** Fail the cell rather than measure on a busy machine. */
  REFUSE("refuse");

  /** As the spec writes it. */
  public final String word;

  QuietPolicy(String word) {
    this.word = word;
  }

  public static Optional<QuietPolicy> byWord(String w) {
    return Arrays.stream(values()).filter(p -> p.word.equals(w)).findFirst();
  }
}
