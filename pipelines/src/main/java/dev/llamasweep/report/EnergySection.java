package dev.llamasweep.report;

import dev.llamasweep.host.PowerRecord;
import dev.llamasweep.results.CellRow;

import dev.llamasweep.results.CellEntry;
import dev.llamasweep.stats.Estimate;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * "Energy and heat" per experiment: energy per generated token (per repetition, mean ± sd with its
 * 95% interval), tokens per joule, average and peak watts of the chosen source, the hottest sensor
 * and the clock drop, each traceable to the cell's power.csv; or why power is unknown here.
 */
final class EnergySection {

  private EnergySection() {}

  static void render(StringBuilder md, List<CellEntry> cells, List<String> keys, ReportData data, Derived derived) {
    List<List<Object>> rows = new ArrayList<>();
    Set<String> unknown = new LinkedHashSet<>();
    Set<String> methods = new LinkedHashSet<>();
    Set<String> grouped = new LinkedHashSet<>();
    for (CellEntry c : cells) {
      CellRow row = data.cell(c);
      if (row == null || row.power() == null || !row.status().isOk()) continue;
      PowerRecord p = row.power();
      if (p.unknown() != null) {
        unknown.add(p.unknown());
        continue;
      }
      if (p.jPerToken() == null) continue;
      if (p.method() != null) methods.add(p.method());
      if (!p.repsPerWindow().isEmpty() && p.repsPerWindow().get(0) > 1) {
        grouped.add("`" + c.id() + "` (" + p.repsPerWindow().size() + " windows of "
            + String.join("/", p.repsPerWindow().stream().map(String::valueOf).toList()) + " repetitions)");
      }
      Derived.Energy energy = derived.energy(c);
      Estimate e = energy == null ? null : energy.perToken();
      List<Object> r = new java.util.ArrayList<>();
      keys.forEach(k -> r.add(CellColumns.value(c, k)));
      r.add(p.test());
      r.add(e == null ? Estimate.num(p.jPerToken(), 3) : e.format() + ci(e));
      r.addAll(List.of(String.format(Locale.ROOT, "%.2f J / %d tokens = %.3f J", p.energyJ(), p.tokens(), p.jPerToken()),
          String.format(Locale.ROOT, "%.3f", p.tokensPerJ()), num(p.avgW()), num(p.peakW()), num(p.maxTempC()),
          p.clockDropPct() != null ? p.clockDropPct() + "%" : "—", MarkdownText.code(p.source()), "`" + c.id() + "`"));
      rows.add(r);
    }
    if (rows.isEmpty() && unknown.isEmpty()) return;
    md.append("### Energy and heat\n\n");
    if (!rows.isEmpty()) {
      md.append("Energy is taken over each tg repetition (the last Σ samples_ns before the benchmark ended): ")
          .append(methods.isEmpty() ? "the trapezoid integral of the source's power" : MarkdownText.escape(String.join("; ", methods)))
          .append(". A repetition shorter than ").append(Estimate.num(dev.llamasweep.host.PowerSampler.MIN_WINDOW_S, 1))
          .append(" s (ten readings) is too short a window for one figure, so consecutive repetitions are grouped until a window lasts that long")
          .append(grouped.isEmpty() ? "" : " (here: " + String.join(", ", grouped) + "; lengthen generation for a figure per repetition)")
          .append("; `raw/<cell>/power.csv` holds every reading.\n\n");
      List<String> headers = new java.util.ArrayList<>();
      keys.forEach(k -> headers.add(k.replaceFirst("^config:", "")));
      headers.addAll(List.of("test", "J per token (per window)", "energy / tokens", "tokens per J", "avg W", "peak W", "max °C", "clock drop", "source", "cell"));
      dev.llamasweep.table.Table table = dev.llamasweep.table.Table.ofText(headers.toArray(String[]::new));
      rows.forEach(table::row);
      md.append(table.markdown()).append('\n');
    }
    for (String u : unknown) md.append("Power and heat: unknown: ").append(MarkdownText.escape(u)).append(".\n\n");
  }

  private static String ci(Estimate e) {
    double h = e.ci95();
    return Double.isNaN(h) ? "" : String.format(Locale.ROOT, " [%s, %s]", Estimate.num(e.mean() - h, 3), Estimate.num(e.mean() + h, 3));
  }

  private static String num(Double v) {
    return v != null ? Estimate.num(v, 1) : "—";
  }
}
