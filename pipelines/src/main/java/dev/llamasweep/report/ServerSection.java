package dev.llamasweep.report;

import dev.llamasweep.results.CellEntry;
import dev.llamasweep.results.CellRow;
import dev.llamasweep.spec.Axis;
import dev.llamasweep.spec.Bench;
import dev.llamasweep.stats.BatchCurve;
import dev.llamasweep.stats.Estimate;
import dev.llamasweep.stats.Quantiles;
import dev.llamasweep.stats.ServerPrediction;
import dev.llamasweep.stats.StreamTimings;
import dev.llamasweep.table.Table;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Server experiments: per model and backend, one row per concurrency level — the rounds' aggregate output
 * tokens per second, each request's time to first token, inter-token and end-to-end latency at the median,
 * p90 and p99 (latency.csv), and beside them what the batch curve of the same model on the same backend
 * predicts for B = N ({@link ServerPrediction}).
 */
final class ServerSection {
  private ServerSection() {}

  /** The cells of one model/backend/… that differ only in concurrency, N ascending. */
  record Load(String model, String backend, long generate, List<CellEntry> cells) {
    String title() {
      return "`" + MarkdownText.code(model) + "` on " + MarkdownText.escape(backend);
    }
  }

  static List<Load> loads(List<CellEntry> cells) {
    Map<String, List<CellEntry>> groups = new LinkedHashMap<>();
    for (CellEntry c : cells) {
      if (c.bench() != Bench.SERVER) continue;
      StringBuilder key = new StringBuilder();
      for (Axis a : Axis.values()) if (a != Axis.CONCURRENCY) key.append(a.key).append('=').append(c.params().get(a)).append(';');
      groups.computeIfAbsent(key.toString(), k -> new ArrayList<>()).add(c);
    }
    List<Load> out = new ArrayList<>();
    for (List<CellEntry> g : groups.values()) {
      List<CellEntry> sorted = g.stream().sorted(Comparator.comparingLong(c -> c.params().concurrency())).toList();
      CellEntry first = sorted.get(0);
      out.add(new Load(first.params().model(), first.params().backend(), first.params().generate(), sorted));
    }
    return out;
  }

  /** A level's measured figures: its aggregate estimate and latencies, or empty when it has no result. */
  private record Level(CellEntry cell, Estimate aggregate, StreamTimings.Latency latency) {}

  private static Optional<Level> level(CellEntry c, ReportData data) {
    CellRow row = data.cell(c);
    if (row == null || !row.status().isOk()) return Optional.empty();
    Estimate e = data.testsOf(c.id()).values().stream().findFirst().orElse(null);
    StreamTimings.Latency l = data.latency().get(c.id());
    return e == null || l == null ? Optional.empty() : Optional.of(new Level(c, e, l));
  }

  static void render(StringBuilder md, List<CellEntry> cells, ReportData data, List<BatchSection.Curve> curves) {
    for (Load load : loads(cells)) renderLoad(md, load, data, curves);
  }

  /**
   * After every server experiment: where loads of different vocabularies were served, each one's excess over
   * its curve per request in flight and vocabulary entry — alike, the excess grows with N × the vocabulary.
   */
  static void vocabularyNote(StringBuilder md, List<CellEntry> plans, ReportData data, List<BatchSection.Curve> curves) {
    List<String> perEntry = new ArrayList<>();
    java.util.Set<Long> vocabularies = new java.util.TreeSet<>();
    for (Load load : loads(plans)) {
      Excess e = excessOf(load, data, curves);
      if (e == null) continue;
      perEntry.add(String.format(Locale.ROOT, "%s %s ns (%,d entries; N = %s)", load.title(), num(e.nsPerEntryMedian()), e.vocabulary(), e.levels()));
      vocabularies.add(e.vocabulary());
    }
    if (perEntry.size() < 2 || vocabularies.size() < 2) return;
    md.append("### Servers beside their curves, per request in flight and vocabulary entry\n\n")
        .append("The median over levels of (inter-token p50 − the curve's step at B = N) / N / the model's vocabulary: ")
        .append(String.join("; ", perEntry)).append(". Where these are alike across vocabularies of different sizes, the server's excess ")
        .append("over batched-bench grows with N × the vocabulary, as per-slot work over every logit does (llama-server samples each slot's ")
        .append("token on the CPU from its full row of logits); where they differ, the excess does not follow the vocabulary alone.\n\n");
  }

  /** A load's excess over its curve per request in flight and vocabulary entry (median over its levels), or null. */
  private static Excess excessOf(Load load, ReportData data, List<BatchSection.Curve> curves) {
    BatchSection.Curve curve = BatchSection.curveOf(curves, load.model(), load.backend(), data);
    if (curve == null || curve.vocabulary() <= 0) return null;
    List<Double> ns = new ArrayList<>();
    List<String> levels = new ArrayList<>();
    for (CellEntry c : load.cells()) {
      Optional<Level> lv = level(c, data);
      if (lv.isEmpty()) continue;
      Quantiles ttft = StreamTimings.Latency.at(lv.get().latency().ttftMs(), 0.5);
      Quantiles itl = StreamTimings.Latency.at(lv.get().latency().interTokenMs(), 0.5);
      if (ttft == null || itl == null || itl.n() == 0) continue;
      Optional<ServerPrediction> p = ServerPrediction.of(c.params().concurrency(), c.params().generate(), curve.curve(), ttft.value());
      if (p.isEmpty() || itl.value() <= p.get().stepMs()) continue;
      ns.add((itl.value() - p.get().stepMs()) / c.params().concurrency() / curve.vocabulary() * 1e6);
      levels.add(String.valueOf(c.params().concurrency()));
    }
    if (ns.isEmpty()) return null;
    double[] sorted = ns.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    double median = sorted.length % 2 == 1 ? sorted[sorted.length / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    return new Excess(curve.vocabulary(), median, String.join(", ", levels));
  }

  /** A load's server cost beyond the curve: per request in flight and vocabulary entry, the median over its levels. */
  private record Excess(long vocabulary, double nsPerEntryMedian, String levels) {}

  private static String num(double v) {
    return v >= 10 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
  }

  private static void renderLoad(StringBuilder md, Load load, ReportData data, List<BatchSection.Curve> curves) {
    md.append("### Server: ").append(load.title()).append("\n\n");
    md.append(String.format(Locale.ROOT, "One `llama-server` per level with `-np N` slots; after a warm-up round (kept in the raw output, set aside) each "
        + "repetition is a round of N streamed `/completion` requests sent at once, %d tokens each (greedy, EOS ignored, no prompt cache). A round's "
        + "sample is its aggregate output: all its tokens from its first send to its last event. Latencies are over every request of every round, "
        + "from each line's arrival on the load generator's monotonic clock: time to first token (send → first token), inter-token (the gap before "
        + "an event shared by the tokens it adds) and end to end; each quantile has its distribution-free 95%% interval.", load.generate()));
    BatchSection.Curve curve = BatchSection.curveOf(curves, load.model(), load.backend(), data);
    md.append(curve == null ? " No batch curve of this model on this backend is in the data, so nothing is predicted for it.\n\n"
        : " The prediction reads the step at B = N off the batch curve of the same model and backend (N streams decode one token each per "
            + "step): inter-token latency = that step, aggregate = N × tokens × 1000 / (the measured median TTFT + (tokens − 1) × step).\n\n");
    Table table = Table.ofText("requests at once", "aggregate t/s", "TTFT p50 ms", "TTFT p90 / p99", "inter-token p50 ms", "inter-token p90 / p99",
        "end-to-end p50 ms", "end-to-end p99", "curve's step at B = N", "beyond it per request in flight", "predicted t/s", "agrees", "cell");
    List<String> missing = new ArrayList<>();
    String example = null;
    List<String> misses = new ArrayList<>();
    boolean unknownTail = false;
    for (CellEntry c : load.cells()) {
      Optional<Level> lv = level(c, data);
      if (lv.isEmpty()) {
        CellRow row = data.cell(c);
        String why = row == null ? "not run yet" : row.status().isOk() ? "no sample or latency could be read" : row.status().word + (row.reason().isEmpty() ? "" : ": " + row.reason());
        missing.add("- N = " + c.params().concurrency() + " (`" + c.id() + "`): **" + MarkdownText.escape(why) + "**");
        continue;
      }
      Level l = lv.get();
      StreamTimings.Latency lat = l.latency();
      Quantiles ttft50 = StreamTimings.Latency.at(lat.ttftMs(), 0.5);
      Quantiles itl50 = StreamTimings.Latency.at(lat.interTokenMs(), 0.5);
      Optional<ServerPrediction> p = curve == null || ttft50 == null ? Optional.empty()
          : ServerPrediction.of(c.params().concurrency(), c.params().generate(), curve.curve(), ttft50.value());
      unknownTail |= tailUnknown(lat);
      String agrees = p.map(x -> x.agrees(l.aggregate()) ? "yes" : String.format(Locale.ROOT, "**no** (%+.0f%%)", (x.tokensPerS() / l.aggregate().mean() - 1) * 100))
          .orElse("—");
      table.row(String.valueOf(c.params().concurrency()), l.aggregate().format() + " (n " + l.aggregate().nLabel() + ")", withInterval(ttft50),
          tail(lat.ttftMs()), withInterval(itl50), tail(lat.interTokenMs()), withInterval(StreamTimings.Latency.at(lat.e2eMs(), 0.5)),
          value(StreamTimings.Latency.at(lat.e2eMs(), 0.99)), p.map(x -> BatchCurve.ms(x.stepMs()) + " ms" + (x.interpolated() ? " (interpolated)" : "")).orElse("—"),
          p.isPresent() && itl50 != null && itl50.n() > 0 ? (itl50.value() > p.get().stepMs()
              ? BatchCurve.ms((itl50.value() - p.get().stepMs()) / c.params().concurrency()) + " ms" : "none: not slower than the curve") : "—",
          p.map(x -> Estimate.num(x.tokensPerS(), 1)).orElse("—"), agrees, "`" + c.id() + "`");
      if (p.isPresent()) {
        if (example == null) example = "At N = " + c.params().concurrency() + ": " + p.get().arithmetic();
        if (!p.get().agrees(l.aggregate()) && itl50 != null) {
          misses.add(String.format(Locale.ROOT, "N = %d: the median inter-token latency is %s ms against the curve's %s ms step (%+.0f%%)", c.params().concurrency(),
              BatchCurve.ms(itl50.value()), BatchCurve.ms(p.get().stepMs()), (itl50.value() / p.get().stepMs() - 1) * 100));
        }
      }
    }
    if (table.size() > 0) {
      md.append(table.markdown()).append('\n');
      if (unknownTail) {
        md.append("A quantile marked * has fewer requests (or tokens) than its 95% interval needs: the value is the sample's, its interval unknown.\n\n");
      }
      if (example != null) md.append(example).append(".\n\n");
      if (!misses.isEmpty()) {
        md.append("Where the prediction misses (").append(String.join("; ", misses)).append("), the server spends per step what batched-bench does not: ")
            .append("sampling and streaming each slot's token, its HTTP threads, and a context of prompt + tokens per sequence where the curve's ")
            .append("sequences start empty. These measurements do not say which.\n\n");
      }
    } else {
      md.append("No level of this server has a result.\n\n");
    }
    if (!missing.isEmpty()) md.append("Levels without a result:\n\n").append(String.join("\n", missing)).append("\n\n");
  }

  private static boolean tailUnknown(StreamTimings.Latency l) {
    for (List<Quantiles> qs : List.of(l.ttftMs(), l.interTokenMs(), l.e2eMs())) for (Quantiles q : qs) if (q.n() > 0 && !q.intervalKnown()) return true;
    return false;
  }

  private static String withInterval(Quantiles q) {
    if (q == null || q.n() == 0) return "—";
    return q.intervalKnown() ? BatchCurve.ms(q.value()) + " (" + BatchCurve.ms(q.low()) + "–" + BatchCurve.ms(q.high()) + ")" : BatchCurve.ms(q.value()) + "*";
  }

  private static String value(Quantiles q) {
    if (q == null || q.n() == 0) return "—";
    return BatchCurve.ms(q.value()) + (q.intervalKnown() ? "" : "*");
  }

  private static String tail(List<Quantiles> qs) {
    return value(StreamTimings.Latency.at(qs, 0.9)) + " / " + value(StreamTimings.Latency.at(qs, 0.99));
  }

  /** A server experiment's line among the findings: per load, aggregate t/s and median latencies from its lowest to its highest N; null without a result. */
  static String headline(String experiment, List<CellEntry> cells, ReportData data, List<BatchSection.Curve> curves) {
    List<String> parts = new ArrayList<>();
    for (Load load : loads(cells)) {
      List<Level> levels = load.cells().stream().map(c -> level(c, data)).flatMap(Optional::stream).toList();
      if (levels.isEmpty()) continue;
      Level a = levels.get(0);
      Level b = levels.get(levels.size() - 1);
      StringBuilder s = new StringBuilder(load.title()).append(String.format(Locale.ROOT, " %s → %s t/s aggregate from %d to %d requests at once (%.2f×)",
          Estimate.num(a.aggregate().mean(), 1), Estimate.num(b.aggregate().mean(), 1), a.cell().params().concurrency(), b.cell().params().concurrency(),
          b.aggregate().mean() / a.aggregate().mean()));
      Quantiles i0 = StreamTimings.Latency.at(a.latency().interTokenMs(), 0.5);
      Quantiles i1 = StreamTimings.Latency.at(b.latency().interTokenMs(), 0.5);
      if (i0 != null && i1 != null && i0.n() > 0 && i1.n() > 0) {
        s.append(", median inter-token ").append(BatchCurve.ms(i0.value())).append(" → ").append(BatchCurve.ms(i1.value())).append(" ms");
      }
      BatchSection.Curve curve = BatchSection.curveOf(curves, load.model(), load.backend(), data);
      if (curve != null) {
        int predicted = 0;
        int agree = 0;
        for (Level l : levels) {
          Quantiles t = StreamTimings.Latency.at(l.latency().ttftMs(), 0.5);
          Optional<ServerPrediction> p = t == null ? Optional.empty() : ServerPrediction.of(l.cell().params().concurrency(), l.cell().params().generate(), curve.curve(), t.value());
          if (p.isEmpty()) continue;
          predicted++;
          if (p.get().agrees(l.aggregate())) agree++;
        }
        if (predicted > 0) s.append("; the batch curve's prediction agrees at ").append(agree).append(" of ").append(predicted).append(" levels");
      }
      parts.add(s.toString());
    }
    return parts.isEmpty() ? null : "- **" + MarkdownText.escape(experiment) + "** (N streamed requests at once to llama-server): " + String.join(" · ", parts) + ".";
  }
}
