package dev.llamasweep.report;

import dev.llamasweep.results.DriftAnchors;
import dev.llamasweep.stats.Comparison;
import dev.llamasweep.stats.Estimate;
import java.util.Map;

/**
 * "Drift": every measurement of the anchor cell in time order, each against the one before with the
 * one verdict rule, and the cells that ran while it moved (they carry a DRIFT warning too).
 */
final class DriftSection {
  private DriftSection() {}

  static void render(StringBuilder md, ReportData data) {
    if (data.anchors().isEmpty()) return;
    md.append("## Drift\n\nThe anchor cell was measured again between cells (`drift:` in the spec; raw output in `data/<spec>/drift/`). ")
        .append("A move between two measurements that passes the verdict rule flags every cell run between them.\n\n")
        .append("| # | anchor | started (UTC) | why | test | t/s | vs previous | verdict |\n|---|---|---|---|---|---|---|---|\n");
    DriftAnchors.Measurement prev = null;
    int k = 0;
    for (DriftAnchors.Measurement m : data.anchors()) {
      k++;
      if (m.tests().isEmpty()) {
        md.append("| ").append(k).append(" | `").append(m.anchor()).append("` | ").append(m.started()).append(" | ").append(MarkdownReport.escape(m.why()))
            .append(" | — | **").append(MarkdownReport.escape(m.status() + (m.reason().isEmpty() ? "" : ": " + m.reason()))).append("** | — | — |\n");
        continue;
      }
      for (Map.Entry<String, Estimate> t : m.tests().entrySet()) {
        Estimate before = prev == null || !prev.anchor().equals(m.anchor()) ? null : prev.tests().get(t.getKey());
        Comparison c = before == null ? null : new Comparison(t.getValue(), before, data.threshold());
        md.append("| ").append(k).append(" | `").append(m.anchor()).append("` | ").append(m.started()).append(" | ")
            .append(MarkdownReport.escape(m.why())).append(" | ").append(t.getKey()).append(" | ").append(t.getValue().format())
            .append(" | ").append(c == null ? "—" : c.formatChange()).append(" | ").append(c == null ? "—" : c.verdictWord()).append(" |\n");
      }
      prev = m;
    }
    md.append('\n').append(ComparisonSection.verdictRule(data.threshold())).append("\n\n");
    if (data.drift().isEmpty()) {
      md.append("The anchor stayed within its noise between every pair of measurements: no cell is flagged for drift.\n\n");
      return;
    }
    for (DriftAnchors.Move mv : data.drift()) {
      md.append("- ⚠ **DRIFT**: ").append(mv.test()).append(" of the anchor moved ").append(mv.change().formatChange()).append(" between ")
          .append(mv.before().ended()).append(" and ").append(mv.after().started()).append("; cells run in between: ")
          .append(mv.cells().isEmpty() ? "none" : String.join(", ", mv.cells().stream().map(c -> "`" + c + "`").toList())).append(".\n");
    }
    md.append('\n');
  }
}
