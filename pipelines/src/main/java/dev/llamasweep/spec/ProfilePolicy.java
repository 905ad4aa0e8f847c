package dev.llamasweep.spec;

import java.util.Arrays;
import java.util.Optional;

/** What a cell that asks for a power profile does: set it (failing, or skipped where no daemon can), or run and record the profile in force. */
public enum ProfilePolicy {
  /** Set each cell's profile with powerprofilesctl and read it back; a profile that cannot be set fails its cells. */
  APPLY("apply"),
  /** Run every cell and label it with the profile observed, whatever was asked. */
  RECORD("record"),
  /**
   * Set each cell's profile where power-profiles-daemon can set it; where it cannot (no daemon, the profile
   * not offered), the cell is skipped with why, as a backend that cannot be built is: a spec meant to run anywhere.
   */
  WHERE_AVAILABLE("where-available");

  /** As the spec writes it. */
  public final String word;

  ProfilePolicy(String word) {
    this.word = word;
  }

  public static Optional<ProfilePolicy> byWord(String w) {
    return Arrays.stream(values()).filter(p -> p.word.equals(w)).findFirst();
  }
}
