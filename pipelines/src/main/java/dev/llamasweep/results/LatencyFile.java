package dev.llamasweep.results;

import dev.llamasweep.io.InputFiles;
import dev.llamasweep.stats.Quantiles;
import dev.llamasweep.stats.StreamTimings;
import java.io.Reader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/**
 * data/&lt;spec&gt;/latency.csv: each server cell's request latencies — time to first token, inter-token and end
 * to end, each at the median, p90 and p99 with its distribution-free 95% interval — computed once from the
 * raw streams (every line as it arrived) and read by every output. Its one codec.
 */
public final class LatencyFile {
  public static final String FILE = "latency.csv";
  static final List<String> HEADER = List.of("cell", "metric", "quantile", "n", "requests", "value_ms", "low_ms", "high_ms");

  /** The metrics, as the file names them. */
  public enum Metric {
    TTFT("ttft"), INTER_TOKEN("inter_token"), E2E("e2e");

    public final String word;

    Metric(String word) {
      this.word = word;
    }

    List<Quantiles> of(StreamTimings.Latency l) {
      return switch (this) {
        case TTFT -> l.ttftMs();
        case INTER_TOKEN -> l.interTokenMs();
        case E2E -> l.e2eMs();
      };
    }

    static Metric of(String word, String where) {
      for (Metric m : values()) if (m.word.equals(word)) return m;
      throw new IllegalArgumentException(where + ": field metric is '" + word + "', not ttft, inter_token or e2e");
    }
  }

  private LatencyFile() {}

  /** Writes the file from the cells that have latencies (none: no file, and an old one is removed). */
  public static void write(Path dataDir, List<CellData> cells) {
    List<CellData> served = cells.stream().filter(c -> c.latency() != null).sorted(Comparator.comparingInt(c -> c.entry().index())).toList();
    OptionalCsv.write(dataDir.resolve(FILE), !served.isEmpty(), HEADER, p -> {
      for (CellData c : served) {
        for (Metric m : Metric.values()) {
          for (Quantiles q : m.of(c.latency())) {
            p.printRecord(c.entry().id(), m.word, q.q(), q.n(), c.latency().requests(), num(q.value()), num(q.low()), num(q.high()));
          }
        }
      }
    });
  }

  private static String num(double v) {
    return Double.isNaN(v) ? "" : Double.toString(v);
  }

  /** Each server cell's latencies, by cell id; no file, no cells. A field that is not its number is one sentence with file and line. */
  public static Map<String, StreamTimings.Latency> read(Path dataDir) {
    Path file = dataDir.resolve(FILE);
    Map<String, Map<Metric, List<Quantiles>>> parts = new LinkedHashMap<>();
    Map<String, Integer> requests = new LinkedHashMap<>();
    if (!InputFiles.present(file)) return Map.of();
    try (Reader r = InputFiles.reader(file, InputFiles.Kind.TABLE)) {
      for (CSVRecord rec : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(r)) {
        String where = file + ":" + (rec.getRecordNumber() + 1);
        if (!rec.isConsistent()) throw new IllegalArgumentException(where + ": holds " + rec.size() + " fields where the header names " + HEADER.size());
        String cell = rec.get("cell");
        Metric m = Metric.of(rec.get("metric"), where);
        Quantiles q = new Quantiles(number(rec, "quantile", where, false), (long) number(rec, "n", where, false), number(rec, "value_ms", where, true),
            number(rec, "low_ms", where, true), number(rec, "high_ms", where, true));
        parts.computeIfAbsent(cell, k -> new java.util.EnumMap<>(Metric.class)).computeIfAbsent(m, k -> new ArrayList<>()).add(q);
        requests.put(cell, (int) number(rec, "requests", where, false));
      }
    } catch (java.io.IOException | IllegalStateException e) {
      throw new IllegalArgumentException(file + ": cannot be read as CSV (" + e.getMessage() + ")");
    }
    Map<String, StreamTimings.Latency> out = new LinkedHashMap<>();
    parts.forEach((cell, m) -> out.put(cell, new StreamTimings.Latency(requests.get(cell), m.getOrDefault(Metric.TTFT, List.of()),
        m.getOrDefault(Metric.INTER_TOKEN, List.of()), m.getOrDefault(Metric.E2E, List.of()))));
    return out;
  }

  private static double number(CSVRecord rec, String field, String where, boolean emptyIsNaN) {
    String v = rec.isMapped(field) ? rec.get(field) : "";
    if (v.isEmpty() && emptyIsNaN) return Double.NaN;
    try {
      double d = Double.parseDouble(v);
      if (Double.isFinite(d) && d >= 0) return d;
    } catch (NumberFormatException e) {
      // said below
    }
    throw new IllegalArgumentException(where + ": field " + field + " is '" + v + "', not a number of 0 or more");
  }
}
