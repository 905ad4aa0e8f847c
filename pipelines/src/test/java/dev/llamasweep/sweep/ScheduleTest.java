package dev.llamasweep.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llamasweep.execute.CellPlan;
import dev.llamasweep.execute.Clock;
import dev.llamasweep.spec.Bench;
import dev.llamasweep.spec.Spec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The sweep's schedule on a fake runner and a fake clock: what runs when, with no process and no wall clock. */
class ScheduleTest {
  /** A clock that moves only when a fake cell runs. */
  static final class FakeClock implements Clock {
    long now;

    public long nanoTime() { return now; }

    public void sleep(long millis) { now += millis * 1_000_000L; }
  }

  /** Records every call; each cell or round takes {@code secondsPerRun} on the fake clock. */
  static final class Recorder implements Schedule.Runner {
    final List<String> calls = new ArrayList<>();
    final FakeClock clock;
    final double secondsPerRun;
    /** widest relative CI an arm reports after n repetitions. */
    final java.util.function.IntToDoubleFunction ci;

    Recorder(FakeClock clock, double secondsPerRun, java.util.function.IntToDoubleFunction ci) {
      this.clock = clock;
      this.secondsPerRun = secondsPerRun;
      this.ci = ci;
    }

    final class FakeArm implements Schedule.Arm {
      final CellPlan plan;
      int reps;
      String stopped;

      FakeArm(CellPlan plan) { this.plan = plan; }

      public CellPlan plan() { return plan; }
      public int repetitions() { return reps; }
      public double widestRelativeCi() { return reps < 2 ? Double.NaN : ci.applyAsDouble(reps); }
      public boolean failed() { return false; }
      public void stopped(String why) { stopped = why; }
    }

    public void anchor(String why) { calls.add("anchor " + why); }

    public void one(CellPlan plan) {
      calls.add(plan.id());
      clock.sleep(Math.round(secondsPerRun * 1000));
    }

    public List<FakeArm> begin(List<CellPlan> arms) {
      return arms.stream().map(FakeArm::new).toList();
    }

    public void round(Schedule.Arm arm, int k, int repetitions) {
      ((FakeArm) arm).reps += repetitions;
      calls.add("r" + (k + 1) + " " + arm.plan().id() + "×" + repetitions);
      clock.sleep(Math.round(secondsPerRun * 1000));
    }

    public void finish(Schedule.Arm arm) {
      FakeArm a = (FakeArm) arm;
      calls.add("finish " + a.plan.id() + (a.stopped == null ? "" : ": " + a.stopped));
    }
  }

  static CellPlan plan(int index, String id, Map<String, Object> extra, String group, int rounds) {
    Map<String, Object> params = new TreeMap<>(Map.of("model", "m", "repetitions", 5L));
    params.putAll(extra);
    return new CellPlan(index, "s", new dev.llamasweep.spec.Cell(id, Bench.LLAMA_BENCH, dev.llamasweep.spec.Params.read(params, "test"), List.of("x")),
        CellPlan.Command.bench(List.of("llama-bench"), Map.of(), 60, "/tmp/" + id, Map.of()), id,
        new CellPlan.Policies(dev.llamasweep.spec.ProfilePolicy.RECORD, 0, dev.llamasweep.spec.QuietPolicy.WARN, null), null,
        new CellPlan.Interleaving(group, rounds));
  }

  static CellPlan single(int index, String id) {
    return plan(index, id, Map.of(), null, 1);
  }

  @Test
  void interleavedArmsRotateAndShareTheRepetitions() {
    Recorder r = new Recorder(new FakeClock(), 1, n -> 1);
    List<CellPlan> plans = List.of(plan(0, "a", Map.of(), "g", 3), plan(1, "b", Map.of(), "g", 3), plan(2, "c", Map.of(), "g", 3));
    new Schedule(r, null, false, r.clock).run(plans);
    // 5 repetitions in 3 rounds: 2, 2, 1; each round starts one arm further
    assertEquals(List.of("r1 a×2", "r1 b×2", "r1 c×2", "r2 b×2", "r2 c×2", "r2 a×2", "r3 c×1", "r3 a×1", "r3 b×1",
        "finish a", "finish b", "finish c"), r.calls);
  }

  @Test
  void anAdaptiveCellAddsBlocksUntilItsIntervalIsNarrowEnough() {
    // the interval narrows as repetitions grow: ±2% at 3, ±1.2% at 6, ±0.8% at 9
    Recorder r = new Recorder(new FakeClock(), 1, n -> n < 6 ? 0.02 : n < 9 ? 0.012 : 0.008);
    new Schedule(r, null, false, r.clock).run(List.of(plan(0, "a", Map.of("repetitions", 3L, "adaptive", "max=30;target_ci_pct=1"), null, 1)));
    assertEquals(List.of("r1 a×3", "r2 a×3", "r3 a×3",
        "finish a: the 95% interval is ±0.80% of the mean, under the 1.00% target, after 9 repetitions"), r.calls);
  }

  @Test
  void anAdaptiveCellStopsAtItsMaximum() {
    Recorder r = new Recorder(new FakeClock(), 1, n -> 0.05);
    new Schedule(r, null, false, r.clock).run(List.of(plan(0, "a", Map.of("repetitions", 3L, "adaptive", "max=7;target_ci_pct=1"), null, 1)));
    assertEquals(List.of("r1 a×3", "r2 a×3", "r3 a×1",
        "finish a: reached the maximum of 7 repetitions with the 95% interval at ±5.00% of the mean (target 1.00%)"), r.calls);
  }

  @Test
  void theAnchorRunsBeforeEveryNCellsAndAfterTheLast() {
    Recorder r = new Recorder(new FakeClock(), 1, n -> 1);
    Spec.Drift everyTwo = new Spec.Drift(null, 2, 0, null);
    List<CellPlan> plans = new ArrayList<>();
    for (int i = 0; i < 5; i++) plans.add(single(i, "c" + i));
    new Schedule(r, everyTwo, true, r.clock).run(plans);
    assertEquals(List.of("anchor before the first cell", "c0", "c1", "anchor after 2 cells", "c2", "c3", "anchor after 2 cells", "c4",
        "anchor after the last cell"), r.calls);
  }

  @Test
  void theAnchorByTimeFollowsTheClockAndNeverSplitsAGroupOfRounds() {
    // each run takes 40 s: the anchor is due every minute, so after the second cell, and only after a group's last round
    Recorder r = new Recorder(new FakeClock(), 40, n -> 1);
    Spec.Drift everyMinute = new Spec.Drift(null, 0, 1, null);
    List<CellPlan> plans = List.of(single(0, "s0"), single(1, "s1"), plan(2, "a", Map.of("repetitions", 2L), "g", 2),
        plan(3, "b", Map.of("repetitions", 2L), "g", 2), single(4, "s4"));
    new Schedule(r, everyMinute, true, r.clock).run(plans);
    assertEquals(List.of("anchor before the first cell", "s0", "s1", "anchor after 1.0 minutes", "r1 a×1", "r1 b×1", "r2 b×1", "r2 a×1",
        "finish a", "finish b", "anchor after 1.0 minutes", "s4", "anchor after the last cell"), r.calls);
  }

  @Test
  void noAnchorWithoutADriftSectionAndSkeletonCellsDoNotCount() {
    Recorder r = new Recorder(new FakeClock(), 1, n -> 1);
    new Schedule(r, null, true, r.clock).run(List.of(single(0, "c0"), single(1, "c1")));
    assertEquals(List.of("c0", "c1"), r.calls);

    Recorder s = new Recorder(new FakeClock(), 1, n -> 1);
    Map<String, Object> skeleton = new LinkedHashMap<>(Map.of(dev.llamasweep.spec.Params.Skeleton.OF, "m", dev.llamasweep.spec.Params.Skeleton.LAYERS, 4L));
    new Schedule(s, new Spec.Drift(null, 1, 0, null), true, s.clock).run(List.of(plan(0, "sk", skeleton, null, 1), single(1, "c1")));
    assertEquals(List.of("anchor before the first cell", "sk", "c1", "anchor after 1 cells"), s.calls,
        "a skeleton cell does not count towards the anchor; the last anchor already followed the last cell");
  }
}
