package dev.llamasweep.pipelines;

import dev.llamasweep.execute.CellExecutor;
import dev.llamasweep.execute.CellPlan;
import dev.llamasweep.execute.CellStatus;
import dev.llamasweep.host.PowerProfiles;
import dev.llamasweep.host.ProfileSession;
import dev.llamasweep.execute.RawStore;
import dev.llamasweep.llamacpp.BenchRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * Runs cells strictly one at a time, in plan order, on any runner: every plan is keyed to the one
 * host key, grouped, and the single group is run by one DoFn call. Benchmarks that overlapped would
 * measure each other, so no parallelism is allowed here, whatever the runner would like. Before a
 * cell that asks for a power profile, the profile is set and read back (one switch per change);
 * the one active before the sweep is restored at the end or on interrupt.
 */
public final class ExecuteCellsOneAtATime extends PTransform<PCollection<CellPlan>, PCollection<CellPlan>> {
  private final int total;

  public ExecuteCellsOneAtATime(int total) {
    this.total = total;
  }

  @Override
  public PCollection<CellPlan> expand(PCollection<CellPlan> plans) {
    return plans
        .apply("KeyByHost", WithKeys.<String, CellPlan>of("host"))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), SerializableCoder.of(CellPlan.class)))
        .apply("OneGroupPerHost", GroupByKey.create())
        .apply("RunInOrder", ParDo.of(new RunInOrder(total)))
        .setCoder(SerializableCoder.of(CellPlan.class));
  }

  static final class RunInOrder extends DoFn<KV<String, Iterable<CellPlan>>, CellPlan> {
    private final int total;

    RunInOrder(int total) {
      this.total = total;
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<CellPlan>> group, OutputReceiver<CellPlan> out) {
      List<CellPlan> plans = new ArrayList<>();
      group.getValue().forEach(plans::add);
      plans.sort(Comparator.comparingInt(CellPlan::index));
      int[] n = {0};
      try (ProfileSession session = new ProfileSession(new PowerProfiles())) {
        int i = 0;
        while (i < plans.size()) {
          // an interleaved experiment's cells (same group, same profile, runnable) run together in rounds
          int j = i + 1;
          CellPlan first = plans.get(i);
          if (first.orderGroup() != null && first.skipReason() == null) {
            while (j < plans.size() && first.orderGroup().equals(plans.get(j).orderGroup()) && plans.get(j).skipReason() == null
                && java.util.Objects.equals(first.profile(), plans.get(j).profile())) {
              j++;
            }
          }
          List<CellPlan> arms = plans.subList(i, j);
          if (arms.size() > 1 || adaptive(first) != null) {
            runInterleaved(arms, session, n, out);
          } else {
            runOne(first, session, n, out);
          }
          i = j;
        }
      }
    }

    /** Applies a plan's power profile; returns the observed profile and, when it could not be set, why. */
    private static String[] profile(CellPlan plan, ProfileSession session) {
      String requested = plan.profile();
      if (plan.skipReason() == null && requested != null && "apply".equals(plan.profilePolicy())) {
        PowerProfiles.State s = session.ensure(requested, plan.profileSettleSeconds());
        if (!s.ok() || !requested.equals(s.profile())) {
          return new String[] {s.label(), s.ok() ? "the power profile is " + s.profile() + ", not " + requested : s.problem()};
        }
        return new String[] {s.label(), null};
      }
      return new String[] {session.current().label(), null};
    }

    private void runOne(CellPlan plan, ProfileSession session, int[] n, OutputReceiver<CellPlan> out) {
      n[0]++;
      CellExecutor executor = executor(plan);
      String[] p = profile(plan, session);
      String refusal = plan.skipReason() != null ? plan.skipReason() : p[1];
      CellStatus refusedAs = plan.skipReason() != null ? CellStatus.SKIPPED : CellStatus.FAILED;
      System.err.printf(Locale.ROOT, "[%d/%d] cell %s  %s ...%n", n[0], total, plan.id(), plan.label());
      CellExecutor.Outcome o = executor.run(plan, p[0], refusedAs, refusal);
      System.err.printf(Locale.ROOT, "[%d/%d] cell %s  %s in %.1f s%s%n", n[0], total, plan.id(),
          o.status().word, o.seconds(), o.reason() != null ? ": " + o.reason() : summary(o.records()));
      out.output(plan);
    }

    /**
     * Round k runs every cell once with its k-th block of repetitions, starting one cell further each
     * round (A B C, B C A, C A B), so drift in the machine lands on every arm alike.
     */
    private void runInterleaved(List<CellPlan> group, ProfileSession session, int[] n, OutputReceiver<CellPlan> out) {
      String[] p = profile(group.get(0), session);
      if (p[1] != null) {
        for (CellPlan plan : group) runOne(plan, session, n, out);
        return;
      }
      CellExecutor executor = executor(group.get(0));
      List<CellExecutor.Staged> staged = new ArrayList<>();
      for (CellPlan plan : group) staged.add(executor.begin(plan, p[0]));
      System.err.printf(Locale.ROOT, "[%d-%d/%d] %d cell(s) of %s in rounds%s%n", n[0] + 1, n[0] + group.size(), total,
          group.size(), group.get(0).orderGroup() == null ? "an adaptive cell" : group.get(0).orderGroup(),
          group.size() > 1 ? ", interleaved" : "");
      for (int k = 0; ; k++) {
        boolean any = false;
        for (int m = 0; m < staged.size(); m++) {
          CellExecutor.Staged s = staged.get((m + k) % staged.size());
          int block = nextBlock(s, k);
          if (block <= 0 || s.failed()) continue;
          any = true;
          CellExecutor.Run r = executor.round(s, k, block);
          System.err.printf(Locale.ROOT, "  round %d cell %s  %s%s%n", k + 1, s.plan().id(), r.statusWord(),
              r.reasonText() != null ? ": " + r.reasonText() : summary(r.recordList()));
        }
        if (!any) break;
      }
      for (CellExecutor.Staged s : staged) {
        n[0]++;
        CellExecutor.Outcome o = executor.finish(s);
        System.err.printf(Locale.ROOT, "[%d/%d] cell %s  %s in %.1f s%s%n", n[0], total, s.plan().id(),
            o.status().word, o.seconds(), o.reason() != null ? ": " + o.reason() : summary(o.records()));
        out.output(s.plan());
      }
    }

    /** {max, target} of an adaptive cell ("max=30;target_ci_pct=1"), or null. */
    static double[] adaptive(CellPlan plan) {
      Object a = plan.params().get("adaptive");
      if (a == null) return null;
      double max = 0;
      double target = 0;
      for (String kv : String.valueOf(a).split(";")) {
        String[] f = kv.split("=");
        if (f[0].equals("max")) max = Double.parseDouble(f[1]);
        if (f[0].equals("target_ci_pct")) target = Double.parseDouble(f[1]) / 100;
      }
      return new double[] {max, target};
    }

    /**
     * The repetitions of a cell's k-th round, or 0 when it is done: fixed blocks for an ordinary cell;
     * for an adaptive one, min first, then min more per round until the widest 95% interval is under
     * the target or max is reached (the rule that stopped it is recorded).
     */
    static int nextBlock(CellExecutor.Staged s, int k) {
      double[] a = adaptive(s.plan());
      if (a == null) {
        int[] blocks = blocks(s.plan());
        return k < blocks.length ? blocks[k] : 0;
      }
      long min = s.plan().params().get("repetitions") instanceof Number x ? x.longValue() : 3;
      if (k == 0) return (int) min;
      int done = s.repetitions();
      double ci = s.widestRelativeCi();
      if (!Double.isNaN(ci) && ci <= a[1]) {
        s.stopped(String.format(Locale.ROOT, "the 95%% interval is ±%.2f%% of the mean, under the %.2f%% target, after %d repetitions", ci * 100, a[1] * 100, done));
        return 0;
      }
      if (done >= a[0]) {
        s.stopped(String.format(Locale.ROOT, "reached the maximum of %d repetitions with the 95%% interval at ±%.2f%% of the mean (target %.2f%%)", done, ci * 100, a[1] * 100));
        return 0;
      }
      return (int) Math.min(min, (long) a[0] - done);
    }

    /** A cell's repetitions split over its rounds: 5 in 3 rounds is 2, 2, 1. */
    static int[] blocks(CellPlan plan) {
      long reps = plan.params().get("repetitions") instanceof Number x ? x.longValue() : 5;
      int k = (int) Math.max(1, Math.min(plan.rounds(), reps));
      int[] out = new int[k];
      for (int i = 0; i < k; i++) out[i] = (int) (reps / k + (i < reps % k ? 1 : 0));
      return out;
    }

    private static CellExecutor executor(CellPlan plan) {
      return new CellExecutor(new RawStore(Path.of(plan.rawDir()).getParent().getParent()), new dev.llamasweep.host.PowerSampler(Path.of("/")));
    }

    private static String summary(List<BenchRecord> records) {
      StringBuilder sb = new StringBuilder(" (");
      for (BenchRecord r : records) {
        double mean = r.samplesTs().stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        if (sb.length() > 2) sb.append(", ");
        sb.append(String.format(Locale.ROOT, "%s %.1f t/s", r.test(), mean));
      }
      return sb.append(")").toString();
    }
  }
}
