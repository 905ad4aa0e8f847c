package dev.llamasweep.report;

import dev.llamasweep.execute.CellPlan;
import dev.llamasweep.results.AtomicFiles;
import dev.llamasweep.results.ResultFiles;
import dev.llamasweep.spec.Spec;
import dev.llamasweep.stats.Bandwidth;
import dev.llamasweep.stats.Estimate;
import dev.llamasweep.stats.Summaries;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/** Writes reports/&lt;spec&gt;/report.md and summary.csv from data/&lt;spec&gt;/. */
public final class Reports {
  private Reports() {}

  public static Path write(Spec spec, List<CellPlan> plans, Path dataDir, Path reportDir) {
    ReportData data = ReportData.read(dataDir);
    Double peak = null;
    if (spec.memory() != null) {
      peak = Bandwidth.peakGBs(spec.memory().transferRateMts(), spec.memory().busWidthBits());
    } else if (data.host() != null) {
      peak = data.host().peakGBs();
    }
    List<Charts.Chart> charts = Charts.build(spec, plans, data, peak);
    Map<String, Charts.Chart> byId = new java.util.LinkedHashMap<>();
    for (Charts.Chart c : charts) {
      byId.put(c.id(), c);
      AtomicFiles.write(reportDir.resolve("charts").resolve(c.id() + ".svg"),
          w -> w.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + c.svg() + "\n"));
    }
    String md = MarkdownReport.render(spec, plans, data, charts);
    AtomicFiles.write(reportDir.resolve("report.md"), w -> w.write(md));
    AtomicFiles.write(reportDir.resolve("report.html"), w -> w.write(HtmlReport.render("llama-sweep report: " + spec.name(), md, byId)));
    AtomicFiles.write(reportDir.resolve("summary.csv"), w -> summary(w, spec, plans, data));
    return reportDir.resolve("report.md");
  }

  private static void summary(Writer w, Spec spec, List<CellPlan> plans, ReportData data) throws IOException {
    List<String> header = new ArrayList<>(List.of("cell", "experiments", "status"));
    header.addAll(ResultFiles.AXES);
    header.addAll(List.of("test", "n", "mean_ts", "sd_ts", "min_ts", "max_ts", "median_ts", "cv", "model_size_bytes",
        "effective_gb_s", "peak_gb_s", "utilisation"));
    Double peak = spec.memory() == null ? null : Bandwidth.peakGBs(spec.memory().transferRateMts(), spec.memory().busWidthBits());
    try (CSVPrinter p = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setHeader(header.toArray(String[]::new)).get())) {
      for (CellPlan c : plans) {
        ReportData.CellRow row = data.cell(c);
        String status = row == null ? "missing" : row.status();
        boolean any = false;
        for (Map.Entry<String, Estimate> e : data.testsOf(c.id()).entrySet()) {
          any = true;
          Estimate est = e.getValue();
          List<Object> r = prefix(c, status);
          Long size = data.modelSize().get(c.id());
          boolean tg = e.getKey().startsWith("tg");
          Double eff = tg && size != null ? Bandwidth.effectiveGBs(size, est.mean()) : null;
          r.addAll(List.of(e.getKey(), est.n(), est.mean(), blank(est.sd()), est.min(), est.max(), est.median(),
              blank(est.cv()), size == null ? "" : size, eff == null ? "" : eff,
              peak == null ? "" : peak, eff == null || peak == null ? "" : Bandwidth.utilisation(eff, peak)));
          p.printRecord(r);
        }
        if (!any) {
          List<Object> r = prefix(c, status);
          for (int i = 0; i < 12; i++) r.add("");
          p.printRecord(r);
        }
      }
    }
  }

  private static Object blank(double v) { return Double.isNaN(v) ? "" : v; }

  private static List<Object> prefix(CellPlan c, String status) {
    List<Object> r = new ArrayList<>(List.of(c.id(), String.join(";", c.experiments()), status));
    for (String axis : ResultFiles.AXES) {
      Object v = c.params().get(axis);
      r.add(v == null ? "" : v);
    }
    return r;
  }
}
