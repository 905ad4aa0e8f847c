package dev.llamasweep.sweep;

import dev.llamasweep.spec.Bench;
import dev.llamasweep.execute.CellExecutor;
import dev.llamasweep.execute.CellPlan;
import dev.llamasweep.results.CellStatus;
import dev.llamasweep.results.RawStore;
import dev.llamasweep.host.PowerProfiles;
import dev.llamasweep.host.PowerSampler;
import dev.llamasweep.host.ProfileSession;
import dev.llamasweep.llamacpp.BenchRecord;
import dev.llamasweep.spec.Spec;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs a host's cells strictly one at a time, in plan order, in plain Java on the calling thread:
 * benchmarks that overlapped would measure each other, and no runner thread may be alive beside a
 * benchmark (the DirectRunner's monitor thread once cut tg from 234 to 81 t/s). Before a cell that
 * asks for a power profile, the profile is set and read back (one switch per change); the one active
 * before the sweep is restored at the end or on interrupt. The order, the rounds and the drift anchor's
 * cadence are {@link Schedule}'s; this class runs what it asks for.
 */
public final class Sweep {
  private final CellExecutor executor;
  private final Spec.Drift drift;
  private final CellPlan anchor;
  private final PrintStream log;
  private final int total;
  private int done;
  private int anchors;

  /**
   * @param anchor the drift anchor's plan, or null for no anchors
   * @param total the number of cells to run, for progress lines
   */
  public Sweep(Path dataDir, Spec.Drift drift, CellPlan anchor, int total, PrintStream log) {
    // NVIDIA energy through NVML's counter where nvidia-smi is (its reader is built once into the cache)
    this.executor = new CellExecutor(new RawStore(dataDir), PowerSampler.live(dev.llamasweep.build.Toolchain.defaultCache()));
    this.drift = drift;
    this.anchor = drift == null ? null : anchor;
    this.total = total;
    this.log = log;
  }

  /** The plan a drift section names: the first llama-bench cell matching its prefix, or the first llama-bench cell. */
  public static CellPlan anchorOf(Spec.Drift drift, List<CellPlan> plans) {
    if (drift == null) return null;
    return plans.stream().filter(p -> p.bench() == Bench.LLAMA_BENCH && p.skipReason() == null)
        .filter(p -> drift.anchor() == null || p.id().startsWith(drift.anchor()))
        .min(java.util.Comparator.comparingInt(CellPlan::index)).orElse(null);
  }

  /** Runs every plan; returns when all are recorded (each cell's raw directory published). */
  public void run(List<CellPlan> toRun) {
    try (ProfileSession session = new ProfileSession(new PowerProfiles())) {
      new Schedule(new LlamaCppRunner(session), drift, anchor != null, dev.llamasweep.execute.Clock.SYSTEM).run(toRun);
    }
  }

  /** An arm of a group of rounds: the executor's staged cell. */
  private record StagedArm(CellExecutor.Staged staged) implements Schedule.Arm {
    public CellPlan plan() { return staged.plan(); }
    public int repetitions() { return staged.repetitions(); }
    public double widestRelativeCi() { return staged.widestRelativeCi(); }
    public boolean failed() { return staged.failed(); }
    public void stopped(String why) { staged.stopped(why); }
  }

  /** The schedule's steps done for real: profiles set, llama.cpp run, progress printed. */
  private final class LlamaCppRunner implements Schedule.Runner {
    private final ProfileSession session;

    LlamaCppRunner(ProfileSession session) {
      this.session = session;
    }

    @Override
    public void anchor(String why) {
      Profile p = profile(anchor, session);
      anchors++;
      CellExecutor.Outcome o = executor.anchor(anchor, p.label(), why);
      log.printf(Locale.ROOT, "  drift anchor #%d (cell %s, %s): %s%s%n", anchors, anchor.id(), why, o.status().word,
          o.reason() != null ? ": " + o.reason() : summary(o.records()));
    }

    @Override
    public void one(CellPlan plan) {
      runOne(plan, session);
    }

    @Override
    public List<StagedArm> begin(List<CellPlan> group) {
      Profile p = profile(group.get(0), session);
      if (p.problem() != null) return null;
      List<StagedArm> staged = new ArrayList<>();
      for (CellPlan plan : group) staged.add(new StagedArm(executor.begin(plan, p.label())));
      log.printf(Locale.ROOT, "[%d-%d/%d] %d cell(s) of %s in rounds%s%n", done + 1, done + group.size(), total,
          group.size(), group.get(0).orderGroup() == null ? "an adaptive cell" : group.get(0).orderGroup(),
          group.size() > 1 ? ", interleaved" : "");
      return staged;
    }

    @Override
    public void round(Schedule.Arm arm, int k, int repetitions) {
      CellExecutor.Run r = executor.round(((StagedArm) arm).staged(), k, repetitions);
      log.printf(Locale.ROOT, "  round %d cell %s  %s%s%n", k + 1, arm.plan().id(), r.statusWord(),
          r.reasonText() != null ? ": " + r.reasonText() : summary(r.recordList()));
    }

    @Override
    public void finish(Schedule.Arm arm) {
      done++;
      CellExecutor.Outcome o = executor.finish(((StagedArm) arm).staged());
      log.printf(Locale.ROOT, "[%d/%d] cell %s  %s in %.1f s%s%n", done, total, arm.plan().id(),
          o.status().word, o.seconds(), o.reason() != null ? ": " + o.reason() : summary(o.records()));
    }
  }

  /** The profile a cell ran under and, when it could not be set, why and whether the cell is skipped (where-available) rather than failed. */
  private record Profile(String label, String problem, boolean skip) {}

  /** Applies a plan's power profile. */
  private static Profile profile(CellPlan plan, ProfileSession session) {
    String requested = plan.profile();
    dev.llamasweep.spec.ProfilePolicy policy = plan.profilePolicy();
    if (plan.skipReason() == null && requested != null && policy != dev.llamasweep.spec.ProfilePolicy.RECORD) {
      PowerProfiles.State s = session.ensure(requested, plan.profileSettleSeconds());
      if (!s.ok()) {
        boolean skip = policy == dev.llamasweep.spec.ProfilePolicy.WHERE_AVAILABLE;
        return new Profile(s.label(), skip ? "no power profile " + requested + " here (profile_policy: where-available): " + s.problem() : s.problem(), skip);
      }
      if (!requested.equals(s.profile())) return new Profile(s.label(), "the power profile is " + s.profile() + ", not " + requested, false);
      return new Profile(s.label(), null, false);
    }
    return new Profile(session.current().label(), null, false);
  }

  private void runOne(CellPlan plan, ProfileSession session) {
    done++;
    Profile p = profile(plan, session);
    String refusal = plan.skipReason() != null ? plan.skipReason() : p.problem();
    CellStatus refusedAs = plan.skipReason() != null || p.skip() ? CellStatus.SKIPPED : CellStatus.FAILED;
    log.printf(Locale.ROOT, "[%d/%d] cell %s  %s ...%n", done, total, plan.id(), plan.label());
    CellExecutor.Outcome o = executor.run(plan, p.label(), refusedAs, refusal);
    log.printf(Locale.ROOT, "[%d/%d] cell %s  %s in %.1f s%s%n", done, total, plan.id(),
        o.status().word, o.seconds(), o.reason() != null ? ": " + o.reason() : summary(o.records()));
  }

  static String summary(List<BenchRecord> records) {
    StringBuilder sb = new StringBuilder(" (");
    for (BenchRecord r : records) {
      double mean = r.samplesTs().stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
      if (sb.length() > 2) sb.append(", ");
      sb.append(String.format(Locale.ROOT, "%s %.1f t/s", r.test(), mean));
    }
    return sb.append(")").toString();
  }
}
