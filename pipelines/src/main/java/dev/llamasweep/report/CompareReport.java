package dev.llamasweep.report;

import dev.llamasweep.stats.Comparison;
import dev.llamasweep.stats.Estimate;
import dev.llamasweep.stats.Summaries;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.Table;

/**
 * Two result sets side by side (before and after a llama.cpp update, two machines, ...): per
 * matching cell and test, the ratio of means with its propagated uncertainty and a verdict in
 * criterion.rs's spirit. Cells match on what llama.cpp recorded (model file, backend, threads, GPU
 * layers, load mode) plus the profile and draft, and on the test name, so ingested results and our
 * own runs line up whatever a spec called its models.
 */
public final class CompareReport {
  /** What llama.cpp itself recorded about a measurement: the same setup matches whatever the spec called it. */
  private static final List<String> MATCHED_ON = List.of("model_file", "backends", "n_threads", "n_gpu_layers", "load_mode",
      "profile", "draft", "draft_max");

  private CompareReport() {}

  record Side(Map<String, Estimate> byKey, Map<String, String> labels) {}

  static Side read(Path dataDir) {
    Table samples = Summaries.readSamples(dataDir.resolve("samples.csv"));
    Map<String, String> keyOfCell = new LinkedHashMap<>();
    Map<String, String> labelOfCell = new LinkedHashMap<>();
    for (Row row : samples) {
      keyOfCell.computeIfAbsent(row.getString("cell"), c -> {
        List<String> parts = new ArrayList<>();
        List<String> label = new ArrayList<>();
        for (String col : MATCHED_ON) {
          String v = samples.columnNames().contains(col) ? row.getString(col) : "";
          parts.add(col + "=" + v);
          if (!v.isEmpty() && !v.equals("-1")) label.add(col.equals("model_file") || col.equals("backends") ? v : col + "=" + v);
        }
        labelOfCell.put(c, String.join(" · ", label));
        return String.join(",", parts);
      });
    }
    Map<String, Estimate> byKey = new TreeMap<>();
    Map<String, String> labels = new LinkedHashMap<>();
    Summaries.estimates(samples).forEach((k, est) -> {
      String key = keyOfCell.get(k.cell()) + " " + k.test();
      byKey.put(key, est);
      labels.put(key, labelOfCell.get(k.cell()) + " | " + k.test());
    });
    return new Side(byKey, labels);
  }

  public static String render(String nameA, Path dirA, String nameB, Path dirB) {
    Side a = read(dirA);
    Side b = read(dirB);
    StringBuilder md = new StringBuilder();
    md.append("# llama-sweep compare: ").append(MarkdownReport.escape(nameB)).append(" against ").append(MarkdownReport.escape(nameA)).append("\n\n");
    md.append("Baseline A = `").append(dirA).append("`, candidate B = `").append(dirB).append("`. Per matching cell and test: mean ± sample sd ")
        .append("of each side, the change B / A − 1 with its 95% confidence interval, and a verdict. ")
        .append(ComparisonSection.VERDICT_RULE).append(" With one sample on a side (or a source's sd without its n) the verdict is **cannot tell**.\n\n");
    List<String> rows = new ArrayList<>();
    int faster = 0;
    int slower = 0;
    int noise = 0;
    for (Map.Entry<String, Estimate> e : a.byKey().entrySet()) {
      Estimate eb = b.byKey().get(e.getKey());
      if (eb == null) continue;
      Comparison c = new Comparison(eb, e.getValue());
      String verdict = switch (c.verdict()) {
        case FASTER -> { faster++; yield "**faster**"; }
        case SLOWER -> { slower++; yield "**slower**"; }
        case WITHIN_NOISE -> { noise++; yield "within noise"; }
        case UNKNOWN -> "cannot tell";
      };
      rows.add("| " + MarkdownReport.escape(a.labels().get(e.getKey())).replace("\\|", "|") + " | " + e.getValue().format() + " | "
          + eb.format() + " | " + String.format(java.util.Locale.ROOT, "%.3f", c.ratio()) + " | " + c.formatChange() + " | " + verdict + " |");
    }
    long onlyA = a.byKey().keySet().stream().filter(k -> !b.byKey().containsKey(k)).count();
    long onlyB = b.byKey().keySet().stream().filter(k -> !a.byKey().containsKey(k)).count();
    md.append(rows.size()).append(" matching tests: ").append(faster).append(" faster, ").append(slower).append(" slower, ")
        .append(noise).append(" within noise. Only in A: ").append(onlyA).append("; only in B: ").append(onlyB).append(".\n\n");
    if (!rows.isEmpty()) {
      md.append("| cell | test | A (t/s) | B (t/s) | B / A | change (95% CI) | verdict |\n|---|---|---|---|---|---|---|\n");
      rows.forEach(r -> md.append(r).append('\n'));
    }
    return md.toString();
  }
}
