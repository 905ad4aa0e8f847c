package dev.llamasweep.sweep;

import dev.llamasweep.spec.Bench;
import dev.llamasweep.execute.CellExecutor;
import dev.llamasweep.execute.CellPlan;
import dev.llamasweep.results.CellStatus;
import dev.llamasweep.execute.FixedCostPlanner;
import dev.llamasweep.results.RawStore;
import dev.llamasweep.host.PowerProfiles;
import dev.llamasweep.host.PowerSampler;
import dev.llamasweep.host.ProfileSession;
import dev.llamasweep.llamacpp.BenchRecord;
import dev.llamasweep.spec.Spec;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Runs a host's cells strictly one at a time, in plan order, in plain Java on the calling thread:
 * benchmarks that overlapped would measure each other, and no runner thread may be alive beside a
 * benchmark (the DirectRunner's monitor thread once cut tg from 234 to 81 t/s). Before a cell that
 * asks for a power profile, the profile is set and read back (one switch per change); the one active
 * before the sweep is restored at the end or on interrupt. With {@code drift:} in the spec, the
 * anchor cell is re-measured before the first cell, every N cells or minutes, and after the last.
 */
public final class Sweep {
  private final CellExecutor executor;
  private final Spec.Drift drift;
  private final CellPlan anchor;
  private final PrintStream log;
  private final int total;
  private int done;
  private int sinceAnchor;
  private long lastAnchorNanos;
  private int anchors;

  /**
   * @param anchor the drift anchor's plan, or null for no anchors
   * @param total the number of cells to run, for progress lines
   */
  public Sweep(Path dataDir, Spec.Drift drift, CellPlan anchor, int total, PrintStream log) {
    // NVIDIA energy through NVML's counter where nvidia-smi is (its reader is built once into the cache)
    this.executor = new CellExecutor(new RawStore(dataDir), PowerSampler.live(dev.llamasweep.llamacpp.Toolchain.defaultCache()));
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
        .min(Comparator.comparingInt(CellPlan::index)).orElse(null);
  }

  /** Runs every plan; returns when all are recorded (each cell's raw directory published). */
  public void run(List<CellPlan> toRun) {
    List<CellPlan> plans = new ArrayList<>(toRun);
    plans.sort(Comparator.comparingInt(CellPlan::index));
    try (ProfileSession session = new ProfileSession(new PowerProfiles())) {
      if (!plans.isEmpty()) measureAnchor(session, "before the first cell");
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
        if (arms.size() > 1 || Rounds.adaptive(first) != null) {
          runInterleaved(arms, session);
        } else {
          runOne(first, session);
          // a skeleton cell (the fixed cost per token) takes a second and is no cell of the spec: it does not count towards an anchor
          anchorIfDue(session, first.skipReason() == null && !FixedCostPlanner.isSkeleton(first) ? 1 : 0);
        }
        i = j;
      }
      if (!plans.isEmpty() && sinceAnchor > 0) measureAnchor(session, "after the last cell");
    }
  }

  private void anchorIfDue(ProfileSession session, int ran) {
    if (anchor == null) return;
    sinceAnchor += ran;
    boolean byCells = drift.everyCells() > 0 && sinceAnchor >= drift.everyCells();
    boolean byTime = drift.everyMinutes() > 0 && System.nanoTime() - lastAnchorNanos >= drift.everyMinutes() * 60e9;
    if (sinceAnchor > 0 && (byCells || byTime)) measureAnchor(session, byCells ? "after " + sinceAnchor + " cells" : "after " + drift.everyMinutes() + " minutes");
  }

  private void measureAnchor(ProfileSession session, String why) {
    if (anchor == null) return;
    String[] p = profile(anchor, session);
    anchors++;
    CellExecutor.Outcome o = executor.anchor(anchor, p[0], why);
    log.printf(Locale.ROOT, "  drift anchor #%d (cell %s, %s): %s%s%n", anchors, anchor.id(), why, o.status().word,
        o.reason() != null ? ": " + o.reason() : summary(o.records()));
    sinceAnchor = 0;
    lastAnchorNanos = System.nanoTime();
  }

  /** Applies a plan's power profile; returns the observed profile and, when it could not be set, why. */
  private static String[] profile(CellPlan plan, ProfileSession session) {
    String requested = plan.profile();
    if (plan.skipReason() == null && requested != null && plan.profilePolicy() == dev.llamasweep.spec.ProfilePolicy.APPLY) {
      PowerProfiles.State s = session.ensure(requested, plan.profileSettleSeconds());
      if (!s.ok() || !requested.equals(s.profile())) {
        return new String[] {s.label(), s.ok() ? "the power profile is " + s.profile() + ", not " + requested : s.problem()};
      }
      return new String[] {s.label(), null};
    }
    return new String[] {session.current().label(), null};
  }

  private void runOne(CellPlan plan, ProfileSession session) {
    done++;
    String[] p = profile(plan, session);
    String refusal = plan.skipReason() != null ? plan.skipReason() : p[1];
    CellStatus refusedAs = plan.skipReason() != null ? CellStatus.SKIPPED : CellStatus.FAILED;
    log.printf(Locale.ROOT, "[%d/%d] cell %s  %s ...%n", done, total, plan.id(), plan.label());
    CellExecutor.Outcome o = executor.run(plan, p[0], refusedAs, refusal);
    log.printf(Locale.ROOT, "[%d/%d] cell %s  %s in %.1f s%s%n", done, total, plan.id(),
        o.status().word, o.seconds(), o.reason() != null ? ": " + o.reason() : summary(o.records()));
  }

  /**
   * Round k runs every cell once with its k-th block of repetitions, starting one cell further each
   * round (A B C, B C A, C A B), so drift in the machine lands on every arm alike.
   */
  private void runInterleaved(List<CellPlan> group, ProfileSession session) {
    String[] p = profile(group.get(0), session);
    if (p[1] != null) {
      for (CellPlan plan : group) runOne(plan, session);
      return;
    }
    List<CellExecutor.Staged> staged = new ArrayList<>();
    for (CellPlan plan : group) staged.add(executor.begin(plan, p[0]));
    log.printf(Locale.ROOT, "[%d-%d/%d] %d cell(s) of %s in rounds%s%n", done + 1, done + group.size(), total,
        group.size(), group.get(0).orderGroup() == null ? "an adaptive cell" : group.get(0).orderGroup(),
        group.size() > 1 ? ", interleaved" : "");
    for (int k = 0; ; k++) {
      boolean any = false;
      for (int m = 0; m < staged.size(); m++) {
        CellExecutor.Staged s = staged.get((m + k) % staged.size());
        int block = Rounds.nextBlock(s, k);
        if (block <= 0 || s.failed()) continue;
        any = true;
        CellExecutor.Run r = executor.round(s, k, block);
        log.printf(Locale.ROOT, "  round %d cell %s  %s%s%n", k + 1, s.plan().id(), r.statusWord(),
            r.reasonText() != null ? ": " + r.reasonText() : summary(r.recordList()));
      }
      if (!any) break;
    }
    for (CellExecutor.Staged s : staged) {
      done++;
      CellExecutor.Outcome o = executor.finish(s);
      log.printf(Locale.ROOT, "[%d/%d] cell %s  %s in %.1f s%s%n", done, total, s.plan().id(),
          o.status().word, o.seconds(), o.reason() != null ? ": " + o.reason() : summary(o.records()));
    }
    // the anchor is never measured inside a group of rounds: that would break the rotation
    anchorIfDue(session, group.size());
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
