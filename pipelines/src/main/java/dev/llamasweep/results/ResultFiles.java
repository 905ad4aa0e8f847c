package dev.llamasweep.results;

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
 * cell with its status), written with Commons CSV, each to a temporary file renamed into place.
 */
public final class ResultFiles {
  public static final List<String> AXES = java.util.Arrays.stream(Axis.values()).map(a -> a.key).toList();
  public static final List<String> SAMPLE_FIELDS = concat(List.of("cell", "experiments", "bench"), AXES,
      List.of("test", "kind", "n_prompt", "n_gen", "n_depth", "rep", "tokens_per_s", "ns", "model_size",
          "model_n_params", "build_commit", "build_number", "backends", "n_threads", "n_gpu_layers", "load_mode",
          "observed_profile", "n_drafted", "n_accepted", "model_file", "type_k", "type_v", "model_type", "source_n", "source_sd", "record_flash_attn"));
  public static final List<String> CELL_FIELDS = concat(List.of("cell", "experiments", "bench"), AXES,
      List.of("status", "reason", "duration_s", "observed_profile", "command", "machine", "power", "order"));

  private ResultFiles() {}

  private static List<String> concat(List<String> a, List<String> b, List<String> c) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    out.addAll(c);
    return List.copyOf(out);
  }

  public static void write(Path dataDir, List<CellData> cells) {
    List<CellData> sorted = new ArrayList<>(cells);
    sorted.sort(Comparator.comparingInt(c -> c.plan().index()));
    AtomicFiles.write(dataDir.resolve("samples.csv"), w -> {
      try (CSVPrinter p = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setHeader(SAMPLE_FIELDS.toArray(String[]::new)).get())) {
        for (CellData c : sorted) {
          for (BenchRecord r : c.records()) {
            for (int i = 0; i < r.samplesTs().size(); i++) {
              List<Object> row = prefix(c);
              row.addAll(List.of(r.test(), r.kind(), r.nPrompt(), r.nGen(), r.nDepth(), i + 1, r.samplesTs().get(i),
                  r.samplesNs().get(i), r.modelSize(), r.modelNParams(), r.buildCommit(), r.buildNumber(), r.backends(),
                  r.nThreads(), r.nGpuLayers(), r.loadMode(), nz(c.observedProfile()),
                  r.samplesDrafted().isEmpty() ? "" : r.samplesDrafted().get(i),
                  r.samplesAccepted().isEmpty() ? "" : r.samplesAccepted().get(i), modelFile(c), r.typeK(), r.typeV(), r.modelType(),
                  r.fromSource() && r.sourceN() > 0 ? r.sourceN() : "", r.fromSource() ? r.sourceSd() : "", r.flashAttn()));
              p.printRecord(row);
            }
          }
        }
      }
    });
    AtomicFiles.write(dataDir.resolve("cells.csv"), w -> {
      try (CSVPrinter p = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setHeader(CELL_FIELDS.toArray(String[]::new)).get())) {
        for (CellData c : sorted) {
          List<Object> row = prefix(c);
          row.addAll(List.of(c.status(), nz(c.reason()), c.seconds(), nz(c.observedProfile()), c.plan().shellCommand(), nz(c.machineNote()), nz(c.power()), nz(c.order())));
          p.printRecord(row);
        }
      }
    });
  }

  /** The model file's name (without .gguf) as the command loaded it: what `compare` matches on. */
  static String modelFile(CellData c) {
    List<String> argv = c.plan().argv();
    int m = argv.indexOf("-m");
    String path = m >= 0 && m + 1 < argv.size() ? argv.get(m + 1) : String.valueOf(c.plan().params().get("model"));
    return path.substring(path.lastIndexOf('/') + 1).replaceAll("\\.gguf$", "");
  }

  private static List<Object> prefix(CellData c) {
    List<Object> row = new ArrayList<>();
    row.add(c.plan().id());
    row.add(String.join(";", c.plan().experiments()));
    row.add(c.plan().bench());
    for (String axis : AXES) {
      Object v = c.plan().params().get(axis);
      row.add(v == null ? "" : v);
    }
    return row;
  }

  private static String nz(String s) { return s == null ? "" : s; }
}
