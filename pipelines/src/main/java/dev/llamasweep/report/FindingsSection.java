package dev.llamasweep.report;

import dev.llamasweep.execute.CellPlan;
import dev.llamasweep.spec.Bench;
import dev.llamasweep.spec.Spec;
import dev.llamasweep.stats.Estimate;
import dev.llamasweep.stats.TokenTime;
import dev.llamasweep.stats.WhatIf;
import dev.llamasweep.stats.FlopsPerToken;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the sweep found, first: per experiment, each token-generation cell's speed, what bounds it and
 * the figure that shows it, computed from the same rows the evidence below prints (the bandwidth rows
 * and the fixed-cost decomposition); the tables, walls and cells follow as the evidence.
 */
final class FindingsSection {
  private FindingsSection() {}

  static void render(StringBuilder md, Spec spec, List<CellPlan> plans, ReportData data, TokenBandwidth.Walls walls) {
    List<String> lines = new ArrayList<>();
    List<String> whatIf = new ArrayList<>();
    List<String> whatIfExample = new ArrayList<>();
    Long rate = spec.memory() != null && spec.memory().givenGBs() == null ? spec.memory().transferRateMts() : null;
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (Spec.Experiment x : spec.experiments()) {
      if (x.bench() != Bench.LLAMA_BENCH) continue;
      List<CellPlan> cells = plans.stream().filter(p -> p.experiments().contains(x.name())).toList();
      // a cell is named by what varies in its experiment (model and backend when nothing does)
      List<String> varying = cells.isEmpty() ? List.of() : cells.get(0).params().keySet().stream()
          .filter(k -> cells.stream().map(c -> String.valueOf(c.params().get(k))).distinct().count() > 1).toList();
      List<String> keys = varying.isEmpty() ? List.of("model", "backend") : varying;
      for (TokenBandwidth.Row r : TokenBandwidth.rows(cells, data, walls)) {
        String label = String.join(" ", keys.stream().filter(k -> r.cell().params().get(k) != null).map(k -> k + "=" + r.cell().params().get(k)).toList());
        String who = "**" + MarkdownReport.escape(x.name()) + "** · " + MarkdownReport.escape(label.isEmpty() ? r.cell().id() : label)
            + " · " + r.test() + ": " + r.tg().format() + " t/s";
        TokenTime t = FixedCostSection.decompose(r, data);
        TokenBandwidth.Wall wall = r.measured() != null ? r.measured() : r.theoretical();
        if (t != null && t.bound(null) == TokenTime.Bound.UNRESOLVED) {
          lines.add(String.format(Locale.ROOT, "- %s — bound: **%s** (%.3f ms per token, its skeleton %.3f ms; `%s`).", who,
              TokenTime.Bound.UNRESOLVED.words, t.tokenMs(), t.fixedMs(), r.cell().id()));
        } else if (t != null) {
          double reached = t.reachedGBs();
          lines.add(String.format(Locale.ROOT, "- %s — bound: **%s**. %.3f ms per token = %.3f ms fixed (%s) + %.3f ms moving %s%s; ceiling %s t/s at the wall, "
                  + "%s t/s with infinitely fast memory (`%s`).", who, t.bound(r.measured() == null ? null : r.measured().gbs()).words, t.tokenMs(),
              t.fixedMs(), Estimate.percent(t.fixedShare(), 0), t.movingMs(), dev.llamasweep.stats.BytesPerToken.mb(t.movedBytes()),
              Double.isNaN(reached) ? "" : " at " + Estimate.num(reached, 1) + " GB/s" + (wall == null ? "" : " (" + Estimate.percent(reached / wall.gbs(), 0)
                  + " of the " + wall.kind() + " wall)"),
              wall == null ? "—" : Estimate.num(t.tpsAtWall(wall.gbs()), 1), Estimate.num(t.tpsInfiniteBandwidth(), 1), r.cell().id()));
          if (seen.add(r.cell().id() + " " + r.test())) {
            List<WhatIf.Prediction> p = WhatIf.of(t, r.bytes().kvBytes(), r.bytes().kvTypes(), r.onSystemRam() ? rate : null);
            StringBuilder row = new StringBuilder("| `" + r.cell().id() + "` " + MarkdownReport.escape(label) + " | " + r.test() + " | "
                + Estimate.num(r.tg().mean(), 1) + " |");
            for (WhatIf.Prediction q : p) {
              row.append(' ').append(q.applies() ? Estimate.num(q.tps(), 1) + " (" + String.format(Locale.ROOT, "%+.0f%%", (q.tps() / r.tg().mean() - 1) * 100) + ")"
                  : "—").append(" |");
            }
            whatIf.add(row.toString());
            if (whatIfExample.isEmpty()) {
              whatIfExample.add("For `" + r.cell().id() + "` (" + r.test() + ", " + String.format(Locale.ROOT, "%.3f", t.tokenMs()) + " ms per token = "
                  + String.format(Locale.ROOT, "%.3f fixed + %.3f moving", t.fixedMs(), t.movingMs()) + "):");
              for (WhatIf.Prediction q : p) whatIfExample.add("- " + q.what() + ": " + MarkdownReport.escape(q.arithmetic()) + ".");
            }
          }
        } else if (r.bytes() != null && wall != null) {
          TokenBandwidth.Judged u = r.utilisation(wall);
          lines.add("- " + who + " — reads " + Estimate.num(r.effectiveGBs(), 1) + " GB/s" + (u.value() == null ? "" : ", "
              + Estimate.percent(u.value(), 0) + " of the " + wall.kind() + " wall") + "; the fixed cost per token was not measured, so no bound is named (`"
              + r.cell().id() + "`).");
        }
      }
      for (PromptCompute.Row r : PromptCompute.rows(cells, data)) {
        String label = String.join(" ", keys.stream().filter(k -> r.cell().params().get(k) != null).map(k -> k + "=" + r.cell().params().get(k)).toList());
        String who = "**" + MarkdownReport.escape(x.name()) + "** · " + MarkdownReport.escape(label.isEmpty() ? r.cell().id() : label)
            + " · " + r.test() + ": " + r.pp().format() + " t/s";
        lines.add("- " + who + " — bound: **" + r.bound() + "**. " + FlopsPerToken.flop(r.flops().total()) + " per token × "
            + Estimate.num(r.pp().mean(), 1) + " t/s = " + PromptCompute.tf(r.achievedTflops()) + " TFLOP/s"
            + (r.aboveWall() ? ", above the " + r.type() + " kernel benchmark's " + PromptCompute.tf(r.wall().tflops()) + " TFLOP/s"
                : r.utilisation() == null ? "" : ", " + Estimate.percent(r.utilisation(), 0) + " of " + MarkdownReport.escape(String.valueOf(r.cell().params().get("backend")))
                + "'s " + r.type() + " matrix-product rate of " + PromptCompute.tf(r.wall().tflops()) + " TFLOP/s")
            + " (`" + r.cell().id() + "`).");
      }
    }
    if (lines.isEmpty()) return;
    md.append("## Findings\n\nToken generation and prompt processing, cell by cell: what bounds each and the figures that show it (the rules ")
        .append("are stated under each experiment's \"Time per token\" and \"Prompt processing: compute\"). The evidence follows: host, walls, the fixed cost, drift, then every experiment's tables.\n\n");
    lines.forEach(l -> md.append(l).append('\n'));
    md.append('\n');
    if (whatIf.isEmpty()) return;
    md.append("### What would change the game\n\nEach column changes one term of time per token = fixed + moving and keeps the other: ")
        .append("no fixed cost (1000 / moving ms), twice the bandwidth (the moving term halves), a q8_0 KV cache (34 of every 64 bytes of an ")
        .append("f16 cache; the moving term shrinks with the bytes), the next standard memory speed (the moving term scales with the rate). ")
        .append("Predictions from the decomposition, not measurements: the moving term is assumed to scale with bytes and bandwidth.\n\n");
    whatIfExample.forEach(l -> md.append(l).append('\n'));
    md.append("\n| cell | test | t/s now | no fixed cost | twice the bandwidth | q8_0 KV cache | next memory speed |\n|---|---|---|---|---|---|---|\n");
    whatIf.forEach(l -> md.append(l).append('\n'));
    md.append('\n');
  }
}
