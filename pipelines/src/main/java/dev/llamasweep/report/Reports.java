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
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

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
    AtomicFiles.write(reportDir.resolve("summary.csv"), w -> summary(w, plans, data, derived));
    return reportDir.resolve("report.md");
  }

  static final List<String> BANDWIDTH_FIELDS = List.of("model_size_bytes", "bytes_per_token", "kv_bytes_per_token", "effective_gb_s",
      "file_gb_s", "theoretical_wall_gb_s", "utilisation_theoretical", "measured_wall_gb_s", "utilisation_measured", "bandwidth_note");

  private static void summary(Writer w, List<CellEntry> plans, ReportData data, Derived derived) throws IOException {
    List<String> header = new ArrayList<>(List.of("cell", "experiments", "status"));
    header.addAll(ResultFiles.AXES);
    header.addAll(List.of("test", "n", "mean_ts", "sd_ts", "ci95_low_ts", "ci95_high_ts", "min_ts", "max_ts", "median_ts", "cv", "warnings"));
    header.addAll(BANDWIDTH_FIELDS);
    // which llama.cpp build made the figures (llama-bench's own build_commit and build_number): a sweep can mix releases
    header.add("llama_cpp_build");
    // the cell's wall time and what the harness itself used meanwhile (cells.csv's duration_s and harness_cpu_s)
    header.addAll(List.of("cell_wall_s", "harness_cpu_s"));
    Map<String, TokenBandwidth.Row> bandwidth = new java.util.HashMap<>();
    for (TokenBandwidth.Row r : derived.bandwidth(plans)) bandwidth.put(r.cell().id() + "|" + r.test(), r);
    try (CSVPrinter p = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setHeader(header.toArray(String[]::new)).get())) {
      for (CellEntry c : plans) {
        CellRow row = data.cell(c);
        String status = (row == null ? CellStatus.MISSING : row.status()).word;
        boolean any = false;
        for (Map.Entry<String, Estimate> e : data.testsOf(c.id()).entrySet()) {
          any = true;
          Estimate est = e.getValue();
          List<Object> r = prefix(c, status);
          Long size = data.modelSize().get(c.id());
          double h = est.ci95();
          r.addAll(List.of(e.getKey(), est.n(), est.mean(), blank(est.sd()), blank(est.mean() - h), blank(est.mean() + h),
              blank(est.min()), blank(est.max()), est.median(), blank(est.cv()),
              String.join(";", derived.warnings(c, e.getKey()).stream().map(x -> x.warning().name()).toList())));
          TokenBandwidth.Row b = bandwidth.get(c.id() + "|" + e.getKey());
          if (b == null) {
            r.add(size == null ? "" : size);
            for (int i = 1; i < BANDWIDTH_FIELDS.size(); i++) r.add("");
          } else {
            TokenBandwidth.Judged ut = b.utilisation(b.theoretical());
            TokenBandwidth.Judged um = b.utilisation(b.measured());
            List<String> notes = new ArrayList<>();
            if (b.bytes() == null) notes.add(b.bytesUnknown());
            if (b.bytes() != null && b.theoretical() != null && ut.value() == null) notes.add(ut.refusal());
            if (b.bytes() != null && b.measured() != null && um.value() == null) notes.add(um.refusal());
            r.addAll(List.of(b.fileBytes(), b.bytes() == null ? "" : Math.round(b.bytes().total()),
                b.bytes() == null ? "" : Math.round(b.bytes().kvBytes()), blank(b.effectiveGBs()), b.fileGBs(),
                b.theoretical() == null ? "" : b.theoretical().gbs(), ut.value() == null ? "" : ut.value(),
                b.measured() == null ? "" : b.measured().gbs(), um.value() == null ? "" : um.value(), String.join("; ", notes)));
          }
          r.add(data.buildOfCell().getOrDefault(c.id(), ""));
          r.addAll(wall(row));
          p.printRecord(r);
        }
        if (!any) {
          List<Object> r = prefix(c, status);
          // a cell without estimates (failed, missing) still has its status, parameters and wall time
          while (r.size() < header.size() - 2) r.add("");
          r.addAll(wall(row));
          p.printRecord(r);
        }
      }
    }
  }

  private static Object blank(double v) { return Double.isNaN(v) ? "" : v; }

  /** cell_wall_s and harness_cpu_s of a cell that ran; empty for one that did not. */
  private static List<Object> wall(CellRow row) {
    boolean ran = row != null && row.seconds() > 0;
    return List.of(ran ? row.seconds() : "", ran && row.harnessCpuS() != null ? row.harnessCpuS() : "");
  }

  private static List<Object> prefix(CellEntry c, String status) {
    List<Object> r = new ArrayList<>(List.of(c.id(), String.join(";", c.experiments()), status));
    for (dev.llamasweep.spec.Axis axis : dev.llamasweep.spec.Axis.values()) {
      Object v = c.params().get(axis);
      r.add(v == null ? "" : v);
    }
    return r;
  }
}
