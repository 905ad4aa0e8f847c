package dev.llamasweep.results;

import dev.llamasweep.io.AtomicFiles;
import dev.llamasweep.llamacpp.BenchRecord;
import dev.llamasweep.spec.Axis;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * data/&lt;spec&gt;/samples.csv (one row per repetition, long format) and cells.csv (one row per
 * cell with its status and what its records say it ran), written with Commons CSV, each to a
 * temporary file renamed into place. One field table per file drives its header and its rows.
 */
public final class ResultFiles {
  public static final List<String> AXES = java.util.Arrays.stream(Axis.values()).map(a -> a.key).toList();

  /** One repetition of one llama-bench record of a cell. */
  record Sample(CellData cell, BenchRecord r, int i) {}

  static final FieldTable<Sample> SAMPLES = withAxes(FieldTable.<Sample>builder(), Sample::cell)
      .add("test", s -> s.r().test())
      .add("kind", s -> s.r().kind().word)
      .add("n_prompt", s -> s.r().nPrompt())
      .add("n_gen", s -> s.r().nGen())
      .add("n_depth", s -> s.r().nDepth())
      .add("n_parallel", s -> s.r().nParallel())
      .add("n_concurrent", s -> s.r().nConcurrent())
      .add("rep", s -> s.i() + 1)
      .add("tokens_per_s", s -> s.r().samplesTs().get(s.i()))
      .add("ns", s -> s.r().samplesNs().get(s.i()))
      .add("model_size", s -> s.r().modelSize())
      .add("model_n_params", s -> s.r().modelNParams())
      .add("build_commit", s -> s.r().buildCommit())
      .add("build_number", s -> s.r().buildNumber())
      .add("backends", s -> s.r().backends())
      .add("n_threads", s -> s.r().nThreads())
      .add("n_gpu_layers", s -> s.r().nGpuLayers())
      .add("load_mode", s -> s.r().loadMode())
      .add("observed_profile", s -> s.cell().observedProfile())
      .add("n_drafted", s -> s.r().samplesDrafted().isEmpty() ? null : s.r().samplesDrafted().get(s.i()))
      .add("n_accepted", s -> s.r().samplesAccepted().isEmpty() ? null : s.r().samplesAccepted().get(s.i()))
      .add("model_file", s -> s.cell().modelFile())
      .add("type_k", s -> s.r().typeK())
      .add("type_v", s -> s.r().typeV())
      .add("model_type", s -> s.r().modelType())
      .add("source_n", s -> s.r().fromSource() && s.r().sourceN() > 0 ? s.r().sourceN() : null)
      .add("source_sd", s -> s.r().fromSource() ? s.r().sourceSd() : null)
      .add("record_flash_attn", s -> s.r().flashAttn())
      .build();

  static final FieldTable<CellData> CELLS = withAxes(FieldTable.<CellData>builder(), c -> c)
      .add("status", c -> c.status().word)
      .add("reason", CellData::reason)
      .add("duration_s", CellData::seconds)
      .add("harness_cpu_s", c -> c.result() == null || c.result().started() == null ? null : c.result().harnessCpuS())
      .add("observed_profile", CellData::observedProfile)
      // the command that ran, from the raw cell (a re-render on another machine plans other paths)
      .add("command", ResultFiles::commandThatRan)
      .add("machine", CellData::machineNote)
      .add("power", c -> PowerJson.toLine(c.power()))
      .add("order", c -> orderLine(c.order()))
      // what the cell's first record says it ran: enough for a cross-host report without reading samples
      .add("model_file", c -> c.records().isEmpty() ? null : c.modelFile())
      .add("model_size", c -> c.records().isEmpty() ? null : c.records().get(0).modelSize())
      .add("model_type", c -> c.records().isEmpty() ? null : c.records().get(0).modelType())
      .add("type_k", c -> c.records().isEmpty() ? null : c.records().get(0).typeK())
      .add("type_v", c -> c.records().isEmpty() ? null : c.records().get(0).typeV())
      .add("backends", c -> c.records().isEmpty() ? null : c.records().get(0).backends())
      // the llama.cpp build that made the cell's figures, as llama-bench reports it: a sweep can mix releases
      .add("llama_cpp_build", c -> c.records().isEmpty() ? null : c.records().get(0).buildCommit() + " (build " + c.records().get(0).buildNumber() + ")")
      .build();


  private ResultFiles() {}

  /** cell, experiments, bench and every axis: the columns both files start with. */
  private static <T> FieldTable.Builder<T> withAxes(FieldTable.Builder<T> b, java.util.function.Function<T, CellData> cell) {
    b.add("cell", t -> cell.apply(t).entry().id())
        .add("experiments", t -> String.join(";", cell.apply(t).entry().experiments()))
        .add("bench", t -> cell.apply(t).entry().bench().word);
    for (Axis axis : Axis.values()) b.add(axis.key, t -> cell.apply(t).entry().params().get(axis));
    return b;
  }

  public static void write(Path dataDir, List<CellData> cells) {
    List<CellData> sorted = new ArrayList<>(cells);
    sorted.sort(Comparator.comparingInt(c -> c.entry().index()));
    AtomicFiles.write(dataDir.resolve("samples.csv"), w -> {
      try (CSVPrinter p = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setHeader(SAMPLES.header()).get())) {
        for (CellData c : sorted) {
          for (BenchRecord r : c.records()) {
            for (int i = 0; i < r.samplesTs().size(); i++) p.printRecord(SAMPLES.row(new Sample(c, r, i)));
          }
        }
      }
    });
    LatencyFile.write(dataDir, sorted);
    RpcFile.write(dataDir, sorted);
    AtomicFiles.write(dataDir.resolve("cells.csv"), w -> {
      try (CSVPrinter p = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setHeader(CELLS.header()).get())) {
        for (CellData c : sorted) p.printRecord(CELLS.row(c));
      }
    });
  }

  static String commandThatRan(CellData c) {
    if (c.result() == null || c.result().argv().isEmpty()) return c.entry().plannedCommand();
    return String.join(" ", c.result().argv().stream().map(ResultFiles::quote).toList());
  }

  private static String quote(String a) {
    return dev.llamasweep.io.Shell.quote(a);
  }

  /** cells.csv's order column: "rounds;overhead seconds;kind;why it stopped" of a cell run in rounds, else empty. */
  static String orderLine(CellResult.Order o) {
    return o == null ? "" : o.rounds() + ";" + o.overheadS() + ";" + o.kind() + ";" + (o.stopped() == null ? "" : o.stopped());
  }

  /** The order column back to an order (without its rounds, which only result.json holds); empty is null. */
  static CellResult.Order orderOf(String line) {
    if (line == null || line.isEmpty()) return null;
    String[] f = line.split(";", -1);
    return new CellResult.Order(f.length > 2 && !f[2].isEmpty() ? f[2] : "interleaved", null, Integer.parseInt(f[0]),
        f.length > 1 && !f[1].isEmpty() ? Double.parseDouble(f[1]) : 0, f.length > 3 && !f[3].isEmpty() ? f[3] : null, List.of());
  }

  /**
   * samples.csv read back row by row, typed: the aggregation, the report and compare all read it here. A field
   * that is not the number it must be is one sentence naming the file, the line and the field. An older file's
   * missing type_k/type_v read as llama-bench's default (f16); a file that is not there has no rows.
   */
  public static void readSamples(Path samplesCsv, java.util.function.Consumer<SampleRow> each) {
    if (!dev.llamasweep.io.InputFiles.present(samplesCsv)) return;
    Path file = dev.llamasweep.io.InputFiles.regular(samplesCsv, dev.llamasweep.io.InputFiles.Kind.TABLE);
    requireWholeLines(samplesCsv, file);
    try (java.io.Reader r = dev.llamasweep.io.InputFiles.reader(samplesCsv, dev.llamasweep.io.InputFiles.Kind.TABLE)) {
      org.apache.commons.csv.CSVParser parser = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(r);
      java.util.Map<String, Integer> header = java.util.Map.copyOf(parser.getHeaderMap());
      boolean typed = header.containsKey("type_k");
      for (org.apache.commons.csv.CSVRecord rec : parser) {
        Where where = new Where(samplesCsv, rec.getRecordNumber() + 1);
        if (rec.size() != header.size()) {
          throw new IllegalArgumentException(where + ": holds " + rec.size() + " fields where the header names " + header.size()
              + " (a row cut or joined)");
        }
        SampleRow.Columns c = new SampleRow.Columns(header, rec.values());
        out(each, c, where, typed);
      }
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new IllegalArgumentException(samplesCsv + ": is not UTF-8 text");
    } catch (java.io.IOException | java.io.UncheckedIOException e) {
      throw new IllegalArgumentException(samplesCsv + ": cannot be read as CSV (" + e.getMessage() + ")");
    }
  }

  /**
   * Every table llama-sweep writes ends with a line break; one that does not was cut (a copy broke off,
   * a disk filled), and its last row may be a prefix of a number: refused, never read short.
   */
  private static void requireWholeLines(Path shown, Path file) {
    try (java.nio.channels.SeekableByteChannel ch = java.nio.file.Files.newByteChannel(file)) {
      long size = ch.size();
      if (size == 0) return;
      java.nio.ByteBuffer last = java.nio.ByteBuffer.allocate(1);
      ch.position(size - 1).read(last);
      if (last.get(0) != '\n') {
        throw new IllegalArgumentException(shown + ": ends in the middle of a line (the file was cut); re-render with reports, which "
            + "writes it whole from the raw cells");
      }
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(shown + ": cannot be read (" + e.getMessage() + ")");
    }
  }

  /** A line of a file, made into text only for the sentence of a bad field. */
  private record Where(Path file, long line) {
    @Override
    public String toString() {
      return file + ":" + line;
    }
  }

  private static void out(java.util.function.Consumer<SampleRow> each, SampleRow.Columns c, Where where, boolean typed) {
    String sd = c.get("source_sd");
    each.accept(new SampleRow(c.get("cell"), c.get("test"),
        new dev.llamasweep.llamacpp.TestShape(whole(c, "n_prompt", where), whole(c, "n_gen", where), whole(c, "n_depth", where),
            c.get("n_parallel").isEmpty() ? 0 : whole(c, "n_parallel", where), c.get("n_concurrent").isEmpty() ? 0 : whole(c, "n_concurrent", where)),
        number(c, "tokens_per_s", where), whole(c, "model_size", where), c.get("build_commit"), c.get("build_number"),
        typed ? c.get("type_k") : "f16", typed ? c.get("type_v") : "f16", c.get("model_type"),
        c.get("n_drafted").isEmpty() ? null : whole(c, "n_drafted", where), c.get("n_accepted").isEmpty() ? null : whole(c, "n_accepted", where),
        c.get("source_n").isEmpty() ? null : whole(c, "source_n", where), sd.isEmpty() ? null : number(c, "source_sd", where), c));
  }

  private static double number(SampleRow.Columns c, String field, Where where) {
    double v;
    try {
      v = Double.parseDouble(c.get(field));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(where + ": field '" + field + "' is not a number ('" + dev.llamasweep.io.Text.shown(c.get(field)) + "')");
    }
    String impossible = field.equals("tokens_per_s") ? dev.llamasweep.stats.Plausible.throughput(v)
        : Double.isFinite(v) && v >= 0 ? null : "holds " + v + ", not a finite figure of 0 or more";
    if (impossible != null) throw new IllegalArgumentException(where + ": field '" + field + "' " + impossible);
    return v;
  }

  /** A count; empty (a column an older or ingested file leaves blank) is 0. */
  private static long whole(SampleRow.Columns c, String field, Where where) {
    String v = c.get(field);
    if (v.isEmpty()) return 0;
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(where + ": field '" + field + "' is not a whole number ('" + v + "')");
    }
  }

  /** cells.csv read back, in its order; a column an older file lacks is empty. */
  public static List<CellRow> readCells(Path dataDir) {
    Path file = dataDir.resolve("cells.csv");
    List<CellRow> out = new ArrayList<>();
    try (java.io.Reader r = dev.llamasweep.io.InputFiles.reader(file, dev.llamasweep.io.InputFiles.Kind.TABLE)) {
      for (org.apache.commons.csv.CSVRecord rec : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(r)) {
        java.util.function.Function<String, String> col = k -> rec.isMapped(k) && rec.isSet(k) ? rec.get(k) : "";
        String where = file + ":" + (rec.getRecordNumber() + 1);
        try {
          java.util.Map<String, String> stored = new java.util.TreeMap<>();
          stored.put(dev.llamasweep.spec.Params.BENCH, col.apply("bench").isEmpty() ? dev.llamasweep.spec.Bench.LLAMA_BENCH.word : col.apply("bench"));
          for (String axis : AXES) if (!col.apply(axis).isEmpty()) stored.put(axis, col.apply(axis));
          out.add(row(rec, col, dev.llamasweep.spec.Params.read(stored, where), where));
        } catch (IllegalArgumentException e) {
          // cells.csv is ours, so a bad value means the file was edited or cut: one sentence naming its line
          String m = String.valueOf(e.getMessage()).replaceAll("\\.$", "");
          throw new IllegalArgumentException((m.startsWith(where) ? m : where + ": " + m) + "; `reports` re-writes cells.csv from the raw directories.");
        }
      }
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new IllegalArgumentException(file + ": is not UTF-8 text, so not a cells.csv llama-sweep wrote; `reports` re-writes it from the raw directories.");
    } catch (java.io.IOException | java.io.UncheckedIOException e) {
      throw new IllegalArgumentException(file + ": cannot be read as CSV (" + e.getMessage() + "); `reports` re-writes it from the raw directories.");
    }
    return out;
  }

  private static CellRow row(org.apache.commons.csv.CSVRecord rec, java.util.function.Function<String, String> col, dev.llamasweep.spec.Params params,
      String where) {
    return new CellRow(rec.get("cell"), col.apply("experiments").isEmpty() ? List.of() : List.of(col.apply("experiments").split(";")),
            col.apply("bench").isEmpty() ? dev.llamasweep.spec.Bench.LLAMA_BENCH : dev.llamasweep.spec.Bench.of(col.apply("bench")),
            params, new CellRow.Outcome(CellStatus.of(rec.get("status")), col.apply("reason"),
                col.apply("duration_s").isEmpty() ? 0 : Double.parseDouble(col.apply("duration_s")),
                col.apply("harness_cpu_s").isEmpty() ? null : Double.valueOf(col.apply("harness_cpu_s")), col.apply("observed_profile"),
                col.apply("command"), col.apply("machine")),
            PowerJson.ofLine(col.apply("power"), where), orderOf(col.apply("order")),
            new CellRow.Facts(emptyToNull(col.apply("model_file")), col.apply("model_size").isEmpty() ? null : Long.parseLong(col.apply("model_size")),
                emptyToNull(col.apply("model_type")), emptyToNull(col.apply("type_k")), emptyToNull(col.apply("type_v")),
                emptyToNull(col.apply("backends")), emptyToNull(col.apply("llama_cpp_build"))));
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
