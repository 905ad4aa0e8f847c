package dev.llamasweep.results;

import dev.llamasweep.io.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * A data-directory table only some sweeps have (latency.csv, rpc.csv): written whole and atomically where
 * a cell has rows, and removed where none has, so a table left by an earlier sweep is never read as this one's.
 */
final class OptionalCsv {
  private OptionalCsv() {}

  /** The rows of one table, printed under its header. */
  interface Rows {
    void print(CSVPrinter p) throws IOException;
  }

  static void write(Path file, boolean any, List<String> header, Rows rows) {
    if (!any) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return;
    }
    AtomicFiles.write(file, w -> {
      try (CSVPrinter p = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setHeader(header.toArray(String[]::new)).get())) {
        rows.print(p);
      }
    });
  }
}
