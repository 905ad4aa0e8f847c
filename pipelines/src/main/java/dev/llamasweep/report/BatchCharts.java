package dev.llamasweep.report;

import static dev.llamasweep.report.Charts.PALETTE;
import static dev.llamasweep.report.Charts.slug;
import static dev.llamasweep.report.Charts.svg;

import dev.llamasweep.report.Charts.Chart;
import dev.llamasweep.spec.Spec;
import dev.llamasweep.stats.BatchCurve;
import java.awt.BasicStroke;
import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * A batch experiment's two log–log charts: ms per step against B with each curve's floors (memory side
 * dotted, compute side dashed), and tokens per second against B with the ceilings the floors give (B / floor).
 */
final class BatchCharts {
  private BatchCharts() {}

  static List<Chart> of(Spec.Experiment x, List<BatchSection.Curve> curves) {
    List<BatchSection.Curve> drawn = curves.stream().filter(c -> !c.curve().points().isEmpty()).toList();
    if (drawn.isEmpty()) return List.of();
    List<String> used = new ArrayList<>();
    for (BatchSection.Curve c : drawn) for (BatchCurve.Point p : c.curve().points()) used.add(c.cellOf(p).id());
    return List.of(
        chart(x, drawn, used, "step", "ms per decode step (log)", ": time of one decode step against B",
            "Points are measured steps (1000 × B / t/s); the dotted line of a curve's colour is its memory floor (fixed cost + the weights once "
                + "+ each sequence's KV at the measured wall), the dashed one its compute floor (B tokens' FLOPs at the measured matrix-product rate). "
                + "Flat means more tokens per step come free."),
        chart(x, drawn, used, "throughput", "tokens/s, all sequences (log)", ": tokens per second against B",
            "Points are measured t/s of all B sequences together; the dotted and dashed lines are the ceilings the two floors give (B per floor): "
                + "the curve bends where the compute ceiling takes over."));
  }

  /** @param suffix "step" draws ms per step and floors; "throughput" draws t/s and the ceilings (B × 1000 / floor ms) */
  private static Chart chart(Spec.Experiment x, List<BatchSection.Curve> curves, List<String> used, String suffix, String yLabel,
      String title, String caption) {
    boolean perStep = suffix.equals("step");
    XYSeriesCollection ds = new XYSeriesCollection();
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer();
    int i = 0;
    for (BatchSection.Curve c : curves) {
      Color colour = PALETTE[i % PALETTE.length];
      String name = c.model() + " · " + c.backend() + (c.depth() > 0 ? " · depth " + c.depth() : "");
      XYSeries measured = new XYSeries(name, true, false);
      XYSeries memory = new XYSeries(name + ": memory " + (perStep ? "floor" : "ceiling"), true, false);
      XYSeries compute = new XYSeries(name + ": compute " + (perStep ? "floor" : "ceiling"), true, false);
      for (BatchCurve.Point p : c.curve().points()) {
        measured.add(p.batch(), perStep ? p.stepMs() : p.tokensPerS().mean());
      }
      long maxB = c.curve().points().stream().mapToLong(BatchCurve.Point::batch).max().orElse(1);
      for (long b = 1; b <= maxB; b = b * 2 > maxB && b < maxB ? maxB : b * 2) {
        double m = c.curve().terms().memoryFloorMs(b);
        double f = c.curve().terms().computeFloorMs(b);
        if (!Double.isNaN(m)) memory.add(b, perStep ? m : 1000.0 * b / m);
        if (!Double.isNaN(f)) compute.add(b, perStep ? f : 1000.0 * b / f);
      }
      int base = ds.getSeriesCount();
      ds.addSeries(measured);
      r.setSeriesPaint(base, colour);
      r.setSeriesShape(base, new java.awt.geom.Ellipse2D.Double(-4, -4, 8, 8));
      r.setSeriesStroke(base, new BasicStroke(1.5f));
      for (XYSeries line : List.of(memory, compute)) {
        if (line.isEmpty()) continue;
        int k = ds.getSeriesCount();
        ds.addSeries(line);
        r.setSeriesPaint(k, colour);
        r.setSeriesShapesVisible(k, false);
        r.setSeriesStroke(k, new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f,
            line == memory ? new float[] {2f, 3f} : new float[] {8f, 4f}, 0f));
      }
      i++;
    }
    // ticks at whole powers (1, 2, 4, … sequences; 1, 10, 100 ms), written as plain numbers
    XYPlot plot = Charts.logLog(ds, r, "B: sequences decoded per step (log)", yLabel, 10);
    JFreeChart chart = new JFreeChart(null, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    chart.setBackgroundPaint(Color.WHITE);
    String id = slug(x.name()) + "-batch-" + suffix;
    return new Chart(id, x.name() + title, caption, svg(chart, id), used);
  }
}
