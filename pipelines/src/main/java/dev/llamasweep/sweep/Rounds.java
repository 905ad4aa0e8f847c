package dev.llamasweep.sweep;

import dev.llamasweep.execute.CellPlan;
import java.util.Locale;

/** How many repetitions each round of a cell runs: fixed blocks, or adaptive until the interval is narrow enough. */
final class Rounds {
  private Rounds() {}

  /**
   * The repetitions of a cell's k-th round, or 0 when it is done: fixed blocks for an ordinary cell;
   * for an adaptive one, min first, then min more per round until the widest 95% interval is under
   * the target or max is reached (the rule that stopped it is recorded).
   */
  static int nextBlock(Schedule.Arm s, int k) {
    dev.llamasweep.spec.Params.Adaptive a = s.plan().params().adaptive().orElse(null);
    if (a == null) {
      int[] blocks = blocks(s.plan());
      return k < blocks.length ? blocks[k] : 0;
    }
    long min = s.plan().params().repetitions();
    if (k == 0) return (int) min;
    int done = s.repetitions();
    double ci = s.widestRelativeCi();
    if (!Double.isNaN(ci) && ci <= a.targetFraction()) {
      s.stopped(String.format(Locale.ROOT, "the 95%% interval is ±%.2f%% of the mean, under the %.2f%% target, after %d repetitions", ci * 100, a.targetCiPct(), done));
      return 0;
    }
    if (done >= a.max()) {
      s.stopped(String.format(Locale.ROOT, "reached the maximum of %d repetitions with the 95%% interval at ±%.2f%% of the mean (target %.2f%%)", done, ci * 100, a.targetCiPct()));
      return 0;
    }
    return (int) Math.min(min, a.max() - done);
  }

  /** A cell's repetitions split over its rounds: 5 in 3 rounds is 2, 2, 1. */
  static int[] blocks(CellPlan plan) {
    long reps = plan.params().repetitions();
    int k = (int) Math.max(1, Math.min(plan.rounds(), reps));
    int[] out = new int[k];
    for (int i = 0; i < k; i++) out[i] = (int) (reps / k + (i < reps % k ? 1 : 0));
    return out;
  }
}
