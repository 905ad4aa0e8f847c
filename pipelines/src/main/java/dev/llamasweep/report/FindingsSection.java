package dev.llamasweep.report;

import dev.llamasweep.results.CellEntry;
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

  /**
   * "- **threads** (threads 1 → 2): tg128 +81.2% (faster), pp512 +95.0% (faster) · generation bound by memory in 2 of 2 cells ·
   * threads=1 tg128: 13.1 ms per token = …": the experiment's verdict, its bounds and one figure, in one line.
   */
  static String headline(Spec.Experiment x, List<CellEntry> cells, ReportData data, java.util.Map<String, Integer> bounds, String figure,
      String prompt) {
    StringBuilder h = new StringBuilder("- **").append(MarkdownText.escape(x.name())).append("**");
    String verdict = verdict(x, cells, data);
    if (verdict == null && bounds.isEmpty() && figure == null && prompt == null) return null;
    if (verdict != null) h.append(' ').append(verdict);
    int n = bounds.values().stream().mapToInt(Integer::intValue).sum();
    if (n > 0) {
      List<String> parts = new ArrayList<>();
      bounds.forEach((b, c) -> parts.add(b + (bounds.size() > 1 || n > 1 ? " in " + c + " of " + n + " cells" : "")));
      h.append(verdict == null ? ": " : " · ").append("generation bound by ").append(String.join(", ", parts));
    }
    if (figure != null) h.append(" · ").append(figure);
    if (prompt != null) h.append(verdict == null && n == 0 ? ": " : " · ").append(prompt);
    return h.append('.').toString();
  }

  /**
   * The experiment's first varying grid axis (the model last) compared on its first group of cells that ran: "(backend pinned → newer): tg128 −7.1%
   * (within noise), pp512 +8.1% (within noise)" for two values, "(backend): cpu is 95.1× vulkan at tg16" for more; null when nothing varies.
   */
  static String verdict(Spec.Experiment x, List<CellEntry> cells, ReportData data) {
    // models are what a grid runs the question over, rarely the question: a second model is no "slower" arm of a split mode
    List<dev.llamasweep.spec.Axis> axes = new ArrayList<>(x.grid().keySet());
    axes.sort(java.util.Comparator.comparing(a -> a == dev.llamasweep.spec.Axis.MODEL));
    for (dev.llamasweep.spec.Axis axis : axes) {
      List<Object> values = cells.stream().map(c -> c.params().get(axis)).distinct().toList();
      if (values.size() < 2) continue;
      java.util.Map<String, java.util.Map<Object, CellEntry>> groups = new java.util.LinkedHashMap<>();
      for (CellEntry c : cells) {
        java.util.Map<String, Object> rest = new java.util.TreeMap<>();
        for (dev.llamasweep.spec.Axis o : x.grid().keySet()) if (o != axis) rest.put(o.key, c.params().get(o));
        groups.computeIfAbsent(rest.toString(), k -> new java.util.LinkedHashMap<>()).put(c.params().get(axis), c);
      }
      for (java.util.Map<Object, CellEntry> g : groups.values()) {
        List<CellEntry> ran = values.stream().map(g::get).filter(c -> c != null && data.cell(c) != null && data.cell(c).status().isOk()).toList();
        if (ran.size() < 2) continue;
        List<String> tests = new ArrayList<>(data.testsOf(ran.get(0).id()).keySet());
        tests.sort(java.util.Comparator.comparing((String t) -> dev.llamasweep.llamacpp.TestShape.kindOf(t) != dev.llamasweep.llamacpp.TestShape.Kind.TG));
        List<String> out = new ArrayList<>();
        for (String test : tests) {
          Estimate base = data.testsOf(ran.get(0).id()).get(test);
          Estimate cand = data.testsOf(ran.get(1).id()).get(test);
          if (base == null || cand == null) continue;
          if (ran.size() == 2) {
            dev.llamasweep.stats.Comparison cmp = new dev.llamasweep.stats.Comparison(cand, base, data.threshold());
            out.add(test + " " + cmp.formatChange().replaceFirst(" \\(95% CI.*$", "") + " (" + cmp.verdictWord() + ")");
          } else {
            CellEntry fastest = ran.stream().max(java.util.Comparator.comparingDouble(c -> est(data, c, test))).orElseThrow();
            CellEntry slowest = ran.stream().min(java.util.Comparator.comparingDouble(c -> est(data, c, test))).orElseThrow();
            out.add(String.format(Locale.ROOT, "at %s %s is %.2f× %s", test, MarkdownText.escape(String.valueOf(fastest.params().get(axis))),
                est(data, fastest, test) / est(data, slowest, test), MarkdownText.escape(String.valueOf(slowest.params().get(axis)))));
          }
          if (out.size() == 2) break;
        }
        if (out.isEmpty()) continue;
        String arms = ran.size() == 2 ? " " + MarkdownText.escape(String.valueOf(ran.get(0).params().get(axis))) + " → "
            + MarkdownText.escape(String.valueOf(ran.get(1).params().get(axis))) : "";
        return "(" + axis.key + arms + "): " + String.join(", ", out);
      }
    }
    return null;
  }

  private static double est(ReportData data, CellEntry c, String test) {
    Estimate e = data.testsOf(c.id()).get(test);
    return e == null ? Double.NaN : e.mean();
  }

  static void render(StringBuilder md, Spec spec, List<CellEntry> plans, ReportData data, Derived derived) {
    List<String> headlines = new ArrayList<>();
    List<String> lines = new ArrayList<>();
    dev.llamasweep.table.Table whatIf = dev.llamasweep.table.Table.ofText("cell", "test", "t/s now", "no fixed cost", "twice the bandwidth",
        "q8_0 KV cache", "next memory speed");
    List<String> whatIfExample = new ArrayList<>();
    Long rate = spec.memory() != null && spec.memory().givenGBs() == null ? spec.memory().transferRateMts() : null;
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (Spec.Experiment x : spec.experiments()) {
      if (x.bench() == Bench.BATCH) {
        String h = BatchSection.headline(x.name(), derived.curves(plans.stream().filter(p -> p.experiments().contains(x.name())).toList()));
        if (h != null) headlines.add(h);
        continue;
      }
      if (x.bench() == Bench.SERVER) {
        String h = ServerSection.headline(x.name(), plans.stream().filter(p -> p.experiments().contains(x.name())).toList(), data, derived.curves());
        if (h != null) headlines.add(h);
        continue;
      }
      if (x.bench() != Bench.LLAMA_BENCH) continue;
      List<CellEntry> cells = plans.stream().filter(p -> p.experiments().contains(x.name())).toList();
      // a cell is named by what varies in its experiment (model and backend when nothing does)
      List<dev.llamasweep.spec.Axis> varying = cells.isEmpty() ? List.of() : dev.llamasweep.spec.Axis.inKeyOrder().stream()
          .filter(k -> cells.stream().map(c -> String.valueOf(c.params().get(k))).distinct().count() > 1).toList();
      List<dev.llamasweep.spec.Axis> keys = varying.isEmpty() ? List.of(dev.llamasweep.spec.Axis.MODEL, dev.llamasweep.spec.Axis.BACKEND) : varying;
      java.util.Map<String, Integer> bounds = new java.util.LinkedHashMap<>();
      String figure = null;
      for (TokenBandwidth.Row r : derived.bandwidth(cells)) {
        String label = r.cell().cell().label(keys);
        String who = "**" + MarkdownText.escape(x.name()) + "** · " + MarkdownText.escape(label.isEmpty() ? r.cell().id() : label)
            + " · " + r.test() + ": " + r.tg().format() + " t/s";
        TokenTime t = derived.time(r);
        TokenBandwidth.Wall wall = r.measured() != null ? r.measured() : r.theoretical();
        if (t != null && t.bound(null) == TokenTime.Bound.UNRESOLVED) {
          lines.add(String.format(Locale.ROOT, "- %s — bound: **%s** (%.3f ms per token, its skeleton %.3f ms; `%s`).", who,
              TokenTime.Bound.UNRESOLVED.words, t.tokenMs(), t.fixedMs(), r.cell().id()));
        } else if (t != null) {
          double reached = t.reachedGBs();
          TokenTime.Bound b = derived.bound(r);
          bounds.merge(b == TokenTime.Bound.KERNELS ? "kernels" : b == TokenTime.Bound.FIXED_COST ? "fixed cost"
              : b == TokenTime.Bound.NO_WALL ? "not named (wall unknown)" : b == TokenTime.Bound.RPC ? "the RPC path" : "memory", 1, Integer::sum);
          if (figure == null) {
            figure = String.format(Locale.ROOT, "%s %s: %.3f ms per token = %.3f fixed + %.3f moving%s", MarkdownText.escape(label), r.test(),
                t.tokenMs(), t.fixedMs(), t.movingMs(), Double.isNaN(reached) ? "" : " at " + Estimate.num(reached, 1) + " GB/s"
                    + (wall == null ? "" : ", " + FixedCostSection.ofWall(reached, wall)));
          }
          lines.add(String.format(Locale.ROOT, "- %s — bound: **%s**. %.3f ms per token = %.3f ms fixed (%s) + %.3f ms moving %s%s; ceiling %s t/s at the wall, "
                  + "%s t/s with infinitely fast memory (`%s`).", who, derived.bound(r).words, t.tokenMs(),
              t.fixedMs(), Estimate.percent(t.fixedShare(), 0), t.movingMs(), dev.llamasweep.stats.BytesPerToken.mb(t.movedBytes()),
              Double.isNaN(reached) ? "" : " at " + Estimate.num(reached, 1) + " GB/s" + (wall == null ? "" : " (" + FixedCostSection.ofWall(reached, wall) + ")"),
              FixedCostSection.ceilingAtWall(t, wall), Estimate.num(t.tpsInfiniteBandwidth(), 1), r.cell().id()));
          if (seen.add(r.cell().id() + " " + r.test())) {
            List<WhatIf.Prediction> p = WhatIf.of(t, r.bytes().kvBytes(), r.bytes().kvTypes(), r.onSystemRam() ? rate : null,
                r.onSystemRam() ? null : "the weights sit in " + r.memory().describe() + "'s own memory, which has no DIMM speed grade to step up");
            List<Object> row = new ArrayList<>(List.of("`" + r.cell().id() + "` " + MarkdownText.escape(label), r.test(), Estimate.num(r.tg().mean(), 1)));
            for (WhatIf.Prediction q : p) {
              row.add(q.applies() ? Estimate.num(q.tps(), 1) + " (" + String.format(Locale.ROOT, "%+.0f%%", (q.tps() / r.tg().mean() - 1) * 100) + ")" : "—");
            }
            whatIf.row(row);
            if (whatIfExample.isEmpty()) {
              whatIfExample.add("For `" + r.cell().id() + "` (" + r.test() + ", " + String.format(Locale.ROOT, "%.3f", t.tokenMs()) + " ms per token = "
                  + String.format(Locale.ROOT, "%.3f fixed + %.3f moving", t.fixedMs(), t.movingMs()) + "):");
              for (WhatIf.Prediction q : p) whatIfExample.add("- " + q.what() + ": " + MarkdownText.escape(q.arithmetic()) + ".");
            }
          }
        } else if (r.bytes() != null && wall != null) {
          TokenBandwidth.Judged u = r.utilisation(wall);
          lines.add("- " + who + " — reads " + Estimate.num(r.effectiveGBs(), 1) + " GB/s" + (u.value() == null ? "" : ", "
              + Estimate.percent(u.value(), 0) + " of the " + wall.kind() + " wall") + "; the fixed cost per token was not measured, so no bound is named (`"
              + r.cell().id() + "`).");
        }
      }
      String prompt = null;
      for (PromptCompute.Row r : derived.prompts(cells)) {
        if (prompt == null) {
          prompt = "prompts: " + r.test() + " at " + PromptCompute.tf(r.achievedTflops()) + " TFLOP/s" + (r.utilisation() != null
              ? ", " + Estimate.percent(r.utilisation(), 0) + " of the " + r.type() + " matrix-product rate (" + r.bound().words + ")"
              : r.aboveWall() ? ", above the kernel benchmark (no bound named)" : "");
        }
        String label = r.cell().cell().label(keys);
        String who = "**" + MarkdownText.escape(x.name()) + "** · " + MarkdownText.escape(label.isEmpty() ? r.cell().id() : label)
            + " · " + r.test() + ": " + r.pp().format() + " t/s";
        lines.add("- " + who + " — bound: **" + r.bound().words + "**. " + FlopsPerToken.flop(r.flops().total()) + " per token × "
            + Estimate.num(r.pp().mean(), 1) + " t/s = " + PromptCompute.tf(r.achievedTflops()) + " TFLOP/s"
            + (r.aboveWall() ? ", above the " + r.type() + " kernel benchmark's " + PromptCompute.tf(r.wall().tflops()) + " TFLOP/s"
                : r.utilisation() == null ? "" : ", " + Estimate.percent(r.utilisation(), 0) + " of " + MarkdownText.escape(String.valueOf(r.cell().params().backend()))
                + "'s " + r.type() + " matrix-product rate of " + PromptCompute.tf(r.wall().tflops()) + " TFLOP/s")
            + " (`" + r.cell().id() + "`).");
      }
      String h = headline(x, cells, data, bounds, figure, prompt);
      if (h != null) headlines.add(h);
    }
    if (lines.isEmpty() && headlines.isEmpty()) return;
    md.append("## Findings\n\nPer experiment: what changed between its arms (the verdict of its first test), what bounds token generation ")
        .append("and a figure that shows it; each cell's own line follows, folded (the rules are stated under each experiment's \"Time per ")
        .append("token\" and \"Prompt processing: compute\"). The evidence comes after: host, walls, the fixed cost, drift, then every experiment's tables.\n\n");
    headlines.forEach(l -> md.append(l).append('\n'));
    if (!lines.isEmpty()) {
      md.append("\n<details><summary>Each cell: its bound and the arithmetic (").append(lines.size()).append(" lines)</summary>\n\n");
      lines.forEach(l -> md.append(l).append('\n'));
      md.append("\n</details>\n");
    }
    md.append('\n');
    if (whatIf.isEmpty()) return;
    md.append("### What would change the game\n\nEach column changes one term of time per token = fixed + moving and keeps the other: ")
        .append("no fixed cost (1000 / moving ms), twice the bandwidth (the moving term halves), a q8_0 KV cache (34 of every 64 bytes of an ")
        .append("f16 cache; the moving term shrinks with the bytes), the next standard memory speed (the moving term scales with the rate). ")
        .append("Predictions from the decomposition, not measurements: the moving term is assumed to scale with bytes and bandwidth.\n\n");
    whatIfExample.forEach(l -> md.append(l).append('\n'));
    md.append('\n').append(whatIf.markdown()).append('\n');
  }
}
