package dev.llamasweep.execute;

/** How a cell ended. A cell that is not ok never contributes numbers, only its reason. */
public enum CellStatus {
  OK("ok"), FAILED("failed"), TIMEOUT("timeout"), SKIPPED("skipped");

  public final String word;

  CellStatus(String word) { this.word = word; }

  public static CellStatus of(String word) {
    for (CellStatus s : values()) if (s.word.equals(word)) return s;
    throw new IllegalArgumentException("unknown cell status '" + word + "'");
  }
}
