package dev.llamasweep.report;

import dev.llamasweep.execute.CellPlan;
import dev.llamasweep.spec.Bench;
import dev.llamasweep.spec.Spec;
import dev.llamasweep.stats.Estimate;
import dev.llamasweep.stats.TokenTime;
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
        if (t != null) {
          double reached = t.reachedGBs();
          lines.add(String.format(Locale.ROOT, "- %s — bound: **%s**. %.3f ms per token = %.3f ms fixed (%s) + %.3f ms moving %s%s; ceiling %s t/s at the wall, "
                  + "%s t/s with infinitely fast memory (`%s`).", who, t.bound(r.measured() == null ? null : r.measured().gbs()).words, t.tokenMs(),
              t.fixedMs(), Estimate.percent(t.fixedShare(), 0), t.movingMs(), dev.llamasweep.stats.BytesPerToken.mb(t.movedBytes()),
              Double.isNaN(reached) ? "" : " at " + Estimate.num(reached, 1) + " GB/s" + (wall == null ? "" : " (" + Estimate.percent(reached / wall.gbs(), 0)
                  + " of the " + wall.kind() + " wall)"),
              wall == null ? "—" : Estimate.num(t.tpsAtWall(wall.gbs()), 1), Estimate.num(t.tpsInfiniteBandwidth(), 1), r.cell().id()));
        } else if (r.bytes() != null && wall != null) {
          TokenBandwidth.Judged u = r.utilisation(wall);
          lines.add("- " + who + " — reads " + Estimate.num(r.effectiveGBs(), 1) + " GB/s" + (u.value() == null ? "" : ", "
              + Estimate.percent(u.value(), 0) + " of the " + wall.kind() + " wall") + "; the fixed cost per token was not measured, so no bound is named (`"
              + r.cell().id() + "`).");
        }
      }
    }
    if (lines.isEmpty()) return;
    md.append("## Findings\n\nToken generation, cell by cell: what bounds it and the figures that show it (the rule is stated under each ")
        .append("experiment's \"Time per token\"). The evidence follows: host, walls, the fixed cost, drift, then every experiment's tables.\n\n");
    lines.forEach(l -> md.append(l).append('\n'));
    md.append('\n');
  }
}
