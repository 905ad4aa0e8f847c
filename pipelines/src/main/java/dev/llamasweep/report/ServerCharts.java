package dev.llamasweep.report;

import static dev.llamasweep.report.Charts.PALETTE;
import static dev.llamasweep.report.Charts.slug;
import static dev.llamasweep.report.Charts.svg;

import dev.llamasweep.report.Charts.Chart;
import dev.llamasweep.results.CellEntry;
import dev.llamasweep.spec.Spec;
import dev.llamasweep.stats.Quantiles;
import dev.llamasweep.stats.StreamTimings;
import java.awt.BasicStroke;
import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * A server experiment's chart, log–log: each load's median inter-token latency against the requests in
 * flight (points), and the same model's batch-curve step at B = N (dashed) — the gap between them is what
 * the server spends per step beyond the decode.
 */
final class ServerCharts {
  private ServerCharts() {}

  static String id(Spec.Experiment x) {
    return slug(x.name()) + "-server-itl";
  }

  static Optional<Chart> of(Spec.Experiment x, List<CellEntry> cells, ReportData data, List<BatchSection.Curve> curves) {
    XYSeriesCollection ds = new XYSeriesCollection();
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer();
    List<String> used = new ArrayList<>();
    int i = 0;
    for (ServerSection.Load load : ServerSection.loads(cells)) {
      Color colour = PALETTE[i % PALETTE.length];
      String name = load.model() + " · " + load.backend();
      XYSeries measured = new XYSeries(name + ": inter-token p50", true, false);
      XYSeries step = new XYSeries(name + ": the batch curve's step at B = N", true, false);
      BatchSection.Curve curve = BatchSection.curveOf(curves, load.model(), load.backend(), data);
      for (CellEntry c : load.cells()) {
        StreamTimings.Latency l = data.latency().get(c.id());
        if (l == null || data.cell(c) == null || !data.cell(c).status().isOk()) continue;
        Quantiles q = StreamTimings.Latency.at(l.interTokenMs(), 0.5);
        if (q == null || q.n() == 0) continue;
        measured.add(c.params().concurrency(), q.value());
        used.add(c.id());
        if (curve != null) curve.curve().stepMsAt(c.params().concurrency()).ifPresent(s -> step.add(c.params().concurrency(), s));
      }
      if (measured.isEmpty()) continue;
      int base = ds.getSeriesCount();
      ds.addSeries(measured);
      r.setSeriesPaint(base, colour);
      r.setSeriesShape(base, new java.awt.geom.Ellipse2D.Double(-4, -4, 8, 8));
      r.setSeriesStroke(base, new BasicStroke(1.5f));
      if (!step.isEmpty()) {
        int k = ds.getSeriesCount();
        ds.addSeries(step);
        r.setSeriesPaint(k, colour);
        r.setSeriesShapesVisible(k, false);
        r.setSeriesStroke(k, new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, new float[] {8f, 4f}, 0f));
      }
      i++;
    }
    if (ds.getSeriesCount() == 0) return Optional.empty();
    // ms in base 2 (4, 8, 16 ms): a server's latencies span one or two decades, where base 10 would leave one tick
    XYPlot plot = Charts.logLog(ds, r, "N: requests in flight (log)", "ms between a stream's tokens (log)", 2);
    JFreeChart chart = new JFreeChart(null, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    chart.setBackgroundPaint(Color.WHITE);
    return Optional.of(new Chart(id(x), x.name() + ": inter-token latency against the requests in flight",
        "Points are each level's median inter-token latency (latency.csv); the dashed line of a model's colour is its batch curve's step at "
            + "B = N, what a step of N sequences takes in llama-batched-bench. The gap is what the server spends per step beyond the decode.",
        svg(chart, id(x)), used));
  }
}
