package dev.llamasweep.results;

import dev.llamasweep.llamacpp.BenchJsonl;
import dev.llamasweep.llamacpp.BenchRecord;
import dev.llamasweep.stats.Comparison;
import dev.llamasweep.stats.Estimate;
import dev.llamasweep.stats.Summaries;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The drift anchors of a sweep (data/&lt;spec&gt;/drift/*), in time order, and which cells ran between
 * two measurements of the anchor that disagree beyond the anchor's own noise (the one verdict rule:
 * the 95% interval of the change excludes 0 and the change is at least the threshold).
 */
public final class DriftAnchors {
  private DriftAnchors() {}

  /** One measurement of the anchor: when, why, and its estimate per test (empty when it failed). */
  public record Measurement(String dir, String anchor, String why, Instant started, Instant ended, CellStatus status, String reason,
      Map<String, Estimate> tests) {}

  /** Two consecutive measurements of the anchor that moved, and the cells that ran between them. */
  public record Move(Measurement before, Measurement after, String test, Comparison change, List<String> cells) {}

  public static List<Measurement> read(Path dataDir) {
    Path drift = dataDir.resolve("drift");
    List<Measurement> out = new ArrayList<>();
    if (!Files.isDirectory(drift)) return out;
    try (Stream<Path> dirs = Files.list(drift)) {
      for (Path d : dirs.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList()) {
        if (!Files.isRegularFile(d.resolve(AnchorJson.FILE))) continue;
        AnchorJson.Anchor n;
        try {
          n = AnchorJson.read(d);
        } catch (IOException | RuntimeException e) {
          throw new IllegalArgumentException(d.resolve(AnchorJson.FILE) + ": is not a drift anchor's record (" + e.getMessage()
              + "); remove that directory or re-run the sweep to measure the anchor again.");
        }
        Map<String, Estimate> tests = new LinkedHashMap<>();
        CellStatus status = n.status();
        if (status == CellStatus.OK) {
          for (BenchRecord r : BenchJsonl.parse(dev.llamasweep.io.InputFiles.text(d.resolve("stdout.jsonl"), dev.llamasweep.io.InputFiles.Kind.RAW_OUTPUT), d.getFileName() + "/stdout.jsonl")) {
            tests.put(r.test(), Summaries.of(r.samplesTs().stream().mapToDouble(Double::doubleValue).toArray()));
          }
        }
        out.add(new Measurement(d.getFileName().toString(), n.anchor(), n.why(), n.started(), n.ended(), status,
            n.reason() == null ? "" : n.reason(), tests));
      }
    } catch (IllegalArgumentException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("the drift anchors in " + drift + " cannot be read: " + e.getMessage(), e);
    }
    out.sort(java.util.Comparator.comparing(Measurement::started));
    return out;
  }

  /** How many pairs of consecutive successful measurements of the same anchor there are: what drift can be judged on. */
  public static int comparablePairs(List<Measurement> ms) {
    int pairs = 0;
    Measurement prev = null;
    for (Measurement m : ms) {
      if (m.tests().isEmpty()) continue;
      if (prev != null && prev.anchor().equals(m.anchor())) pairs++;
      prev = m;
    }
    return pairs;
  }

  /**
   * The moves between consecutive ok measurements of the same anchor. {@code cellTimes} maps a cell
   * id to its {started, ended}; a cell is "between" when it ran entirely after the first and before the second.
   */
  public static List<Move> moves(List<Measurement> ms, Map<String, Instant[]> cellTimes, double threshold) {
    List<Move> out = new ArrayList<>();
    Measurement prev = null;
    for (Measurement m : ms) {
      if (m.tests().isEmpty()) continue;
      if (prev != null && prev.anchor().equals(m.anchor())) {
        for (Map.Entry<String, Estimate> t : m.tests().entrySet()) {
          Estimate before = prev.tests().get(t.getKey());
          if (before == null) continue;
          Comparison c = new Comparison(t.getValue(), before, threshold);
          if (c.verdict() != Comparison.Verdict.FASTER && c.verdict() != Comparison.Verdict.SLOWER) continue;
          Measurement from = prev;
          List<String> cells = cellTimes.entrySet().stream()
              .filter(e -> !e.getValue()[0].isBefore(from.ended()) && !e.getValue()[1].isAfter(m.started()))
              .map(Map.Entry::getKey).sorted().toList();
          out.add(new Move(prev, m, t.getKey(), c, cells));
        }
      }
      prev = m;
    }
    return out;
  }
}
