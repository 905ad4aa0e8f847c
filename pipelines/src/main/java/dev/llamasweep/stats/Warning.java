package dev.llamasweep.stats;

import java.util.Locale;

/**
 * What can make a measurement untrustworthy, each with what to do about it (hyperfine's warnings,
 * pyperf's checks). Warnings are data: written to summary.csv and listed in the report.
 */
public enum Warning {
  HIGH_CV("the standard deviation is %s of the mean", "re-run on a quiet machine, or raise repetitions"),
  OUTLIERS("%s of the samples are outliers (modified z-score > 3.5 on the MAD)", "look for other load during the cell; they are kept in every figure"),
  FEW_SAMPLES("only %s repetition(s), so the 95%% interval is wide or unknown", "raise repetitions to 5 or more"),
  SLOW_FIRST("the first repetition is %s slower than the median of the rest", "warm-up or a cold page cache: raise repetitions or discard the first run"),
  NOT_QUIET("measured while the machine was not quiet: %s", "re-run the cell on a quiet machine, or set quiet: wait or quiet: refuse"),
  DRIFT("ran while the machine drifted: %s", "re-run these cells (make cell) on a steadier machine, or compare them with order: interleaved"),
  THROTTLED("the clock fell %s below its peak while the cell ran (thermal or power throttling)", "let the machine cool (cooldown: {max_temp_c: …}) and re-run the cell");

  private final String what;
  public final String todo;

  Warning(String what, String todo) {
    this.what = what;
    this.todo = todo;
  }

  /** "the standard deviation is 12.0% of the mean", without what to do. */
  public String describe(String detail) {
    return String.format(Locale.ROOT, what, detail);
  }

  /** "the standard deviation is 12.0% of the mean: re-run on a quiet machine, or raise repetitions". */
  public String say(String detail) {
    return String.format(Locale.ROOT, what, detail) + ": " + todo;
  }
}
