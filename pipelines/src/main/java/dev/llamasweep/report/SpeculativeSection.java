package dev.llamasweep.report;

import dev.llamasweep.results.CellRow;

import dev.llamasweep.results.CellEntry;
import dev.llamasweep.spec.Axis;
import dev.llamasweep.spec.Spec;
import dev.llamasweep.stats.Bandwidth;
import dev.llamasweep.stats.Comparison;
import dev.llamasweep.stats.Estimate;
import dev.llamasweep.stats.Summaries;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The seed's speculative table, per prompt (and any other axis but draft and draft_max): config,
 * generation t/s, change against the measured baseline with its uncertainty, draft acceptance,
 * tokens drafted and accepted per run, and the apparent bandwidth that shows how speculative
 * decoding goes around the memory wall.
 */
final class SpeculativeSection {
  private SpeculativeSection() {}

  static void render(StringBuilder md, Spec spec, Spec.Experiment x, List<CellEntry> cells, ReportData data, Double peak,
      List<BatchSection.Curve> curves) {
    md.append("Each repetition starts llama-server, generates the same number of tokens from the same prompt with greedy ")
        .append("sampling and a fixed seed, and reads `timings.predicted_per_second`; the target alone is measured the same way. ")
        .append("Speculative decoding goes around the bandwidth wall, not through it: the target's weights are read once per ")
        .append("verification batch, which checks several drafted tokens at once, so target bytes × generated t/s — the ")
        .append("*apparent* bandwidth — can exceed what the memory can deliver; the bytes model counts what each token really reads: ")
        .append("N − A passes of the target for N tokens with A drafts accepted, plus one pass of the draft per drafted token")
        .append(peak == null ? ".\n\n" : " (" + MarkdownText.trim(peak) + " GB/s here).\n\n");
    Map<Axis, Object> baselinePoint = x.baseline() == null ? Map.of(Axis.DRAFT_MAX, 0L) : x.baseline();

    Map<String, List<CellEntry>> groups = new LinkedHashMap<>();
    for (CellEntry c : cells) groups.computeIfAbsent(groupKey(c), k -> new ArrayList<>()).add(c);
    List<Axis> varying = varyingGroupAxes(cells);
    for (List<CellEntry> group : groups.values()) {
      CellEntry first = group.get(0);
      md.append("### ");
      List<String> parts = new ArrayList<>();
      for (Axis k : varying) parts.add(k.key + " " + MarkdownText.escape(String.valueOf(first.params().get(k))));
      md.append(parts.isEmpty() ? "model " + first.params().model() : String.join(", ", parts)).append("\n\n");
      group.sort(Comparator.comparingLong((CellEntry c) -> c.params().draftMax())
          .thenComparing(c -> String.valueOf(c.params().draft())));
      CellEntry base = group.stream().filter(c -> isBaseline(c, baselinePoint)).findFirst().orElse(null);
      Estimate baseEst = base == null ? null : estimate(base, data);

      dev.llamasweep.table.Table table = dev.llamasweep.table.Table.ofText("config", "tg t/s", "vs baseline", "draft acceptance",
          "drafted / accepted per run", "apparent bandwidth", "weights read per token (bytes model)", "n", "cell");
      List<Candidate> candidates = new ArrayList<>();
      java.util.Set<String> acceptanceNotes = new java.util.LinkedHashSet<>();
      for (CellEntry c : group) {
        boolean isBase = c == base;
        String config = isBase ? "target alone (baseline)" : "+ " + MarkdownText.escape(String.valueOf(c.params().draft()))
            + ", draft-max=" + c.params().draftMax();
        CellRow row = data.cell(c);
        Estimate e = estimate(c, data);
        if (row == null || !row.status().isOk() || e == null) {
          String why = row == null ? "missing: not run yet" : row.status().word + (row.reason().isEmpty() ? "" : ": " + row.reason());
          table.row(config, "**" + MarkdownText.escape(why) + "**", "—", "—", "—", "—", "—", "—", "`" + c.id() + "`");
          continue;
        }
        List<Object> values = new ArrayList<>(List.of(config, e.format()));
        if (isBase) {
          values.add("—");
        } else if (baseEst == null) {
          values.add("no baseline measured");
        } else {
          Comparison cmp = new Comparison(e, baseEst, data.threshold());
          values.add(cmp.formatChange());
          candidates.add(new Candidate(c, e, cmp));
        }
        ReportData.Drafts d = data.drafts().get(c.id());
        if (isBase || d == null || d.drafted() == 0) {
          values.add("—");
          values.add("—");
        } else {
          String note = acceptanceCaveat(spec, String.valueOf(c.params().model()), String.valueOf(c.params().draft()));
          if (note != null) acceptanceNotes.add(note);
          values.add(Estimate.percent(d.acceptance(), 1) + (note == null ? "" : " ¹"));
          values.add(String.format(Locale.ROOT, "%.0f / %.0f", (double) d.drafted() / d.runs(), (double) d.accepted() / d.runs()));
        }
        Long size = data.modelSize().get(c.id());
        if (size == null || size <= 0) {
          values.add("n/a");
        } else {
          double apparent = Bandwidth.effectiveGBs(size, e.mean());
          String bw = String.format(Locale.ROOT, "%.4f GB × %s t/s = %.2f GB/s", size / 1e9, MarkdownText.trim2(e.mean()), apparent);
          // never a utilisation above 100%: beyond the wall the figure is only apparent, and says so
          if (peak != null) bw += apparent <= peak ? String.format(Locale.ROOT, " (%s of the peak)", Estimate.percent(apparent / peak, 0))
              : String.format(Locale.ROOT, " (%.2f× the wall: only apparent, the target's weights are read once per verified batch)", apparent / peak);
          values.add(bw);
        }
        values.add(bytesModel(c, isBase, d, e, data, peak));
        values.add(String.valueOf(e.n()));
        values.add("`" + c.id() + "`");
        table.row(values);
      }
      md.append(table.markdown());
      md.append('\n');
      for (String note : acceptanceNotes) md.append("¹ ").append(note).append("\n\n");
      md.append(best(candidates, data.threshold())).append("\n\n");
      BatchSection.againstMeasured(md, candidates.stream().map(Candidate::cell).toList(), baseEst, data, curves);
    }
  }

  /**
   * The weights a generated token really costs, from the bytes model instead of the file size: each
   * verification batch reads the target's weights once and yields its accepted drafts plus one token, so a
   * run of N tokens with A accepted takes N − A target passes; each drafted token is one pass of the draft.
   * Weights per generated token = ((N − A) × target + D × draft) / N; × t/s, that is bandwidth the memory
   * really delivered, which stays under the wall where the apparent figure does not.
   */
  static String bytesModel(CellEntry c, boolean isBase, ReportData.Drafts d, Estimate e, ReportData data, Double peak) {
    dev.llamasweep.results.ModelHeaders.Entry target = data.models().get(String.valueOf(c.params().model()));
    if (target == null) return "— (no GGUF header)";
    double tw = dev.llamasweep.stats.BytesPerToken.of(target.shape(), 2, 2, "f16/f16", 0).weightBytes();
    double perToken;
    String how;
    if (isBase || d == null || d.runs() == 0) {
      perToken = tw;
      how = "target " + dev.llamasweep.stats.BytesPerToken.mb(tw);
    } else {
      dev.llamasweep.results.ModelHeaders.Entry draft = data.models().get(String.valueOf(c.params().draft()));
      if (draft == null || !c.params().has(Axis.GENERATE)) return "— (no draft header or token count)";
      double dw = dev.llamasweep.stats.BytesPerToken.of(draft.shape(), 2, 2, "f16/f16", 0).weightBytes();
      double n = c.params().generate();
      double accepted = (double) d.accepted() / d.runs();
      double drafted = (double) d.drafted() / d.runs();
      double passes = Math.max(1, n - accepted);
      perToken = (passes * tw + drafted * dw) / n;
      how = String.format(Locale.ROOT, "(%.0f × %s + %.0f × %s) / %.0f = %s", passes, dev.llamasweep.stats.BytesPerToken.mb(tw), drafted,
          dev.llamasweep.stats.BytesPerToken.mb(dw), n, dev.llamasweep.stats.BytesPerToken.mb(perToken));
    }
    double gbs = Bandwidth.effectiveGBs(perToken, e.mean());
    String share = peak == null ? "" : gbs <= peak ? " (" + Estimate.percent(gbs / peak, 0) + " of the peak)" : " (above the peak: the bytes model is wrong here)";
    return how + " × " + MarkdownText.trim2(e.mean()) + " t/s = " + String.format(Locale.ROOT, "%.2f GB/s", gbs) + share;
  }

  /**
   * Why an acceptance figure says nothing about real models, or null when it does: the synthetic pair
   * agrees by construction, and random weights draft nothing a real target would accept or reject.
   */
  static String acceptanceCaveat(Spec spec, String target, String draft) {
    Spec.Model t = spec.models().get(target);
    Spec.Model d = spec.models().get(draft);
    if (t == null || d == null) return null;
    if ("target".equals(t.synthetic()) && "draft".equals(d.synthetic())) {
      return "True by construction, not measured: the synthetic draft is the target's first layer and the target's other layers "
          + "pass the residual stream through unchanged, so the target accepts every drafted token. Only the cost side of speculative "
          + "decoding is measured here; a real draft's acceptance depends on the text (the seed measured +40% to +82% with Qwen3-0.6B for Qwen3-8B).";
    }
    if (t.synthetic() != null || d.synthetic() != null) {
      return "Random weights: what the draft proposes and the target accepts means nothing for real models of these shapes; "
          + "only the cost of drafting and verifying is measured.";
    }
    return null;
  }

  private record Candidate(CellEntry cell, Estimate estimate, Comparison vsBaseline) {}

  /**
   * The first screen's line of a speculative experiment: per group (model, prompt, …), each arm's predicted
   * against measured speed-up; null where no arm has a prediction (no batch curves of the pair).
   */
  static String firstScreen(Spec.Experiment x, List<CellEntry> cells, ReportData data, List<BatchSection.Curve> curves) {
    Map<Axis, Object> baselinePoint = x.baseline() == null ? Map.of(Axis.DRAFT_MAX, 0L) : x.baseline();
    Map<String, List<CellEntry>> groups = new LinkedHashMap<>();
    for (CellEntry c : cells) groups.computeIfAbsent(groupKey(c), k -> new ArrayList<>()).add(c);
    List<Axis> varying = varyingGroupAxes(cells);
    List<String> parts = new ArrayList<>();
    for (List<CellEntry> group : groups.values()) {
      CellEntry base = group.stream().filter(c -> isBaseline(c, baselinePoint)).findFirst().orElse(null);
      Estimate baseEst = base == null ? null : estimate(base, data);
      List<CellEntry> arms = group.stream().filter(c -> c != base).toList();
      List<BatchSection.ArmPrediction> ps = BatchSection.predictions(arms, baseEst, data, curves);
      if (ps.isEmpty()) continue;
      CellEntry first = group.get(0);
      List<String> name = new ArrayList<>();
      for (Axis k : varying) name.add(k == Axis.PROMPT_FILE ? java.nio.file.Path.of(String.valueOf(first.params().get(k))).getFileName().toString()
          : MarkdownText.escape(String.valueOf(first.params().get(k))));
      parts.add((name.isEmpty() ? "" : String.join(", ", name) + ": ") + String.join("; ", ps.stream().map(BatchSection.ArmPrediction::line).toList()));
    }
    return parts.isEmpty() ? null : "**" + MarkdownText.escape(x.name()) + "**: speed-up predicted from the batch curves against measured — "
        + String.join(" · ", parts) + ".";
  }

  /** Names the best draft-max and says how sure we are of it. */
  static String best(List<Candidate> candidates, double threshold) {
    if (candidates.isEmpty()) return "No speculative configuration could be compared with a measured baseline.";
    candidates.sort(Comparator.comparingDouble((Candidate c) -> c.estimate().mean()).reversed());
    Candidate top = candidates.get(0);
    String name = "draft-max " + top.cell().params().draftMax();
    StringBuilder sb = new StringBuilder();
    switch (top.vsBaseline().verdict()) {
      case FASTER -> sb.append("**Best: ").append(name).append("**, ").append(top.vsBaseline().formatChange())
          .append(" over the target alone (").append(Estimate.num(top.estimate().mean())).append(" vs ")
          .append(Estimate.num(top.vsBaseline().baseline().mean())).append(" t/s).");
      case WITHIN_NOISE -> sb.append("No draft-max is clearly faster than the target alone: the best, ").append(name).append(" (")
          .append(top.vsBaseline().formatChange()).append("), is within the noise of the baseline.");
      case SLOWER -> sb.append("Every draft-max was slower than the target alone here; the least slow was ").append(name)
          .append(" (").append(top.vsBaseline().formatChange()).append(").");
      case UNKNOWN -> sb.append("Best measured: ").append(name).append(" (").append(top.vsBaseline().formatChange())
          .append("), but one side has no spread to judge it by.");
    }
    List<String> ties = new ArrayList<>();
    for (Candidate c : candidates.subList(1, candidates.size())) {
      Comparison vsTop = new Comparison(c.estimate(), top.estimate(), threshold);
      if (vsTop.verdict() == Comparison.Verdict.WITHIN_NOISE) {
        ties.add("draft-max " + c.cell().params().draftMax() + String.format(Locale.ROOT, " (%s t/s, %s, within noise)",
            Estimate.num(c.estimate().mean()), vsTop.formatChange()));
      }
    }
    if (!ties.isEmpty() && top.vsBaseline().verdict() == Comparison.Verdict.FASTER) {
      sb.append(" Inside the noise of it, so as good: ").append(String.join(", ", ties)).append('.');
    }
    return sb.toString();
  }

  private static Estimate estimate(CellEntry c, ReportData data) {
    return data.testsOf(c.id()).values().stream().findFirst().orElse(null);
  }

  static boolean isBaseline(CellEntry c, Map<Axis, Object> point) {
    return point.entrySet().stream().allMatch(e -> Objects.equals(e.getValue(), c.params().get(e.getKey())));
  }

  /** Every parameter but the draft and its size: cells with the same key compare with each other. */
  private static String groupKey(CellEntry c) {
    return c.params().with(Axis.DRAFT_MAX, null).with(Axis.DRAFT, null).asMap().toString();
  }

  private static List<Axis> varyingGroupAxes(List<CellEntry> cells) {
    List<Axis> out = new ArrayList<>();
    for (Axis a : Axis.values()) {
      if (a == Axis.DRAFT || a == Axis.DRAFT_MAX) continue;
      if (cells.stream().map(c -> String.valueOf(c.params().get(a))).distinct().count() > 1) out.add(a);
    }
    return out;
  }
}
