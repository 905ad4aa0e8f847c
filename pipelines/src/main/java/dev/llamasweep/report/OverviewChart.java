package dev.llamasweep.report;

import static dev.llamasweep.report.Charts.PALETTE;
import static dev.llamasweep.report.Charts.style;
import static dev.llamasweep.report.Charts.svg;

import dev.llamasweep.report.Charts.Chart;
import dev.llamasweep.results.CellEntry;
import dev.llamasweep.stats.TokenTime;
import java.awt.Color;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.StackedBarRenderer;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * The report's first picture: every generation test's time per token as three stacked parts — the fixed
 * cost (its skeleton), the time its bytes would take at the measured wall, and the rest (how far its
 * kernels fall short of the wall) — so where a token's time goes reads at a glance, before any prose.
 */
final class OverviewChart {
  static final String ID = "overview-token-time";

  private OverviewChart() {}

  /** null when no generation test has a decomposition (no skeleton or no bytes model). */
  static Chart of(List<CellEntry> plans, Derived derived) {
    DefaultCategoryDataset ds = new DefaultCategoryDataset();
    List<String> used = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    boolean anyUnknownWall = false;
    for (TokenBandwidth.Row r : derived.bandwidth(plans)) {
      TokenTime t = derived.time(r);
      // a speculative run's token is not one read of the weights: only llama-bench's tokens are split here
      if (t == null || r.cell().bench() != dev.llamasweep.spec.Bench.LLAMA_BENCH || !seen.add(r.cell().id() + " " + r.test())) continue;
      String label = Charts.label(r.cell(), List.of("model", "backend")) + " · " + r.test() + " · " + r.cell().id().substring(0, 6);
      TokenBandwidth.Wall wall = r.measured();
      double atWall = wall == null ? Double.NaN : Math.min(t.movingMs(), t.movedBytes() / (wall.gbs() * 1e9) * 1000);
      ds.addValue(Math.min(t.fixedMs(), t.tokenMs()), "fixed cost (skeleton)", label);
      if (Double.isNaN(atWall)) {
        anyUnknownWall = true;
        ds.addValue(0, "bytes at the measured wall", label);
        ds.addValue(t.movingMs(), "moving the bytes (wall unknown)", label);
      } else {
        ds.addValue(atWall, "bytes at the measured wall", label);
        ds.addValue(t.movingMs() - atWall, "the rest: kernels short of the wall", label);
      }
      used.add(r.cell().id());
    }
    if (ds.getColumnCount() == 0) return null;
    StackedBarRenderer r = new StackedBarRenderer();
    r.setDrawBarOutline(true);
    r.setDefaultOutlinePaint(Color.BLACK);
    r.setShadowVisible(false);
    r.setBarPainter(new org.jfree.chart.renderer.category.StandardBarPainter());
    for (int i = 0; i < ds.getRowCount(); i++) r.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
    CategoryAxis cat = new CategoryAxis(null);
    cat.setMaximumCategoryLabelLines(2);
    CategoryPlot plot = new CategoryPlot(ds, cat, new NumberAxis("ms per generated token"), r);
    plot.setOrientation(PlotOrientation.HORIZONTAL);
    style(plot);
    JFreeChart chart = new JFreeChart(null, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    chart.setBackgroundPaint(Color.WHITE);
    return new Chart(ID, "Where a generated token's time goes",
        "Each bar is a generation test's time per token (1000 / mean t/s): its skeleton's fixed cost, the time its bytes (less the "
            + "skeleton's) take at the measured wall of the memory they are in, and the rest, which is how far the kernels' reads fall short of "
            + "that wall" + (anyUnknownWall ? "; where the wall is not measured the moving part is one piece" : "") + ".",
        svg(chart, ID, Math.max(220, 60 + 34 * ds.getColumnCount())), used);
  }
}
