package dev.llamasweep.sweep;

import dev.llamasweep.execute.CellPlan;
import dev.llamasweep.execute.Clock;
import dev.llamasweep.execute.FixedCostPlanner;
import dev.llamasweep.spec.Spec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The order a sweep runs things in, and nothing else: which cells run alone and which in rounds
 * (an interleaved experiment's arms, an adaptive cell), the rotation of the arms from round to round
 * (A B C, B C A, C A B), each round's block of repetitions ({@link Rounds}), and when the drift anchor
 * is measured (before the first cell, every N cells or minutes by the injected clock, after the last;
 * never inside a group of rounds, which would break the rotation). What running means is the
 * {@link Runner}'s: the sweep's runs llama.cpp, a test's records the calls.
 */
final class Schedule {
  /** What the schedule asks of whoever runs the cells. */
  interface Runner {
    /** Measures the drift anchor once; {@code why} says when ("after 3 cells"). */
    void anchor(String why);

    /** Runs a cell on its own, start to finish. */
    void one(CellPlan plan);

    /** Prepares cells to run in rounds, or returns null when they cannot (then each runs on its own). */
    List<? extends Arm> begin(List<CellPlan> arms);

    /** Runs round {@code k} (from 0) of an arm with a block of {@code repetitions}. */
    void round(Arm arm, int k, int repetitions);

    /** Publishes an arm once its rounds are done. */
    void finish(Arm arm);
  }

  /** A cell being run in rounds, as far as the schedule needs to know it. */
  interface Arm {
    CellPlan plan();

    /** Repetitions run so far. */
    int repetitions();

    /** The widest 95% interval half-width of any test so far, relative to its mean (NaN before two samples). */
    double widestRelativeCi();

    /** Whether a round failed, so that no further round of this arm runs. */
    boolean failed();

    /** Records why an adaptive arm stopped adding rounds. */
    void stopped(String why);
  }

  private final Runner runner;
  private final Spec.Drift drift;
  private final boolean anchored;
  private final Clock clock;
  private int sinceAnchor;
  private long lastAnchorNanos;

  /** @param anchored whether there is an anchor cell to measure (a drift section that found one) */
  Schedule(Runner runner, Spec.Drift drift, boolean anchored, Clock clock) {
    this.runner = runner;
    this.drift = drift;
    this.anchored = drift != null && anchored;
    this.clock = clock;
  }

  /** Runs every plan in plan order; returns when all are run. */
  void run(List<CellPlan> toRun) {
    List<CellPlan> plans = new ArrayList<>(toRun);
    plans.sort(Comparator.comparingInt(CellPlan::index));
    if (!plans.isEmpty()) anchor("before the first cell");
    int i = 0;
    while (i < plans.size()) {
      // an interleaved experiment's cells (same group, same profile, runnable) run together in rounds
      int j = i + 1;
      CellPlan first = plans.get(i);
      if (first.orderGroup() != null && first.skipReason() == null) {
        while (j < plans.size() && first.orderGroup().equals(plans.get(j).orderGroup()) && plans.get(j).skipReason() == null
            && Objects.equals(first.profile(), plans.get(j).profile())) {
          j++;
        }
      }
      List<CellPlan> arms = plans.subList(i, j);
      if (arms.size() > 1 || first.params().adaptive().isPresent()) {
        inRounds(arms);
      } else {
        runner.one(first);
        // a skeleton cell (the fixed cost per token) takes a second and is no cell of the spec: it does not count towards an anchor
        anchorIfDue(first.skipReason() == null && !FixedCostPlanner.isSkeleton(first) ? 1 : 0);
      }
      i = j;
    }
    if (!plans.isEmpty() && sinceAnchor > 0) anchor("after the last cell");
  }

  private void inRounds(List<CellPlan> group) {
    List<? extends Arm> arms = runner.begin(group);
    if (arms == null) {
      for (CellPlan plan : group) runner.one(plan);
      return;
    }
    for (int k = 0; ; k++) {
      boolean any = false;
      for (int m = 0; m < arms.size(); m++) {
        Arm a = arms.get((m + k) % arms.size());
        int block = Rounds.nextBlock(a, k);
        if (block <= 0 || a.failed()) continue;
        any = true;
        runner.round(a, k, block);
      }
      if (!any) break;
    }
    for (Arm a : arms) runner.finish(a);
    anchorIfDue(group.size());
  }

  private void anchorIfDue(int ran) {
    if (!anchored) return;
    sinceAnchor += ran;
    boolean byCells = drift.everyCells() > 0 && sinceAnchor >= drift.everyCells();
    boolean byTime = drift.everyMinutes() > 0 && clock.nanoTime() - lastAnchorNanos >= drift.everyMinutes() * 60e9;
    if (sinceAnchor > 0 && (byCells || byTime)) anchor(byCells ? "after " + sinceAnchor + " cells" : "after " + drift.everyMinutes() + " minutes");
  }

  private void anchor(String why) {
    if (!anchored) return;
    runner.anchor(why);
    sinceAnchor = 0;
    lastAnchorNanos = clock.nanoTime();
  }
}
