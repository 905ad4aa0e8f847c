package dev.llamasweep.execute;

/**
 * How a cell ended. A cell that is not ok never contributes numbers, only its reason. CRASHED is a
 * benchmark killed by a signal (SIGSEGV, SIGILL): its reason names the signal and the last stderr lines.
 */
public enum CellStatus {
  OK("ok"), FAILED("failed"), CRASHED("crashed"), TIMEOUT("timeout"), SKIPPED("skipped");

  public final String word;

  CellStatus(String word) { this.word = word; }

  /** Failed, crashed or timed out: the benchmark ran and gave no result (a skipped cell did not run). */
  public boolean isFailure() {
    return this == FAILED || this == CRASHED || this == TIMEOUT;
  }

  public static CellStatus of(String word) {
    for (CellStatus s : values()) if (s.word.equals(word)) return s;
    throw new IllegalArgumentException("unknown cell status '" + word + "'");
  }
}
