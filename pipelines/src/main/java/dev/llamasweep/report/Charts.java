package dev.llamasweep.report;

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
 * The report's charts, drawn by JFreeChart into SVG through JFreeSVG: throughput with ± sd error
 * bars per test, effective bandwidth against the wall (100% and the 85% realistic ceiling), and
 * speculative speed-up against draft-max per prompt. Colours differ in lightness too, so they
 * survive grey-scale print; ids are fixed so the same data gives byte-identical files.
 */
public final class Charts {
  public record Chart(String id, String title, String caption, String svg, List<String> cells) {}

  /** Dark blue, orange, grey-green, purple: distinct in hue and in lightness. */
  static final Color[] PALETTE = {new Color(0x1b3a6b), new Color(0xe69f00), new Color(0x7a9a7a), new Color(0x5b2a86)};
  static final int W = 860;
  static final int H = 420;

  private Charts() {}

  public static List<Chart> build(Spec spec, List<CellEntry> plans, ReportData data, Derived derived) {
    Double peak = derived.walls().theoretical() == null ? null : derived.walls().theoretical().gbs();
    List<Chart> out = new ArrayList<>();
    Chart overview = OverviewChart.of(plans, derived);
    if (overview != null) out.add(overview);
    for (Spec.Experiment x : spec.experiments()) {
      List<CellEntry> cells = plans.stream().filter(p -> p.experiments().contains(x.name())).toList();
      if (cells.isEmpty()) continue;
      if (x.bench() == Bench.SPECULATIVE) {
        Chart c = speedup(x, cells, data);
        if (c != null) out.add(c);
        continue;
      }
      if (x.bench() == Bench.BATCH) {
        out.addAll(BatchCharts.of(x, derived.curves(cells)));
        continue;
      }
      // a round's aggregate is no one stream's speed to chart as bandwidth: a server's chart is its latency beside the curve
      if (x.bench() == Bench.SERVER) {
        ServerCharts.of(x, cells, data, derived.curves()).ifPresent(out::add);
        continue;
      }
      List<String> keys = CellColumns.of(cells, data);
      for (String kind : List.of("pp", "tg", "pg")) {
        Chart c = throughput(x, cells, keys, data, kind);
        if (c != null) out.add(c);
      }
      Chart bw = bandwidth(x, cells, keys, data, peak, derived);
      if (bw != null) out.add(bw);
      Chart roof = RooflineCharts.memory(x, cells, keys, data, derived);
      if (roof != null) out.add(roof);
      Chart compute = RooflineCharts.compute(x, cells, keys, data, derived);
      if (compute != null) out.add(compute);
    }
    return out;
  }

  static String label(CellEntry c, List<String> keys) {
    List<String> parts = new ArrayList<>();
    for (String k : keys) {
      if (k.startsWith("config:")) {
        parts.add(k.substring(7) + "=" + CellColumns.configFields(c).getOrDefault(k.substring(7), "—"));
      } else {
        Axis a = Axis.of(k).orElseThrow();
        Object v = c.params().get(a);
        parts.add(a == Axis.MODEL || a == Axis.BACKEND || v == null ? String.valueOf(v) : k + "=" + v);
      }
    }
    return String.join(" · ", parts);
  }

  static boolean ok(CellEntry c, ReportData data) {
    return data.cell(c) != null && data.cell(c).status().isOk();
  }

  private static Chart throughput(Spec.Experiment x, List<CellEntry> cells, List<String> keys, ReportData data, String kind) {
    DefaultStatisticalCategoryDataset ds = new DefaultStatisticalCategoryDataset();
    List<String> used = new ArrayList<>();
    for (CellEntry c : cells) {
      if (!ok(c, data)) continue;
      for (Map.Entry<String, Estimate> e : byTest(c, data).entrySet()) {
        String test = e.getKey();
        if (!dev.llamasweep.llamacpp.TestShape.kindOf(test).word.equals(kind)) continue;
        Estimate est = e.getValue();
        ds.add(est.mean(), est.hasSpread() ? est.sd() : 0.0, test, label(c, keys));
        if (!used.contains(c.id())) used.add(c.id());
      }
    }
    if (ds.getColumnCount() == 0) return null;
    String what = kind.equals("pp") ? "prompt processing" : kind.equals("tg") ? "token generation" : "prompt + generation";
    StatisticalBarRenderer r = new StatisticalBarRenderer();
    r.setErrorIndicatorPaint(Color.BLACK);
    r.setErrorIndicatorStroke(new BasicStroke(1.5f));
    r.setDrawBarOutline(true);
    r.setDefaultOutlinePaint(Color.BLACK);
    JFreeChart chart = barChart(ds, r, "tokens/s (mean ± sd)");
    String id = slug(x.name()) + "-" + kind;
    return new Chart(id, x.name() + ": " + what + " (" + kind + ")",
        "Bars are means, whiskers ± one sample standard deviation over the repetitions.", svg(chart, id), used);
  }

  private static Chart bandwidth(Spec.Experiment x, List<CellEntry> cells, List<String> keys, ReportData data, Double peak,
      Derived derived) {
    DefaultStatisticalCategoryDataset ds = new DefaultStatisticalCategoryDataset();
    List<String> used = new ArrayList<>();
    boolean anyFile = false;
    boolean anyRam = false;
    for (TokenBandwidth.Row row : derived.bandwidth(cells.stream().filter(c -> ok(c, data)).toList())) {
      Estimate est = row.tg();
      anyRam |= row.onSystemRam();
      // bytes actually read where the header is known; the seed's file bytes otherwise (said in the caption)
      double bytes = row.bytes() != null ? row.bytes().total() : row.fileBytes();
      anyFile |= row.bytes() == null;
      ds.add(row.bytes() != null ? row.effectiveGBs() : row.fileGBs(), est.hasSpread() ? Bandwidth.effectiveGBs(bytes, est.sd()) : 0.0,
          row.test(), label(row.cell(), keys));
      if (!used.contains(row.cell().id())) used.add(row.cell().id());
    }
    if (ds.getColumnCount() == 0) return null;
    StatisticalBarRenderer r = new StatisticalBarRenderer();
    r.setErrorIndicatorPaint(Color.BLACK);
    r.setDrawBarOutline(true);
    r.setDefaultOutlinePaint(Color.BLACK);
    JFreeChart chart = barChart(ds, r, "effective bandwidth, GB/s (10⁹ B/s)");
    CategoryPlot plot = chart.getCategoryPlot();
    String caption = anyFile ? "Bytes read per token × tg t/s (file bytes where no GGUF header was recorded)." : "Bytes read per token × tg t/s.";
    // system RAM's wall is drawn only over bars that read system RAM, never over a GPU's (or an unknown memory's)
    if (anyRam && derived.walls().measured() != null) {
      ValueMarker m = marker(derived.walls().measured().gbs(), String.format(Locale.ROOT, "measured: %s GB/s", MarkdownText.trim(derived.walls().measured().gbs())),
          new float[] {2f, 3f});
      m.setLabelAnchor(RectangleAnchor.TOP_LEFT);
      m.setLabelTextAnchor(TextAnchor.BOTTOM_LEFT);
      plot.addRangeMarker(m);
      plot.getRangeAxis().setRange(0, Math.max(derived.walls().measured().gbs() * 1.08, plot.getRangeAxis().getUpperBound()));
      caption += " The dotted line is what this memory delivers (measured).";
    }
    if (!anyRam) {
      caption += " These bars read a GPU's memory (or one not recorded), not system RAM: their walls are in the bandwidth table.";
    } else if (peak != null) {
      plot.addRangeMarker(marker(peak, String.format(Locale.ROOT, "wall: %s GB/s (100%%)", MarkdownText.trim(peak)), null));
      ValueMarker ceiling = marker(peak * Bandwidth.REALISTIC_FRACTION, "realistic ceiling: 85%", new float[] {6f, 4f});
      // below its line, so it never sits on the wall's label above
      ceiling.setLabelAnchor(RectangleAnchor.BOTTOM_RIGHT);
      ceiling.setLabelTextAnchor(TextAnchor.TOP_RIGHT);
      plot.addRangeMarker(ceiling);
      double max = Math.max(peak * 1.08, plot.getRangeAxis().getUpperBound());
      plot.getRangeAxis().setRange(0, max);
      caption += " The solid line is the theoretical peak, the dashed one 85% of it.";
    } else {
      caption += " No theoretical peak is known for this host, so no wall is drawn.";
    }
    String id = slug(x.name()) + "-bandwidth";
    return new Chart(id, x.name() + ": effective bandwidth against the wall", caption, svg(chart, id), used);
  }

  private static Chart speedup(Spec.Experiment x, List<CellEntry> cells, ReportData data) {
    Map<Axis, Object> base = x.baseline() == null ? Map.of(Axis.DRAFT_MAX, 0L) : x.baseline();
    Map<String, List<CellEntry>> byGroup = new LinkedHashMap<>();
    for (CellEntry c : cells) {
      Map<String, Object> rest = c.params().with(Axis.DRAFT_MAX, null).with(Axis.DRAFT, null).asMap();
      byGroup.computeIfAbsent(String.valueOf(c.params().promptFile()) + "|" + rest, k -> new ArrayList<>()).add(c);
    }
    YIntervalSeriesCollection ds = new YIntervalSeriesCollection();
    List<String> used = new ArrayList<>();
    for (List<CellEntry> group : byGroup.values()) {
      CellEntry b = group.stream().filter(c -> SpeculativeSection.isBaseline(c, base)).findFirst().orElse(null);
      Estimate be = b == null || !ok(b, data) ? null : first(b, data);
      if (be == null) continue;
      String prompt = String.valueOf(group.get(0).params().promptFile());
      YIntervalSeries s = new YIntervalSeries(prompt.substring(prompt.lastIndexOf('/') + 1));
      for (CellEntry c : group) {
        Estimate e = ok(c, data) ? first(c, data) : null;
        if (e == null) continue;
        Comparison cmp = new Comparison(e, be, data.threshold());
        // the baseline against itself is exactly 1: the two sides are the same runs, not independent ones
        double sd = c == b || Double.isNaN(cmp.ratioSd()) ? 0 : cmp.ratioSd();
        s.add((double) c.params().draftMax(), cmp.ratio(), cmp.ratio() - sd, cmp.ratio() + sd);
        used.add(c.id());
      }
      if (s.getItemCount() > 0) ds.addSeries(s);
    }
    if (ds.getSeriesCount() == 0) return null;
    NumberAxis xAxis = new NumberAxis("draft-max (tokens drafted per step; 0 = target alone)");
    xAxis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    NumberAxis yAxis = new NumberAxis("speed-up vs the target alone (×, ± propagated sd)");
    yAxis.setAutoRangeIncludesZero(false);
    XYErrorRenderer r = new XYErrorRenderer();
    r.setDefaultLinesVisible(true);
    r.setDrawXError(false);
    XYPlot plot = new XYPlot(ds, xAxis, yAxis, r);
    plot.addRangeMarker(marker(1.0, "no speed-up", new float[] {4f, 4f}));
    for (int i = 0; i < ds.getSeriesCount(); i++) {
      r.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
      r.setSeriesStroke(i, new BasicStroke(2.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 1f,
          i % 2 == 0 ? null : new float[] {8f, 4f}, 0f));
    }
    style(plot);
    JFreeChart chart = new JFreeChart(null, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    chart.setBackgroundPaint(Color.WHITE);
    String id = slug(x.name()) + "-speedup";
    return new Chart(id, x.name() + ": speculative speed-up against draft-max",
        "Generation t/s with the draft divided by the target alone on the same prompt; one line per prompt.", svg(chart, id), used);
  }

  private static Map<String, Estimate> byTest(CellEntry c, ReportData data) {
    return data.testsOf(c.id());
  }

  private static Estimate first(CellEntry c, ReportData data) {
    return byTest(c, data).values().stream().findFirst().orElse(null);
  }

  private static JFreeChart barChart(DefaultStatisticalCategoryDataset ds, StatisticalBarRenderer r, String valueLabel) {
    CategoryAxis cat = new CategoryAxis(null);
    cat.setCategoryLabelPositions(ds.getColumnCount() > 4 ? CategoryLabelPositions.UP_45 : CategoryLabelPositions.STANDARD);
    cat.setMaximumCategoryLabelLines(3);
    NumberAxis val = new NumberAxis(valueLabel);
    CategoryPlot plot = new CategoryPlot(ds, cat, val, r);
    plot.setOrientation(PlotOrientation.VERTICAL);
    for (int i = 0; i < ds.getRowCount(); i++) r.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
    r.setItemMargin(0.05);
    style(plot);
    JFreeChart chart = new JFreeChart(null, JFreeChart.DEFAULT_TITLE_FONT, plot, ds.getRowCount() > 1);
    chart.setBackgroundPaint(Color.WHITE);
    return chart;
  }

  /**
   * A log–log chart's plot as the batch and server charts draw it: x in base 2 with a tick at every power of two
   * (1, 2, 4, … sequences or requests), y in the given base with a tick at every power, both written as plain numbers.
   */
  static org.jfree.chart.plot.XYPlot logLog(org.jfree.data.xy.XYDataset ds, org.jfree.chart.renderer.xy.XYItemRenderer r, String xLabel,
      String yLabel, double yBase) {
    org.jfree.chart.axis.LogAxis xAxis = new org.jfree.chart.axis.LogAxis(xLabel);
    xAxis.setBase(2);
    xAxis.setSmallestValue(0.5);
    xAxis.setTickUnit(new org.jfree.chart.axis.NumberTickUnit(1));
    xAxis.setNumberFormatOverride(new java.text.DecimalFormat("0", java.text.DecimalFormatSymbols.getInstance(java.util.Locale.ROOT)));
    org.jfree.chart.axis.LogAxis yAxis = new org.jfree.chart.axis.LogAxis(yLabel);
    yAxis.setBase(yBase);
    yAxis.setSmallestValue(1e-3);
    yAxis.setTickUnit(new org.jfree.chart.axis.NumberTickUnit(1));
    yAxis.setNumberFormatOverride(new java.text.DecimalFormat("#,##0.###", java.text.DecimalFormatSymbols.getInstance(java.util.Locale.ROOT)));
    org.jfree.chart.plot.XYPlot plot = new org.jfree.chart.plot.XYPlot(ds, xAxis, yAxis, r);
    style(plot);
    return plot;
  }

  static void style(org.jfree.chart.plot.Plot p) {
    p.setBackgroundPaint(Color.WHITE);
    p.setOutlinePaint(Color.GRAY);
    if (p instanceof CategoryPlot cp) {
      cp.setRangeGridlinePaint(new Color(0xbbbbbb));
      cp.getDomainAxis().setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
      cp.getRangeAxis().setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    } else if (p instanceof XYPlot xp) {
      xp.setRangeGridlinePaint(new Color(0xbbbbbb));
      xp.setDomainGridlinePaint(new Color(0xdddddd));
      xp.getRangeAxis().setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
      xp.getDomainAxis().setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    }
  }

  static ValueMarker marker(double value, String label, float[] dash) {
    ValueMarker m = new ValueMarker(value, new Color(0x8b0000), new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, dash, 0f));
    m.setLabel(label);
    m.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    m.setLabelPaint(new Color(0x8b0000));
    m.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
    m.setLabelTextAnchor(TextAnchor.BOTTOM_RIGHT);
    return m;
  }

  static String svg(JFreeChart chart, String id) {
    return svg(chart, id, H);
  }

  static String svg(JFreeChart chart, String id, int height) {
    SVGGraphics2D g2 = new SVGGraphics2D(W, height);
    g2.setDefsKeyPrefix(id);
    chart.draw(g2, new Rectangle(0, 0, W, height));
    return g2.getSVGElement("chart-" + id);
  }

  static String slug(String s) {
    return s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
  }
}
