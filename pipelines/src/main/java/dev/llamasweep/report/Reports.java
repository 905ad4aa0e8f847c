package dev.llamasweep.report;

import dev.llamasweep.results.CellRow;

import dev.llamasweep.results.CellStatus;
import dev.llamasweep.results.CellEntry;
import dev.llamasweep.io.AtomicFiles;
import dev.llamasweep.results.ResultFiles;
import dev.llamasweep.spec.Spec;
import dev.llamasweep.stats.Estimate;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import dev.llamasweep.spec.Axis;
import dev.llamasweep.table.Column;
import dev.llamasweep.table.Frames;
import dev.llamasweep.table.Table;

/** Writes reports/&lt;spec&gt;/report.md and summary.csv from data/&lt;spec&gt;/. */
public final class Reports {
  private Reports() {}

  public static Path write(Spec spec, List<CellEntry> plans, Path dataDir, Path reportDir) {
    ReportData data = ReportData.read(dataDir, spec.threshold());
    // one copy of the walls for the report, summary.csv and the charts
    Derived derived = Derived.of(plans, data, TokenBandwidth.walls(spec, data));
    List<Charts.Chart> charts = Charts.build(spec, plans, data, derived);
    Map<String, Charts.Chart> byId = new java.util.LinkedHashMap<>();
    for (Charts.Chart c : charts) {
      byId.put(c.id(), c);
      AtomicFiles.write(reportDir.resolve("charts").resolve(c.id() + ".svg"),
          w -> w.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + c.svg() + "\n"));
    }
    String md = MarkdownReport.render(spec, plans, data, charts, derived, dev.llamasweep.results.UnreadableFacts.of(dataDir));
    AtomicFiles.write(reportDir.resolve("report.md"), w -> w.write(md));
    AtomicFiles.write(reportDir.resolve("report.html"), w -> w.write(HtmlReport.render("llama-sweep report: " + spec.name(), md, byId)));
    Table summary = summary(plans, data, derived);
    AtomicFiles.write(reportDir.resolve("summary.csv"), w -> Frames.csv("summary", summary, w));
    return reportDir.resolve("report.md");
  }

  /** summary.csv's columns: one per figure, typed, each with its unit; the same values report.md prints. */
  static List<Column> summaryColumns() {
    List<Column> c = new ArrayList<>(List.of(Column.text("cell"), Column.text("experiments"), Column.text("status")));
    for (Axis a : Axis.values()) {
      c.add(switch (a.type) {
        case COUNT, POSITIVE -> Column.integer(a.key, "");
        default -> Column.text(a.key);  // names, true/false, a thread count or auto
      });
    }
    c.addAll(List.of(Column.text("test"), Column.integer("n", "repetitions"), num("mean_ts", "t/s"), num("sd_ts", "t/s"),
        num("ci95_low_ts", "t/s"), num("ci95_high_ts", "t/s"), num("min_ts", "t/s"), num("max_ts", "t/s"), num("median_ts", "t/s"),
        num("cv", "fraction"), Column.text("warnings"),
        // bytes and bandwidth of a tg test (TokenBandwidth.Row)
        Column.integer("model_size_bytes", "B"), Column.integer("bytes_per_token", "B"), Column.integer("kv_bytes_per_token", "B"),
        num("effective_gb_s", "GB/s"), num("file_gb_s", "GB/s"), num("theoretical_wall_gb_s", "GB/s"), num("utilisation_theoretical", "fraction"),
        num("measured_wall_gb_s", "GB/s"), num("utilisation_measured", "fraction"), Column.text("bandwidth_note"),
        // a tg token's time as fixed cost + moving its bytes (TokenTime), and what bounds it
        num("token_ms", "ms"), num("fixed_cost_ms", "ms"), num("moving_ms", "ms"), num("moving_gb_s", "GB/s"),
        // a pp test's work and the compute wall (PromptCompute.Row)
        num("flop_per_token", "FLOP"), num("achieved_tflop_s", "TFLOP/s"), num("compute_wall_tflop_s", "TFLOP/s"), num("utilisation_compute", "fraction"),
        // a batch point's step over B sequences and its two floors (BatchCurve)
        num("step_ms", "ms"), num("memory_floor_ms", "ms"), num("compute_floor_ms", "ms"),
        // tg: TokenTime.Bound; pp: PromptCompute.Bound; a batch point: BatchCurve.Bound (the code, then report.md's words)
        Column.text("bound"), Column.text("bound_words"),
        // a server round's request latencies (latency.csv's medians and p99s) and the batch curve's aggregate for B = N
        num("ttft_p50_ms", "ms"), num("ttft_p99_ms", "ms"), num("inter_token_p50_ms", "ms"), num("inter_token_p99_ms", "ms"),
        num("e2e_p50_ms", "ms"), num("e2e_p99_ms", "ms"), num("predicted_ts", "t/s"),
        // energy per generated token from the power record's windows (the cell's tg test)
        num("j_per_token", "J"), num("j_per_token_sd", "J"),
        // which llama.cpp build made the figures (llama-bench's own build_commit and build_number): a sweep can mix releases
        Column.text("llama_cpp_build"),
        // the cell's wall time and what the harness itself used meanwhile (cells.csv's duration_s and harness_cpu_s)
        num("cell_wall_s", "s"), num("harness_cpu_s", "s")));
    return c;
  }

  private static Column num(String name, String unit) {
    return Column.number(name, unit, v -> Estimate.num(v, 3));
  }

  /** summary.csv as a table: a row per cell and test, and a row for a cell without estimates (failed, missing). */
  static Table summary(List<CellEntry> plans, ReportData data, Derived derived) {
    Table t = Table.of(summaryColumns());
    Map<dev.llamasweep.stats.Summaries.Key, TokenBandwidth.Row> bandwidth = new java.util.HashMap<>();
    for (TokenBandwidth.Row r : derived.bandwidth(plans)) bandwidth.put(new dev.llamasweep.stats.Summaries.Key(r.cell().id(), r.test()), r);
    Map<dev.llamasweep.stats.Summaries.Key, PromptCompute.Row> prompts = new java.util.HashMap<>();
    for (PromptCompute.Row r : derived.prompts(plans)) prompts.put(new dev.llamasweep.stats.Summaries.Key(r.cell().id(), r.test()), r);
    Map<String, BatchSection.Curve> curveOf = new java.util.HashMap<>();
    for (BatchSection.Curve bc : derived.curves(plans)) for (CellEntry e : bc.cells()) curveOf.put(e.id(), bc);
    for (CellEntry c : plans) {
      CellRow row = data.cell(c);
      String status = (row == null ? CellStatus.MISSING : row.status()).word;
      Map<String, Estimate> tests = data.testsOf(c.id());
      if (tests.isEmpty()) {
        // a cell without estimates still has its status, parameters and wall time
        List<Object> r = prefix(c, status);
        while (r.size() < t.columns().size() - 2) r.add(null);
        r.addAll(wall(row));
        t.row(r);
      }
      for (Map.Entry<String, Estimate> e : tests.entrySet()) {
        Estimate est = e.getValue();
        var key = new dev.llamasweep.stats.Summaries.Key(c.id(), e.getKey());
        List<Object> r = prefix(c, status);
        double h = est.ci95();
        r.addAll(java.util.Arrays.asList(e.getKey(), (long) est.n(), est.mean(), real(est.sd()), real(est.mean() - h), real(est.mean() + h),
            real(est.min()), real(est.max()), est.median(), real(est.cv()),
            String.join(";", derived.warnings(c, e.getKey()).stream().map(x -> x.warning().name()).toList())));
        TokenBandwidth.Row b = bandwidth.get(key);
        if (b == null) {
          r.add(data.modelSize().get(c.id()));
          for (int i = 0; i < 9; i++) r.add(null);
        } else {
          TokenBandwidth.Judged ut = b.utilisation(b.theoretical());
          TokenBandwidth.Judged um = b.utilisation(b.measured());
          List<String> notes = new ArrayList<>();
          if (b.bytes() == null) notes.add(b.bytesUnknown());
          if (b.bytes() != null && b.theoretical() != null && ut.value() == null) notes.add(ut.refusal());
          if (b.bytes() != null && b.measured() != null && um.value() == null) notes.add(um.refusal());
          r.addAll(java.util.Arrays.asList(b.fileBytes(), b.bytes() == null ? null : Math.round(b.bytes().total()),
              b.bytes() == null ? null : Math.round(b.bytes().kvBytes()), real(b.effectiveGBs()), b.fileGBs(),
              b.theoretical() == null ? null : b.theoretical().gbs(), ut.value(), b.measured() == null ? null : b.measured().gbs(), um.value(),
              notes.isEmpty() ? null : String.join("; ", notes)));
        }
        dev.llamasweep.stats.TokenTime tt = b == null ? null : derived.time(b);
        r.addAll(tt == null ? java.util.Arrays.asList(null, null, null, null)
            : java.util.Arrays.asList(tt.tokenMs(), tt.fixedMs(), tt.movingMs(), real(tt.reachedGBs())));
        PromptCompute.Row pc = prompts.get(key);
        BatchSection.Curve curve = curveOf.get(c.id());
        dev.llamasweep.stats.BatchCurve.Point point = curve == null ? null : curve.curve().at(c.params().batch()).orElse(null);
        if (pc != null) {
          r.addAll(java.util.Arrays.asList(pc.flops().total(), pc.achievedTflops(), pc.wall() == null || !pc.wall().isKnown() ? null : pc.wall().tflops(),
              pc.utilisation()));
        } else if (point != null) {
          var terms = curve.curve().terms();
          double achieved = curve.curve().achievedTflops(point);
          r.addAll(java.util.Arrays.asList(terms.flopsPerToken(), real(achieved), terms.computeTflops(),
              terms.computeTflops() == null || Double.isNaN(achieved) || curve.curve().beatsComputeFloor(point) ? null : achieved / terms.computeTflops()));
        } else {
          r.addAll(java.util.Arrays.asList(null, null, null, null));
        }
        r.addAll(point == null ? java.util.Arrays.asList(null, null, null)
            : java.util.Arrays.asList(point.stepMs(), real(curve.curve().terms().memoryFloorMs(point.batch())),
                real(curve.curve().terms().computeFloorMs(point.batch()))));
        Enum<?> bound = tt != null ? derived.bound(b) : pc != null ? pc.bound() : point != null ? curve.curve().bound(point) : null;
        r.add(bound == null ? null : bound.name().toLowerCase(java.util.Locale.ROOT));
        r.add(bound instanceof dev.llamasweep.stats.TokenTime.Bound tb ? tb.words : bound instanceof PromptCompute.Bound pb ? pb.words
            : bound instanceof dev.llamasweep.stats.BatchCurve.Bound bb ? bb.words : null);
        r.addAll(serverFigures(c, data, derived));
        Derived.Energy energy = derived.energy(c);
        boolean energyHere = energy != null && energy.test().equals(e.getKey());
        r.add(energyHere ? energy.perToken().mean() : null);
        r.add(energyHere ? real(energy.perToken().sd()) : null);
        r.add(data.buildOfCell().get(c.id()));
        r.addAll(wall(row));
        t.row(r);
      }
    }
    return t;
  }

  /** A server cell's latency quantiles and predicted aggregate (seven values), nulls for any other cell. */
  private static List<Object> serverFigures(CellEntry c, ReportData data, Derived derived) {
    dev.llamasweep.stats.StreamTimings.Latency l = data.latency().get(c.id());
    if (l == null) return java.util.Arrays.asList(null, null, null, null, null, null, null);
    java.util.function.BiFunction<List<dev.llamasweep.stats.Quantiles>, Double, Double> q = (qs, at) -> {
      dev.llamasweep.stats.Quantiles x = dev.llamasweep.stats.StreamTimings.Latency.at(qs, at);
      return x == null || x.n() == 0 ? null : x.value();
    };
    BatchSection.Curve curve = BatchSection.curveOf(derived.curves(), c.params().model(), c.params().backend(), data);
    Double ttft = q.apply(l.ttftMs(), 0.5);
    Double predicted = curve == null || ttft == null ? null
        : dev.llamasweep.stats.ServerPrediction.of(c.params().concurrency(), c.params().generate(), curve.curve(), ttft).map(p -> p.tokensPerS()).orElse(null);
    return java.util.Arrays.asList(ttft, q.apply(l.ttftMs(), 0.99), q.apply(l.interTokenMs(), 0.5), q.apply(l.interTokenMs(), 0.99),
        q.apply(l.e2eMs(), 0.5), q.apply(l.e2eMs(), 0.99), predicted);
  }

  /** A figure that exists, or null: NaN (an sd of one sample, a rate with nothing to attribute) is no value. */
  private static Double real(double v) {
    return Double.isNaN(v) || Double.isInfinite(v) ? null : v;
  }

  /** cell_wall_s and harness_cpu_s of a cell that ran; empty for one that did not. */
  private static List<Object> wall(CellRow row) {
    boolean ran = row != null && row.seconds() > 0;
    return java.util.Arrays.asList(ran ? row.seconds() : null, ran ? row.harnessCpuS() : null);
  }

  private static List<Object> prefix(CellEntry c, String status) {
    List<Object> r = new ArrayList<>(List.of(c.id(), String.join(";", c.experiments()), status));
    for (Axis axis : Axis.values()) {
      Object v = c.params().get(axis);
      r.add(v == null || v instanceof Long && (axis.type == Axis.Type.COUNT || axis.type == Axis.Type.POSITIVE) ? v : String.valueOf(v));
    }
    return r;
  }
}
