package dev.llamasweep.results;

/**
 * How a cell ended. A cell that is not ok never contributes numbers, only its reason. CRASHED is a
 * benchmark killed by a signal (SIGSEGV, SIGILL): its reason names the signal and the last stderr lines.
 */
public enum CellStatus {
  OK("ok"), FAILED("failed"), CRASHED("crashed"), TIMEOUT("timeout"), SKIPPED("skipped"),
  /** What a reader makes of a cell whose raw files cannot be trusted; never written to result.json. */
  INVALID("invalid"),
  /** What a reader makes of a cell that has not run; never written to result.json. */
  MISSING("missing");

  public final String word;

  CellStatus(String word) { this.word = word; }

  /** Failed, crashed or timed out: the benchmark ran and gave no result (a skipped cell did not run). */
  public boolean isFailure() {
    return this == FAILED || this == CRASHED || this == TIMEOUT;
  }

  /** How a run ended (what result.json may say), as opposed to what a reader concluded (invalid, missing). */
  public boolean isRunOutcome() {
    return this != INVALID && this != MISSING;
  }

  public boolean isOk() {
    return this == OK;
  }

  public static CellStatus of(String word) {
    for (CellStatus s : values()) if (s.word.equals(word)) return s;
    throw new IllegalArgumentException("unknown cell status '" + word + "'");
  }
}
