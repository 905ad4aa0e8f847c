package dev.llamasweep.results;

import dev.llamasweep.io.InputFiles;
import java.io.Reader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/**
 * data/&lt;spec&gt;/rpc.csv: each rpc cell's servers, one row per server in llama-bench's --rpc order — its
 * endpoint, whether the harness started it, its protocol, its devices' memory, and the median and
 * least of its round trips over every probe of the cell — computed once from the raw rpc.jsonl and read
 * by every output. Its one codec.
 */
public final class RpcFile {
  public static final String FILE = "rpc.csv";
  static final List<String> HEADER = List.of("cell", "server", "endpoint", "started", "version", "devices", "free_bytes", "total_bytes",
      "device_lines", "round_trips", "round_trip_median_us", "round_trip_min_us");

  /**
   * One server of one cell, summarised over the cell's probes (a cell run in rounds started its own
   * servers each round, on other ports: the endpoint is the first round's).
   */
  public record Server(String cell, int index, String endpoint, boolean started, String version, List<Long> freeBytes, List<Long> totalBytes,
      List<String> deviceLines, int roundTrips, double medianMicros, double minMicros) {
    public Server {
      freeBytes = List.copyOf(freeBytes);
      totalBytes = List.copyOf(totalBytes);
      deviceLines = List.copyOf(deviceLines);
    }

    /** "127.0.0.1:41234 (started here; CPU: AMD EPYC (24105 MiB, 24105 MiB free))". */
    public String describe() {
      String devices = deviceLines.isEmpty() ? freeBytes.size() + " device" + (freeBytes.size() == 1 ? "" : "s") : String.join("; ", deviceLines);
      return endpoint + " (" + (started ? "started here; " : "") + devices + ")";
    }
  }

  private RpcFile() {}

  /** The servers of one cell from its probes (none: an empty list). */
  public static List<Server> summarise(String cell, List<RpcProbes.Probe> probes) {
    Map<Integer, List<RpcProbes.Probe>> byServer = new java.util.TreeMap<>();
    for (RpcProbes.Probe p : probes) byServer.computeIfAbsent(p.server(), k -> new ArrayList<>()).add(p);
    List<Server> out = new ArrayList<>();
    byServer.forEach((i, ps) -> {
      RpcProbes.Probe first = ps.get(0);
      long[] rtt = ps.stream().flatMap(p -> p.roundTripNanos().stream()).mapToLong(Long::longValue).sorted().toArray();
      double median = rtt.length == 0 ? Double.NaN : dev.llamasweep.stats.Quantiles.of(Arrays.stream(rtt).asDoubleStream().toArray(), 0.5).value() / 1e3;
      double min = rtt.length == 0 ? Double.NaN : rtt[0] / 1e3;
      out.add(new Server(cell, i, first.endpoint(), first.started(), first.version(), first.freeBytes(), first.totalBytes(), first.deviceLines(),
          rtt.length, median, min));
    });
    return out;
  }

  /** Writes the file from the cells that ran on rpc-servers (none: no file, and an old one is removed). */
  public static void write(Path dataDir, List<CellData> cells) {
    List<CellData> rpc = cells.stream().filter(c -> !c.rpc().isEmpty()).sorted(Comparator.comparingInt(c -> c.entry().index())).toList();
    OptionalCsv.write(dataDir.resolve(FILE), !rpc.isEmpty(), HEADER, p -> {
      for (CellData c : rpc) {
        for (Server s : c.rpc()) {
          p.printRecord(s.cell(), s.index(), s.endpoint(), s.started(), s.version(), s.freeBytes().size(), join(s.freeBytes()), join(s.totalBytes()),
              String.join("|", s.deviceLines()), s.roundTrips(), Double.toString(s.medianMicros()), Double.toString(s.minMicros()));
        }
      }
    });
  }

  private static String join(List<Long> v) {
    return String.join(";", v.stream().map(String::valueOf).toList());
  }

  /** Each rpc cell's servers, by cell id; no file, no cells. A field that is not what it should be is one sentence with file and line. */
  public static Map<String, List<Server>> read(Path dataDir) {
    Path file = dataDir.resolve(FILE);
    Map<String, List<Server>> out = new LinkedHashMap<>();
    if (!InputFiles.present(file)) return out;
    try (Reader r = InputFiles.reader(file, InputFiles.Kind.TABLE)) {
      for (CSVRecord rec : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(r)) {
        String where = file + ":" + (rec.getRecordNumber() + 1);
        if (!rec.isConsistent() || !rec.isMapped("round_trip_min_us")) {
          throw new IllegalArgumentException(where + ": holds " + rec.size() + " fields where the header should name " + HEADER.size());
        }
        List<Long> free = longs(rec, "free_bytes", where);
        List<Long> total = longs(rec, "total_bytes", where);
        if (free.size() != total.size()) throw new IllegalArgumentException(where + ": fields free_bytes and total_bytes name different numbers of devices");
        String lines = rec.get("device_lines");
        Server s = new Server(rec.get("cell"), (int) number(rec, "server", where), rec.get("endpoint"), Boolean.parseBoolean(rec.get("started")),
            rec.get("version"), free, total, lines.isEmpty() ? List.of() : List.of(lines.split("\\|", -1)), (int) number(rec, "round_trips", where),
            number(rec, "round_trip_median_us", where), number(rec, "round_trip_min_us", where));
        out.computeIfAbsent(s.cell(), k -> new ArrayList<>()).add(s);
      }
    } catch (java.io.IOException | IllegalStateException e) {
      throw new IllegalArgumentException(file + ": cannot be read as CSV (" + e.getMessage() + ")");
    }
    return out;
  }

  private static List<Long> longs(CSVRecord rec, String field, String where) {
    String v = rec.get(field);
    List<Long> out = new ArrayList<>();
    if (v.isEmpty()) return out;
    for (String part : v.split(";", -1)) {
      try {
        long n = Long.parseLong(part);
        if (n >= 0) {
          out.add(n);
          continue;
        }
      } catch (NumberFormatException e) {
        // said below
      }
      throw new IllegalArgumentException(where + ": field " + field + " is '" + v + "', not byte counts separated by ';'");
    }
    return out;
  }

  private static double number(CSVRecord rec, String field, String where) {
    String v = rec.get(field);
    try {
      double d = Double.parseDouble(v);
      if (Double.isFinite(d) && d >= 0) return d;
    } catch (NumberFormatException e) {
      // said below
    }
    throw new IllegalArgumentException(where + ": field " + field + " is '" + v + "', not a number of 0 or more");
  }
}
