package dev.llamasweep.report;

import dev.llamasweep.results.CellRow;

import dev.llamasweep.results.CellEntry;
import dev.llamasweep.stats.Comparison;
import dev.llamasweep.stats.Estimate;
import dev.llamasweep.stats.Summaries;
import dev.llamasweep.spec.Axis;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * For each axis an experiment varies, the seed's comparisons computed rather than typed: relative
 * change with its uncertainty and a within-noise verdict for two values (power-saver → performance,
 * mmap on → off), "X is N× Y" statements for three or more (Vulkan vs ROCm vs CPU), and the
 * coefficient of variation per power profile (the seed found power-saver steadier).
 */
final class ComparisonSection {
  static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

  private ComparisonSection() {}

  /**
   * @param gridAxes the axes the experiment's grid names: cells compare along one of them when
   *     they agree on all the others (values that follow from the backend, like gpu_layers, do not split them)
   */
  static void render(StringBuilder md, List<CellEntry> cells, List<Axis> gridAxes, List<String> tests, ReportData data, Derived derived) {
    List<Axis> varying = gridAxes.stream()
        .filter(a -> cells.stream().map(c -> String.valueOf(c.params().get(a))).distinct().count() > 1).toList();
    for (Axis axis : varying) {
      List<Object> values = cells.stream().map(c -> c.params().get(axis)).distinct().toList();
      // two backends built from different llama.cpp releases: a release comparison, baseline (the older) first
      Map<Object, dev.llamasweep.build.BuildRecord> releaseArms = axis == Axis.BACKEND ? releaseArms(values, data) : null;
      List<Object> outside = List.of();
      if (releaseArms != null) {
        List<Object> arms = new ArrayList<>(releaseArms.keySet());
        outside = values.stream().filter(v -> !releaseArms.containsKey(v)).toList();
        values = arms;
      }
      List<String> others = varying.stream().filter(k -> k != axis).map(k -> k.key).toList();
      Map<String, Map<Object, CellEntry>> groups = new LinkedHashMap<>();
      for (CellEntry c : cells) {
        Map<String, Object> rest = new TreeMap<>();
        for (Axis a : gridAxes) if (a != axis) rest.put(a.key, c.params().get(a));
        groups.computeIfAbsent(rest.toString(), k -> new LinkedHashMap<>()).put(c.params().get(axis), c);
      }
      // a bullet (one text) per line when arms are ratios; else a table row: label, test, a, b, change, verdict
      List<List<String>> lines = new ArrayList<>();
      boolean ratios = releaseArms == null && (values.size() > 2 || axis == Axis.BACKEND || axis == Axis.MODEL);
      for (Map<Object, CellEntry> g : groups.values()) {
        if (g.size() < 2) continue;
        CellEntry any = g.values().iterator().next();
        String label = varying.stream().filter(k -> k != axis).map(k -> String.valueOf(any.params().get(k))).reduce((a, b) -> a + " · " + b).orElse("");
        for (String test : tests) {
          Map<Object, Estimate> est = new LinkedHashMap<>();
          for (Object v : values) {
            CellEntry c = g.get(v);
            Estimate e = c == null ? null : data.estimates().get(new Summaries.Key(c.id(), test));
            if (e != null && data.cell(c) != null && data.cell(c).status().isOk()) est.put(v, e);
          }
          if (est.size() < 2) {
            // an arm that did not run to a result: say the comparison is unknown, never leave a hole that reads as "nothing to see"
            String why = unmeasured(g, values, data);
            if (why != null && lines.stream().noneMatch(l -> String.join(" ", l).contains(why))) {
              lines.add(ratios ? List.of((label.isEmpty() ? "" : MarkdownText.escape(label) + ": ") + "**not compared**: " + why)
                  : List.of(MarkdownText.escape(label), "every test", "—", "—", "—", "**not compared**: " + why));
            }
            continue;
          }
          lines.add(ratios ? List.of(ratioLine(label, test, est, data.threshold())) : changeLine(label, test, est, data.threshold()));
        }
        if (!ratios) {
          // energy per generated token beside speed: lower is better, so the words are "more" and "less energy"
          Map<Object, Estimate> joules = new LinkedHashMap<>();
          String jTest = null;
          for (Object v : values) {
            CellEntry c = g.get(v);
            CellRow row = c == null ? null : data.cell(c);
            Derived.Energy j = row == null || !row.status().isOk() ? null : derived.energy(c);
            if (j != null) {
              joules.put(v, j.perToken());
              jTest = jTest == null || jTest.equals(j.test()) ? j.test() : jTest + " vs " + j.test();
            }
          }
          if (joules.size() == 2) {
            List<Estimate> e = new ArrayList<>(joules.values());
            Comparison c = new Comparison(e.get(1), e.get(0), data.threshold());
            String word = switch (c.verdict()) {
              case FASTER -> "more energy per token";
              case SLOWER -> "less energy per token";
              default -> c.verdictWord();
            };
            lines.add(List.of(MarkdownText.escape(label), "J/token (" + jTest + ")", e.get(0).format() + " J", e.get(1).format() + " J",
                c.formatChange(), word + " (" + c.verdictReason() + ")"));
          }
        }
      }
      if (lines.isEmpty()) continue;
      if (releaseArms != null) {
        List<dev.llamasweep.build.BuildRecord> arms = new ArrayList<>(releaseArms.values());
        md.append("### backend: llama.cpp release ").append(arms.get(0).release().tag()).append(" → ").append(arms.get(1).release().tag())
            .append("\n\n").append(releaseIntro(values, arms));
        String left = unmeasuredArms(cells, outside, data);
        if (left != null) md.append("Not in this comparison: ").append(left).append(".\n\n");
      } else {
        md.append("### ").append(axis.key).append(ratios ? ": how many times faster\n\n" : ": relative change\n\n");
      }
      if (ratios) {
        lines.forEach(l -> md.append("- ").append(l.get(0)).append('\n'));
      } else {
        Object a = values.get(0);
        Object b = values.get(1);
        List<String> headers = new ArrayList<>();
        if (!others.isEmpty()) headers.add(String.join(" · ", others));
        headers.addAll(List.of("test", axis.key + "=" + a, axis.key + "=" + b, b + " vs " + a, "verdict"));
        dev.llamasweep.table.Table table = dev.llamasweep.table.Table.ofText(headers.toArray(String[]::new));
        lines.forEach(l -> table.row(others.isEmpty() ? l.subList(1, l.size()) : l));
        md.append(table.markdown());
        md.append("\n").append(verdictRule(data.threshold())).append('\n');
      }
      md.append('\n');
      if (axis == Axis.PROFILE) cvPerProfile(md, cells, values, tests, data);
    }
  }

  /**
   * The two backends of an axis that were built from different llama.cpp releases, baseline (the older
   * source) first, with their build records; null unless exactly two backends have builds and their
   * releases differ. Arms without a build (skipped, given as binaries) are left to {@link #unmeasuredArms}.
   */
  private static Map<Object, dev.llamasweep.build.BuildRecord> releaseArms(List<Object> values, ReportData data) {
    if (data.host() == null) return null;
    List<Object> built = values.stream().filter(v -> data.host().builds().containsKey(String.valueOf(v))).toList();
    if (built.size() != 2) return null;
    dev.llamasweep.build.BuildRecord a = data.host().builds().get(String.valueOf(built.get(0)));
    dev.llamasweep.build.BuildRecord b = data.host().builds().get(String.valueOf(built.get(1)));
    if (a.release().commit().equals(b.release().commit())) return null;
    Map<Object, dev.llamasweep.build.BuildRecord> out = new LinkedHashMap<>();
    boolean swap = String.valueOf(a.release().date()).compareTo(String.valueOf(b.release().date())) > 0;
    out.put(built.get(swap ? 1 : 0), swap ? b : a);
    out.put(built.get(swap ? 0 : 1), swap ? a : b);
    return out;
  }

  /** "`missing` skipped: backend unavailable (…)" for backends left out of a release comparison, or null when none. */
  private static String unmeasuredArms(List<CellEntry> cells, List<Object> outside, ReportData data) {
    List<String> out = new ArrayList<>();
    for (Object v : outside) {
      CellEntry c = cells.stream().filter(p -> v.equals(p.params().backend())).findFirst().orElse(null);
      CellRow row = c == null ? null : data.cell(c);
      out.add("`" + MarkdownText.escape(String.valueOf(v)) + "` " + (row == null ? "has not run yet"
          : row.status().word + (row.reason().isEmpty() ? "" : ": " + MarkdownText.escape(row.reason()))));
    }
    return out.isEmpty() ? null : String.join("; ", out);
  }

  /** Both builds named (release tag, commit, date, package) and what else differs between the arms, if anything. */
  private static String releaseIntro(List<Object> values, List<dev.llamasweep.build.BuildRecord> arms) {
    dev.llamasweep.build.BuildRecord a = arms.get(0);
    dev.llamasweep.build.BuildRecord b = arms.get(1);
    String also = a.kind().equals(b.kind()) && a.used().equals(b.used()) ? "The two arms differ in the llama.cpp release only (same backend kind, same build options)."
        : "The arms also differ in build: " + a.kind() + " (" + a.used().describe() + ") against " + b.kind() + " (" + b.used().describe() + ").";
    return "Baseline **" + MarkdownText.escape(String.valueOf(values.get(0))) + "**: llama.cpp " + MarkdownText.escape(a.release().describe())
        + "; candidate **" + MarkdownText.escape(String.valueOf(values.get(1))) + "**: llama.cpp " + MarkdownText.escape(b.release().describe())
        + ". " + also + " Per test, the candidate's change against the baseline with its interval and verdict, as llama.cpp's "
        + "compare-llama-bench.py sets a candidate commit against a baseline; bytes per token, the bound and energy of each arm are in the tables below.\n\n";
  }

  /** "amx-on crashed: SIGSEGV (signal 11)" for the arms of a group without a result, or null when every arm ran ok. */
  private static String unmeasured(Map<Object, CellEntry> g, List<Object> values, ReportData data) {
    List<String> out = new ArrayList<>();
    for (Object v : values) {
      CellEntry c = g.get(v);
      if (c == null) continue;
      CellRow row = data.cell(c);
      if (row != null && row.status().isOk()) continue;
      String reason = row == null ? "" : row.reason();
      int cut = reason.indexOf(';');
      out.add(MarkdownText.escape(String.valueOf(v)) + " " + (row == null ? "has not run yet" : row.status().word
          + (reason.isEmpty() ? "" : ": " + (cut > 0 ? reason.substring(0, cut) : reason))));
    }
    return out.isEmpty() ? null : String.join(", ", out) + " (no measurement to compare)";
  }

  /** The one verdict rule, said wherever a verdict is printed. */
  static String verdictRule(double threshold) {
    return "Verdict rule: a change is real only when its 95% confidence interval (Student t; ratio of means by "
        + "first-order propagation of both standard errors, Welch–Satterthwaite degrees of freedom) excludes 0 and it is at least "
        + Estimate.percent(threshold, threshold * 100 == Math.rint(threshold * 100) ? 0 : 1) + " (threshold_pct in the spec); otherwise it is within noise.";
  }

  private static List<String> changeLine(String label, String test, Map<Object, Estimate> est, double threshold) {
    List<Estimate> e = new ArrayList<>(est.values());
    Comparison c = new Comparison(e.get(1), e.get(0), threshold);
    String verdict = c.verdictWord() + " (" + c.verdictReason() + ")";
    return List.of(MarkdownText.escape(label), test, e.get(0).format(), e.get(1).format(), c.formatChange(), verdict);
  }

  private static String ratioLine(String label, String test, Map<Object, Estimate> est, double threshold) {
    List<Map.Entry<Object, Estimate>> sorted = new ArrayList<>(est.entrySet());
    sorted.sort((x, y) -> Double.compare(y.getValue().mean(), x.getValue().mean()));
    Map.Entry<Object, Estimate> top = sorted.get(0);
    List<String> parts = new ArrayList<>();
    for (Map.Entry<Object, Estimate> o : sorted.subList(1, sorted.size())) {
      Comparison c = new Comparison(top.getValue(), o.getValue(), threshold);
      parts.add(String.format(Locale.ROOT, "%.2f× %s (%s vs %s t/s%s)", c.ratio(), o.getKey(), Estimate.num(top.getValue().mean()),
          Estimate.num(o.getValue().mean()), c.verdict() == Comparison.Verdict.WITHIN_NOISE ? ", within noise" : ""));
    }
    return (label.isEmpty() ? "" : MarkdownText.escape(label) + ", ") + test + ": **" + top.getKey() + "** is " + String.join(", ", parts) + ".";
  }

  /** A cell's energy per token over its repetitions (from power.csv through result.json), or null when power is unknown. */
  private static void cvPerProfile(StringBuilder md, List<CellEntry> cells, List<Object> profiles, List<String> tests, ReportData data) {
    md.append("### Spread per profile (coefficient of variation, sd / mean)\n\n");
    List<String> headers = new ArrayList<>(List.of("profile"));
    headers.addAll(tests);
    dev.llamasweep.table.Table table = dev.llamasweep.table.Table.ofText(headers.toArray(String[]::new));
    for (Object p : profiles) {
      List<Object> row = new ArrayList<>(List.of(String.valueOf(p)));
      for (String t : tests) {
        List<Double> cvs = new ArrayList<>();
        for (CellEntry c : cells) {
          if (!p.equals(c.params().profile())) continue;
          Estimate e = data.estimates().get(new Summaries.Key(c.id(), t));
          if (e != null && e.hasSpread()) cvs.add(e.cv());
        }
        row.add(cvs.isEmpty() ? "n/a" : Estimate.percent(cvs.stream().mapToDouble(d -> d).average().orElse(Double.NaN), 2)
            + (cvs.size() > 1 ? " (mean of " + cvs.size() + " cells)" : ""));
      }
      table.row(row);
    }
    md.append(table.markdown()).append('\n');
  }
}
