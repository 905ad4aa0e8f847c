package dev.llamasweep.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llamasweep.execute.CellPlan;
import dev.llamasweep.stats.Estimate;
import dev.llamasweep.stats.Summaries;
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
  private static final ObjectMapper JSON = new ObjectMapper();

  private EnergySection() {}

  static void render(StringBuilder md, List<CellPlan> cells, List<String> keys, ReportData data) {
    List<String> rows = new ArrayList<>();
    Set<String> unknown = new LinkedHashSet<>();
    Set<String> methods = new LinkedHashSet<>();
    Set<String> grouped = new LinkedHashSet<>();
    for (CellPlan c : cells) {
      ReportData.CellRow row = data.cell(c);
      if (row == null || row.power().isEmpty() || !row.status().isOk()) continue;
      JsonNode p;
      try {
        p = JSON.readTree(row.power());
      } catch (IOException e) {
        continue;
      }
      if (p.hasNonNull("unknown")) {
        unknown.add(p.get("unknown").asText());
        continue;
      }
      if (!p.hasNonNull("j_per_token")) continue;
      if (p.hasNonNull("method")) methods.add(p.get("method").asText());
      if (p.path("reps_per_window").size() > 0 && p.path("reps_per_window").get(0).asInt() > 1) {
        grouped.add("`" + c.id() + "` (" + p.path("reps_per_window").size() + " windows of " + p.path("reps_per_window").toString().replaceAll("[\\[\\]]", "")
            .replace(",", "/") + " repetitions)");
      }
      double[] perRep = new double[p.path("j_per_token_per_rep").size()];
      for (int i = 0; i < perRep.length; i++) perRep[i] = p.get("j_per_token_per_rep").get(i).asDouble();
      Estimate e = perRep.length > 0 ? Summaries.of(perRep) : null;
      StringBuilder r = new StringBuilder("|");
      keys.forEach(k -> r.append(' ').append(MarkdownReport.value(c, k)).append(" |"));
      r.append(' ').append(p.path("test").asText()).append(" | ");
      r.append(e == null ? Estimate.num(p.get("j_per_token").asDouble(), 3) : e.format() + ci(e));
      r.append(String.format(Locale.ROOT, " | %.2f J / %d tokens = %.3f J | %.3f | %s | %s | %s | %s | %s | `%s` |",
          p.path("energy_j").asDouble(), p.path("tokens").asLong(), p.path("j_per_token").asDouble(), p.path("tokens_per_j").asDouble(),
          num(p, "avg_w"), num(p, "peak_w"), num(p, "max_temp_c"), p.has("clock_drop_pct") ? p.get("clock_drop_pct").asText() + "%" : "—",
          MarkdownReport.code(p.path("source").asText()), c.id()));
      rows.add(r.toString());
    }
    if (rows.isEmpty() && unknown.isEmpty()) return;
    md.append("### Energy and heat\n\n");
    if (!rows.isEmpty()) {
      md.append("Energy is taken over each tg repetition (the last Σ samples_ns before the benchmark ended): ")
          .append(methods.isEmpty() ? "the trapezoid integral of the source's power" : MarkdownReport.escape(String.join("; ", methods)))
          .append(". A repetition shorter than ").append(Estimate.num(dev.llamasweep.host.PowerSampler.MIN_WINDOW_S, 1))
          .append(" s (ten readings) is too short a window for one figure, so consecutive repetitions are grouped until a window lasts that long")
          .append(grouped.isEmpty() ? "" : " (here: " + String.join(", ", grouped) + "; lengthen generation for a figure per repetition)")
          .append("; `raw/<cell>/power.csv` holds every reading.\n\n|");
      keys.forEach(k -> md.append(' ').append(k.replaceFirst("^config:", "")).append(" |"));
      md.append(" test | J per token (per window) | energy / tokens | tokens per J | avg W | peak W | max °C | clock drop | source | cell |\n|")
          .append("---|".repeat(keys.size() + 10)).append('\n');
      rows.forEach(r -> md.append(r).append('\n'));
      md.append('\n');
    }
    for (String u : unknown) md.append("Power and heat: unknown: ").append(MarkdownReport.escape(u)).append(".\n\n");
  }

  private static String ci(Estimate e) {
    double h = e.ci95();
    return Double.isNaN(h) ? "" : String.format(Locale.ROOT, " [%s, %s]", Estimate.num(e.mean() - h, 3), Estimate.num(e.mean() + h, 3));
  }

  private static String num(JsonNode p, String k) {
    return p.hasNonNull(k) ? Estimate.num(p.get(k).asDouble(), 1) : "—";
  }
}
