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
      .add("kind", s -> s.r().kind())
      .add("n_prompt", s -> s.r().nPrompt())
      .add("n_gen", s -> s.r().nGen())
      .add("n_depth", s -> s.r().nDepth())
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
      .add("model_file", s -> modelFile(s.cell()))
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
      .add("observed_profile", CellData::observedProfile)
      // the command that ran, from the raw cell (a re-render on another machine plans other paths)
      .add("command", ResultFiles::commandThatRan)
      .add("machine", CellData::machineNote)
      .add("power", CellData::power)
      .add("order", CellData::order)
      // what the cell's first record says it ran: enough for a cross-host report without reading samples
      .add("model_file", c -> c.records().isEmpty() ? null : modelFile(c))
      .add("model_size", c -> c.records().isEmpty() ? null : c.records().get(0).modelSize())
      .add("model_type", c -> c.records().isEmpty() ? null : c.records().get(0).modelType())
      .add("type_k", c -> c.records().isEmpty() ? null : c.records().get(0).typeK())
      .add("type_v", c -> c.records().isEmpty() ? null : c.records().get(0).typeV())
      .add("backends", c -> c.records().isEmpty() ? null : c.records().get(0).backends())
      // the llama.cpp build that made the cell's figures, as llama-bench reports it: a sweep can mix releases
      .add("llama_cpp_build", c -> c.records().isEmpty() ? null : c.records().get(0).buildCommit() + " (build " + c.records().get(0).buildNumber() + ")")
      .build();

  public static final List<String> SAMPLE_FIELDS = SAMPLES.names();
  public static final List<String> CELL_FIELDS = CELLS.names();

  private ResultFiles() {}

  /** cell, experiments, bench and every axis: the columns both files start with. */
  private static <T> FieldTable.Builder<T> withAxes(FieldTable.Builder<T> b, java.util.function.Function<T, CellData> cell) {
    b.add("cell", t -> cell.apply(t).plan().id())
        .add("experiments", t -> String.join(";", cell.apply(t).plan().experiments()))
        .add("bench", t -> cell.apply(t).plan().bench().word);
    for (String axis : AXES) b.add(axis, t -> cell.apply(t).plan().params().get(axis));
    return b;
  }

  public static void write(Path dataDir, List<CellData> cells) {
    List<CellData> sorted = new ArrayList<>(cells);
    sorted.sort(Comparator.comparingInt(c -> c.plan().index()));
    AtomicFiles.write(dataDir.resolve("samples.csv"), w -> {
      try (CSVPrinter p = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setHeader(SAMPLES.header()).get())) {
        for (CellData c : sorted) {
          for (BenchRecord r : c.records()) {
            for (int i = 0; i < r.samplesTs().size(); i++) p.printRecord(SAMPLES.row(new Sample(c, r, i)));
          }
        }
      }
    });
    AtomicFiles.write(dataDir.resolve("cells.csv"), w -> {
      try (CSVPrinter p = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setHeader(CELLS.header()).get())) {
        for (CellData c : sorted) p.printRecord(CELLS.row(c));
      }
    });
  }

  static String commandThatRan(CellData c) {
    dev.llamasweep.execute.RawResult r = dev.llamasweep.execute.RawResult.readOrNull(Path.of(c.plan().rawDir()));
    if (r == null || r.argv().isEmpty()) return c.plan().shellCommand();
    return String.join(" ", r.argv().stream().map(ResultFiles::quote).toList());
  }

  private static String quote(String a) {
    return a.matches("[A-Za-z0-9_./:=@%+,-]+") ? a : "'" + a.replace("'", "'\\''") + "'";
  }

  /** The model file's name (without .gguf) as the command loaded it: what `compare` matches on. */
  static String modelFile(CellData c) {
    List<String> argv = c.plan().argv();
    int m = argv.indexOf("-m");
    String path = m >= 0 && m + 1 < argv.size() ? argv.get(m + 1) : String.valueOf(c.plan().params().get("model"));
    return path.substring(path.lastIndexOf('/') + 1).replaceAll("\\.gguf$", "");
  }
}
