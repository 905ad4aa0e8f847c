package dev.llamasweep.report;

import static dev.llamasweep.report.Charts.*;

import dev.llamasweep.report.Charts.Chart;
import dev.llamasweep.spec.Bench;
import dev.llamasweep.results.CellEntry;
import dev.llamasweep.spec.Axis;
import dev.llamasweep.spec.Spec;
import dev.llamasweep.stats.Bandwidth;
import dev.llamasweep.stats.Comparison;
import dev.llamasweep.stats.Estimate;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Rectangle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.StatisticalBarRenderer;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.statistics.DefaultStatisticalCategoryDataset;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;
import org.jfree.svg.SVGGraphics2D;

/**
 * The two roofline charts of an experiment: token generation against the memory wall (FLOP/s reached
 * against FLOPs per byte read, where a token reads every weight) and prompts against the compute wall
 * (a micro-batch shares one read of the weights). Drawn like every chart ({@link Charts}).
 */
final class RooflineCharts {
  private RooflineCharts() {}

  /**
   * Roofline-style: tg t/s against bytes read per token, both logarithmic. A wall of W GB/s is the
   * line t/s = W × 10^9 / bytes; a point on it uses the whole wall, a point below it less.
   */
  static Chart memory(Spec.Experiment x, List<CellEntry> cells, List<String> keys, ReportData data, Derived derived) {
    List<TokenBandwidth.Row> rows = derived.bandwidth(cells.stream().filter(c -> ok(c, data)).toList()).stream()
        .filter(r -> r.bytes() != null).toList();
    if (rows.isEmpty()) return null;
    org.jfree.data.xy.XYSeriesCollection ds = new org.jfree.data.xy.XYSeriesCollection();
    org.jfree.data.xy.XYSeries points = new org.jfree.data.xy.XYSeries("tg (mean)", false, true);
    double lo = Double.MAX_VALUE;
    double hi = 0;
    List<String> used = new ArrayList<>();
    for (TokenBandwidth.Row r : rows) {
      double mb = r.bytes().total() / 1e6;
      points.add(mb, r.tg().mean());
      lo = Math.min(lo, mb);
      hi = Math.max(hi, mb);
      if (!used.contains(r.cell().id())) used.add(r.cell().id());
    }
    ds.addSeries(points);
    double x0 = lo / 2;
    double x1 = hi * 2;
    List<String> lines = new ArrayList<>();
    for (TokenBandwidth.Wall w : new TokenBandwidth.Wall[] {derived.walls().theoretical(), derived.walls().measured()}) {
      if (w == null) continue;
      org.jfree.data.xy.XYSeries line = new org.jfree.data.xy.XYSeries(w.kind() + " wall " + MarkdownText.trim(w.gbs()) + " GB/s");
      line.add(x0, w.gbs() * 1e3 / x0);
      line.add(x1, w.gbs() * 1e3 / x1);
      ds.addSeries(line);
      lines.add(w.kind());
    }
    org.jfree.chart.axis.LogAxis xAxis = new org.jfree.chart.axis.LogAxis("bytes read per generated token (MB, log)");
    org.jfree.chart.axis.LogAxis yAxis = new org.jfree.chart.axis.LogAxis("token generation, t/s (log)");
    xAxis.setSmallestValue(1e-3);
    yAxis.setSmallestValue(1e-3);
    org.jfree.chart.renderer.xy.XYLineAndShapeRenderer r = new org.jfree.chart.renderer.xy.XYLineAndShapeRenderer();
    r.setSeriesLinesVisible(0, false);
    r.setSeriesShapesVisible(0, true);
    r.setSeriesPaint(0, PALETTE[0]);
    r.setSeriesShape(0, new java.awt.geom.Ellipse2D.Double(-5, -5, 10, 10));
    for (int i = 1; i < ds.getSeriesCount(); i++) {
      r.setSeriesShapesVisible(i, false);
      r.setSeriesPaint(i, new Color(0x8b0000));
      boolean theoretical = lines.get(i - 1).equals("theoretical");
      r.setSeriesStroke(i, new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, theoretical ? null : new float[] {2f, 3f}, 0f));
    }
    XYPlot plot = new XYPlot(ds, xAxis, yAxis, r);
    for (TokenBandwidth.Row row : rows) plot.addAnnotation(note(label(row.cell(), keys) + " " + row.test(), row.bytes().total() / 1e6, row.tg().mean()));
    style(plot);
    JFreeChart chart = new JFreeChart(null, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    chart.setBackgroundPaint(Color.WHITE);
    String id = slug(x.name()) + "-roofline";
    return new Chart(id, x.name() + ": token generation against bytes read per token",
        "Each point is a cell's tg mean at the bytes it reads per token; each line is a wall (t/s = GB/s × 10⁹ / bytes): "
            + (lines.isEmpty() ? "no wall is known." : "solid theoretical, dotted measured where known.")
            + " A point on a line uses all of that wall.", svg(chart, id), used);
  }

  /**
   * The roofline with both walls: FLOP/s reached against arithmetic intensity (FLOPs per byte read),
   * log-log. Token generation reads every weight for each token (intensity ≈ 2 FLOPs per weight / bytes
   * per weight) and sits under the memory wall's slope; a prompt batch reads the weights once for up to
   * 512 tokens (llama-bench's micro-batch), so it sits far right, under the compute wall.
   */
  static Chart compute(Spec.Experiment x, List<CellEntry> cells, List<String> keys, ReportData data, Derived derived) {
    List<CellEntry> ok = cells.stream().filter(c -> ok(c, data)).toList();
    org.jfree.data.xy.XYSeries tg = new org.jfree.data.xy.XYSeries("tg (mean)", false, true);
    org.jfree.data.xy.XYSeries pp = new org.jfree.data.xy.XYSeries("pp (mean)", false, true);
    List<org.jfree.chart.annotations.XYTextAnnotation> notes = new ArrayList<>();
    List<String> used = new ArrayList<>();
    double lo = Double.MAX_VALUE;
    double hi = 0;
    for (TokenBandwidth.Row r : derived.bandwidth(ok)) {
      if (r.bytes() == null || r.model() == null || !r.onSystemRam() && r.measured() == null) continue;
      dev.llamasweep.stats.FlopsPerToken.Breakdown f = dev.llamasweep.stats.FlopsPerToken.of(r.model().shape(),
          dev.llamasweep.stats.BytesPerToken.meanContext(data.shape(r.cell().id(), r.test()).nDepth(), data.shape(r.cell().id(), r.test()).nGen()));
      if (f == null) continue;
      double intensity = f.total() / r.bytes().total();
      double gflops = f.total() * r.tg().mean() / 1e9;
      tg.add(intensity, gflops);
      notes.add(note(label(r.cell(), keys) + " " + r.test(), intensity, gflops));
      lo = Math.min(lo, intensity);
      hi = Math.max(hi, intensity);
      if (!used.contains(r.cell().id())) used.add(r.cell().id());
    }
    Double computeWall = null;
    for (PromptCompute.Row r : derived.prompts(ok)) {
      double intensity = r.intensity();
      double gflops = r.achievedTflops() * 1e3;
      pp.add(intensity, gflops);
      notes.add(note(label(r.cell(), keys) + " " + r.test(), intensity, gflops));
      lo = Math.min(lo, intensity);
      hi = Math.max(hi, intensity);
      if (r.wall() != null && r.wall().isKnown()) computeWall = computeWall == null ? r.wall().tflops() : Math.max(computeWall, r.wall().tflops());
      if (!used.contains(r.cell().id())) used.add(r.cell().id());
    }
    if (tg.isEmpty() && pp.isEmpty()) return null;
    org.jfree.data.xy.XYSeriesCollection ds = new org.jfree.data.xy.XYSeriesCollection();
    ds.addSeries(tg);
    ds.addSeries(pp);
    double x0 = lo / 2;
    double x1 = hi * 2;
    TokenBandwidth.Wall mem = derived.walls().measured() != null ? derived.walls().measured() : derived.walls().theoretical();
    if (mem != null) {
      org.jfree.data.xy.XYSeries line = new org.jfree.data.xy.XYSeries("memory: " + mem.kind() + " " + MarkdownText.trim(mem.gbs()) + " GB/s");
      line.add(x0, mem.gbs() * x0);
      line.add(x1, mem.gbs() * x1);
      ds.addSeries(line);
    }
    if (computeWall != null) {
      org.jfree.data.xy.XYSeries line = new org.jfree.data.xy.XYSeries("compute: matrix product " + PromptCompute.tf(computeWall) + " TFLOP/s");
      line.add(x0, computeWall * 1e3);
      line.add(x1, computeWall * 1e3);
      ds.addSeries(line);
    }
    org.jfree.chart.axis.LogAxis xAxis = new org.jfree.chart.axis.LogAxis("arithmetic intensity, FLOPs per byte read (log)");
    org.jfree.chart.axis.LogAxis yAxis = new org.jfree.chart.axis.LogAxis("GFLOP/s reached (log)");
    xAxis.setSmallestValue(1e-3);
    yAxis.setSmallestValue(1e-3);
    org.jfree.chart.renderer.xy.XYLineAndShapeRenderer rr = new org.jfree.chart.renderer.xy.XYLineAndShapeRenderer();
    for (int i = 0; i < 2; i++) {
      rr.setSeriesLinesVisible(i, false);
      rr.setSeriesShapesVisible(i, true);
      rr.setSeriesPaint(i, PALETTE[i]);
      rr.setSeriesShape(i, new java.awt.geom.Ellipse2D.Double(-5, -5, 10, 10));
    }
    for (int i = 2; i < ds.getSeriesCount(); i++) {
      rr.setSeriesShapesVisible(i, false);
      rr.setSeriesPaint(i, new Color(0x8b0000));
      rr.setSeriesStroke(i, new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, i == 2 && mem != null ? new float[] {2f, 3f} : null, 0f));
    }
    XYPlot plot = new XYPlot(ds, xAxis, yAxis, rr);
    notes.forEach(plot::addAnnotation);
    style(plot);
    JFreeChart chart = new JFreeChart(null, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    chart.setBackgroundPaint(Color.WHITE);
    String id = slug(x.name()) + "-compute-roofline";
    return new Chart(id, x.name() + ": roofline, memory wall for generation and compute wall for prompts",
        "Each point is a cell's FLOP/s (FLOPs per token × t/s) at its FLOPs per byte read: generation reads every weight per token, a prompt "
            + "reads them once per batch of up to 512 tokens. The dotted slope is the memory wall (GB/s × FLOPs per byte), the flat line the "
            + "measured matrix-product rate" + (computeWall == null ? " (not measured here)" : "") + " (llama.cpp's test-backend-ops; on a CPU it "
            + "multiplies weights as stored, without the repacked layouts inference uses, so prompts can sit above it).", svg(chart, id), used);
  }

  private static org.jfree.chart.annotations.XYTextAnnotation note(String text, double x, double y) {
    org.jfree.chart.annotations.XYTextAnnotation a = new org.jfree.chart.annotations.XYTextAnnotation(text, x, y);
    a.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    a.setTextAnchor(TextAnchor.BOTTOM_LEFT);
    return a;
  }
}
