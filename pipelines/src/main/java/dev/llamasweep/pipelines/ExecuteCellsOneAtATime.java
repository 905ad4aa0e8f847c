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
      int n = 0;
      try (ProfileSession session = new ProfileSession(new PowerProfiles())) {
      for (CellPlan plan : plans) {
        n++;
        CellExecutor executor = new CellExecutor(new RawStore(Path.of(plan.rawDir()).getParent().getParent()),
            new dev.llamasweep.host.PowerSampler(Path.of("/")));
        String observed;
        String refusal = plan.skipReason();
        CellStatus refusedAs = CellStatus.SKIPPED;
        String requested = plan.profile();
        if (refusal == null && requested != null && "apply".equals(plan.profilePolicy())) {
          PowerProfiles.State s = session.ensure(requested, plan.profileSettleSeconds());
          observed = s.label();
          if (!s.ok() || !requested.equals(s.profile())) {
            refusal = s.ok() ? "the power profile is " + s.profile() + ", not " + requested : s.problem();
            refusedAs = CellStatus.FAILED;
          }
        } else {
          observed = session.current().label();
        }
        System.err.printf(Locale.ROOT, "[%d/%d] cell %s  %s ...%n", n, total, plan.id(), plan.label());
        CellExecutor.Outcome o = executor.run(plan, observed, refusedAs, refusal);
        System.err.printf(Locale.ROOT, "[%d/%d] cell %s  %s in %.1f s%s%n", n, total, plan.id(),
            o.status().word, o.seconds(), o.reason() != null ? ": " + o.reason() : summary(o.records()));
        out.output(plan);
      }
      }
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
