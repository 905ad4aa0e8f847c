package dev.llamasweep.report;

import dev.llamasweep.results.CellRow;

import dev.llamasweep.results.CellEntry;
import dev.llamasweep.stats.Estimate;
import dev.llamasweep.stats.Outliers;
import dev.llamasweep.stats.Summaries;
import dev.llamasweep.stats.Warning;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The warnings of one cell's test, computed from its samples and its raw record; the same list feeds report.md and summary.csv. */
final class Warnings {
  /** pyperf warns when the spread is this large a share of the mean. */
  static final double NOISY_CV = 0.10;

  /** A CPU or GPU clock this much below its peak during the cell counts as throttling. */
  static final double THROTTLE_DROP_PCT = 10;

  private Warnings() {}

  record Raised(Warning warning, String detail) {
    String say() {
      return warning.say(detail);
    }
  }

  static List<Raised> of(CellEntry c, String test, ReportData data) {
    List<Raised> out = new ArrayList<>();
    Estimate e = data.estimates().get(new Summaries.Key(c.id(), test));
    if (e == null) return out;
    if (e.hasSpread() && e.cv() >= NOISY_CV) out.add(new Raised(Warning.HIGH_CV, Estimate.percent(e.cv(), 1)));
    double[] s = data.samples().getOrDefault(new Summaries.Key(c.id(), test), new double[0]);
    if (!e.fromSource() && e.n() < 3) out.add(new Raised(Warning.FEW_SAMPLES, String.valueOf(e.n())));
    List<Integer> outliers = Outliers.of(s);
    if (!outliers.isEmpty()) {
      out.add(new Raised(Warning.OUTLIERS, outliers.size() + " of " + s.length + " (" + String.join(", ",
          outliers.stream().map(i -> "#" + (i + 1) + " " + Estimate.num(s[i])).toList()) + " t/s)"));
    }
    if (s.length >= 3) {
      // the first repetition against the median of the others (a warm-up that did not settle)
      double median = Summaries.median(Arrays.copyOfRange(s, 1, s.length));
      if (s[0] < median * 0.9) out.add(new Raised(Warning.SLOW_FIRST, String.format(Locale.ROOT, "%.0f%%", (1 - s[0] / median) * 100)));
    }
    CellRow row = data.cell(c);
    if (row != null && row.machineNote() != null && !row.machineNote().isEmpty()) out.add(new Raised(Warning.NOT_QUIET, row.machineNote()));
    for (dev.llamasweep.results.DriftAnchors.Move m : data.driftAround(c.id())) {
      out.add(new Raised(Warning.DRIFT, "the anchor cell " + m.before().anchor() + " (" + m.test() + ") moved " + m.change().formatChange()
          + " between its measurements at " + m.before().ended() + " and " + m.after().started()));
    }
    Double drop = row == null || row.power() == null ? null : row.power().clockDropPct();
    if (drop != null && drop >= THROTTLE_DROP_PCT) out.add(new Raised(Warning.THROTTLED, Estimate.num(drop, 1) + "%"));
    return out;
  }
}
