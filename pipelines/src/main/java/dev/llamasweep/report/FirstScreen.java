package dev.llamasweep.report;

import dev.llamasweep.results.CellEntry;
import dev.llamasweep.spec.Bench;
import dev.llamasweep.spec.Spec;
import java.util.List;

/** What a reader meets first: where the samples come from, then the pictures, before any prose. */
final class FirstScreen {
  private FirstScreen() {}

  /** Where a sample comes from, per bench the plans hold: llama-bench's own samples_ts when it is the only one, as it always said. */
  static String sampleSources(List<CellEntry> plans) {
    java.util.Set<Bench> benches = java.util.EnumSet.noneOf(Bench.class);
    for (CellEntry p : plans) benches.add(p.bench());
    List<String> parts = new java.util.ArrayList<>();
    if (benches.isEmpty() || benches.contains(Bench.LLAMA_BENCH)) parts.add("llama-bench's per-repetition `samples_ts`");
    if (benches.contains(Bench.SPECULATIVE)) parts.add("llama-server's `timings.predicted_per_second` of each run");
    if (benches.contains(Bench.BATCH)) parts.add("llama-batched-bench's B × steps / `t_tg` of each repetition");
    if (benches.contains(Bench.SERVER)) parts.add("the aggregate output t/s of each round of N streamed requests to llama-server");
    return parts.size() == 1 ? parts.get(0) : String.join(", ", parts.subList(0, parts.size() - 1)) + " and " + parts.get(parts.size() - 1);
  }

  /**
   * Before any prose, the pictures a person reads at a glance: where each generated token's time goes and,
   * for a batch experiment, its curve with the knee stated.
   */
  static void render(StringBuilder md, Spec spec, List<CellEntry> plans, ReportData data, List<Charts.Chart> charts, Derived derived) {
    for (Charts.Chart c : charts) {
      if (c.id().equals(OverviewChart.ID)) md.append("![").append(MarkdownText.escape(c.title())).append("](charts/").append(c.id()).append(".svg)\n\n");
    }
    for (Spec.Experiment x : spec.experiments()) {
      if (x.bench() != Bench.BATCH) continue;
      String headline = BatchSection.headline(x.name(), derived.curves(plans.stream().filter(p -> p.experiments().contains(x.name())).toList()));
      String id = Charts.slug(x.name()) + "-batch-step";
      if (headline == null || charts.stream().noneMatch(c -> c.id().equals(id))) continue;
      md.append("![").append(MarkdownText.escape(x.name())).append(": ms per decode step against B](charts/").append(id).append(".svg)\n\n")
          .append(headline.substring(2)).append("\n\n");
    }
    for (Spec.Experiment x : spec.experiments()) {
      if (x.bench() != Bench.SPECULATIVE) continue;
      String line = SpeculativeSection.firstScreen(x, plans.stream().filter(p -> p.experiments().contains(x.name())).toList(), data, derived.curves());
      if (line != null) md.append(line).append("\n\n");
    }
    for (Spec.Experiment x : spec.experiments()) {
      if (x.bench() != Bench.SERVER) continue;
      String headline = ServerSection.headline(x.name(), plans.stream().filter(p -> p.experiments().contains(x.name())).toList(), data, derived.curves());
      if (headline == null) continue;
      String id = ServerCharts.id(x);
      if (charts.stream().anyMatch(c -> c.id().equals(id))) {
        md.append("![").append(MarkdownText.escape(x.name())).append(": inter-token latency against the requests in flight](charts/").append(id).append(".svg)\n\n");
      }
      md.append(headline.substring(2)).append("\n\n");
    }
    for (Spec.Experiment x : spec.experiments()) {
      String line = RpcSection.firstScreen(x, plans.stream().filter(p -> p.experiments().contains(x.name())).toList(), derived);
      if (line != null) md.append(line).append("\n\n");
    }
  }
}
