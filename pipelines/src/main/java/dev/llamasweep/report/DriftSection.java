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
        ;
    dev.llamasweep.table.Table table = dev.llamasweep.table.Table.ofText("#", "anchor", "started (UTC)", "why", "test", "t/s", "vs previous", "verdict");
    DriftAnchors.Measurement prev = null;
    int k = 0;
    for (DriftAnchors.Measurement m : data.anchors()) {
      k++;
      if (m.tests().isEmpty()) {
        table.row(String.valueOf(k), "`" + m.anchor() + "`", second(m.started()), MarkdownText.escape(m.why()), "—",
            "**" + MarkdownText.escape(m.status().word + (m.reason().isEmpty() ? "" : ": " + m.reason())) + "**", "—", "—");
        continue;
      }
      for (Map.Entry<String, Estimate> t : m.tests().entrySet()) {
        Estimate before = prev == null || !prev.anchor().equals(m.anchor()) ? null : prev.tests().get(t.getKey());
        Comparison c = before == null ? null : new Comparison(t.getValue(), before, data.threshold());
        table.row(String.valueOf(k), "`" + m.anchor() + "`", second(m.started()), MarkdownText.escape(m.why()), t.getKey(), t.getValue().format(),
            c == null ? "—" : c.formatChange(), c == null ? "—" : c.verdictWord());
      }
      prev = m;
    }
    md.append(table.markdown());
    md.append('\n').append(ComparisonSection.verdictRule(data.threshold())).append("\n\n");
    md.append(verdictSentence(data.anchors(), data.drift())).append("\n\n");
    if (data.drift().isEmpty()) return;
    for (DriftAnchors.Move mv : data.drift()) {
      md.append("- ⚠ **DRIFT**: ").append(mv.test()).append(" of the anchor moved ").append(mv.change().formatChange()).append(" between ")
          .append(second(mv.before().ended())).append(" and ").append(second(mv.after().started())).append("; cells run in between: ")
          .append(mv.cells().isEmpty() ? "none" : String.join(", ", mv.cells().stream().map(c -> "`" + c + "`").toList())).append(".\n");
    }
    md.append('\n');
  }

  /**
   * What the anchors show, claiming nothing the measurements do not: drift is unknown unless two
   * successful measurements of the anchor can be compared, and failed ones are counted, not hidden.
   */
  static String verdictSentence(java.util.List<DriftAnchors.Measurement> anchors, java.util.List<DriftAnchors.Move> moves) {
    long ok = anchors.stream().filter(m -> !m.tests().isEmpty()).count();
    long failed = anchors.size() - ok;
    int pairs = DriftAnchors.comparablePairs(anchors);
    if (ok == 0) {
      return "**Drift unknown**: the anchor failed every time (" + anchors.size() + " of " + anchors.size()
          + " measurements; the reasons are in the table), so no cell can be checked for drift.";
    }
    if (pairs == 0) {
      return "**Drift unknown**: only " + ok + " of " + anchors.size() + " measurements of the anchor succeeded, so no two can be compared"
          + " and no cell can be checked for drift.";
    }
    String failedNote = failed == 0 ? "" : " (" + failed + " of " + anchors.size() + " measurements failed; each comparison spans them,"
        + " so a cell next to a failed measurement is checked against the nearest successful ones)";
    if (moves.isEmpty()) {
      return "Across the " + pairs + (pairs == 1 ? " pair" : " pairs") + " of consecutive successful measurements the anchor stayed within its noise"
          + failedNote + ": no cell is flagged for drift.";
    }
    return "The anchor moved beyond its noise " + moves.size() + (moves.size() == 1 ? " time" : " times") + " across the " + pairs
        + (pairs == 1 ? " pair" : " pairs") + " of consecutive successful measurements (each test of a pair compared)" + failedNote + ":";
  }

  /** A time as a reader wants it in a table: to the second, UTC ("2026-12-02T07:40:27Z"). */
  static String second(java.time.Instant t) {
    return t.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
  }
}
