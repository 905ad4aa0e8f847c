package dev.llamasweep.results;

import dev.llamasweep.stats.Estimate;
import dev.llamasweep.io.InputFiles;
import java.io.IOException;
import java.io.Reader;
import java.io.Serializable;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

/**
 * One row of aggregate.csv, the aggregation's output: the statistics of one (dataset, host, cell,
 * test) group of samples. Numbers are written as Java's shortest exact representation, so a row
 * read back is the row written, and two runners that computed the same doubles write the same bytes.
 */
public record SummaryRow(String dataset, String host, String cell, String test, long n, double mean, double sd, double min, double max,
    double median, double mad) implements Serializable {

  public static final String FILE = "aggregate.csv";

  public static final FieldTable<SummaryRow> FIELDS = FieldTable.<SummaryRow>builder()
      .add("dataset", SummaryRow::dataset)
      .add("host", SummaryRow::host)
      .add("cell", SummaryRow::cell)
      .add("test", SummaryRow::test)
      .add("n", SummaryRow::n)
      .add("mean_ts", r -> num(r.mean()))
      .add("sd_ts", r -> num(r.sd()))
      .add("min_ts", r -> num(r.min()))
      .add("max_ts", r -> num(r.max()))
      .add("median_ts", r -> num(r.median()))
      .add("mad_ts", r -> num(r.mad()))
      .build();

  public Estimate estimate() {
    return new Estimate(n, mean, sd, min, max, median);
  }

  /** The sort order of aggregate.csv: by dataset, host, cell, test. */
  public String sortKey() {
    return dataset + '\u0000' + host + '\u0000' + cell + '\u0000' + test;
  }

  /** This row as one CSV line without its line break. */
  public String csvLine() {
    StringWriter w = new StringWriter();
    try (CSVPrinter p = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setRecordSeparator("").get())) {
      p.printRecord(FIELDS.row(this));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return w.toString();
  }

  /** The header line of aggregate.csv. */
  public static String headerLine() {
    return String.join(",", FIELDS.header());
  }

  private static String num(double v) {
    return Double.isNaN(v) ? "" : Double.toString(v);
  }

  private static double parse(String s) {
    return s.isEmpty() ? Double.NaN : Double.parseDouble(s);
  }

  /** Whether a data directory's aggregate.csv exists and is at least as new as its samples.csv. */
  public static boolean isCurrent(Path dataDir) {
    Path agg = dataDir.resolve(FILE);
    Path samples = dataDir.resolve("samples.csv");
    try {
      return Files.isRegularFile(agg) && (!Files.isRegularFile(samples)
          || Files.getLastModifiedTime(agg).compareTo(Files.getLastModifiedTime(samples)) >= 0);
    } catch (IOException e) {
      return false;
    }
  }

  public static List<SummaryRow> read(Path file) {
    List<SummaryRow> out = new ArrayList<>();
    if (!dev.llamasweep.io.InputFiles.present(file)) return out;
    try (Reader r = dev.llamasweep.io.InputFiles.reader(file, dev.llamasweep.io.InputFiles.Kind.TABLE)) {
      for (CSVRecord c : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(r)) {
        out.add(new SummaryRow(c.get("dataset"), c.get("host"), c.get("cell"), c.get("test"), Long.parseLong(c.get("n")),
            parse(c.get("mean_ts")), parse(c.get("sd_ts")), parse(c.get("min_ts")), parse(c.get("max_ts")), parse(c.get("median_ts")),
            parse(c.get("mad_ts"))));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + file, e);
    } catch (InputFiles.Unreadable e) {
      throw e;
    } catch (RuntimeException e) {
      // one sentence naming the file (the command line prints it), never a trace
      throw new IllegalArgumentException(file + " is not an aggregate written by llama-sweep (" + e.getMessage()
          + "); `reports` writes it anew from samples.csv.", e);
    }
    return out;
  }
}
