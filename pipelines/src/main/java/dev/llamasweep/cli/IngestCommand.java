package dev.llamasweep.cli;

import java.util.List;
import java.util.Map;

import dev.llamasweep.report.Reports;
import dev.llamasweep.results.AtomicFiles;
import dev.llamasweep.results.Ingest;
import dev.llamasweep.spec.Spec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "ingest", mixinStandardHelpOptions = true,
    description = {"Turn llama-bench output measured elsewhere into a data directory and a report.",
        "Reads JSONL, JSON, CSV or its -o sql SQLite database into data/<name>/ and reports/<name>/, which every",
        "report, `compare` and `export-sql` treat like our own runs. Bad records are reported by line and skipped."})
final class IngestCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "FILE", description = "llama-bench output: .jsonl, .json, .csv or a SQLite database")
  Path file;

  @Option(names = "--name", required = true, paramLabel = "NAME", description = "names data/<NAME>/")
  String name;

  @Option(names = "--data-root", paramLabel = "DIR", description = "default: ${DEFAULT-VALUE}")
  Path dataRoot = Path.of("data");

  @Option(names = "--reports-root", paramLabel = "DIR", description = "default: ${DEFAULT-VALUE}")
  Path reportsRoot = Path.of("reports");

  @Option(names = "--memory", paramLabel = "MTS:BITS", description = "the measuring host's memory, e.g. 5600:128 (DDR5-5600, 128-bit bus), for utilisation and ceilings")
  String memory;

  @Option(names = "--gguf", paramLabel = "[MODEL=]FILE", description = {"a model's GGUF file or header-only copy, so bytes per token are",
      "counted as for our own runs; matched to records by model_filename, or named MODEL=FILE; repeatable"})
  List<String> gguf = new java.util.ArrayList<>();

  /** Reads each --gguf header and matches it to a model of the ingested records; one sentence when it cannot. */
  static Map<String, dev.llamasweep.llamacpp.GgufInfo> headers(List<String> args, java.util.Set<String> models) {
    Map<String, dev.llamasweep.llamacpp.GgufInfo> out = new java.util.LinkedHashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      String named = eq > 0 && !Files.exists(Path.of(arg)) ? arg.substring(0, eq) : null;
      Path path = Path.of(named == null ? arg : arg.substring(eq + 1));
      if (!Files.isRegularFile(path)) throw new IllegalArgumentException("--gguf " + arg + ": the file " + path + " does not exist.");
      String base = path.getFileName().toString().replaceAll("\\.gguf$", "");
      String model = named != null ? named : models.contains(base) ? base : null;
      if (model == null || !models.contains(model)) {
        throw new IllegalArgumentException("--gguf " + arg + ": no ingested record is of the model " + (model == null ? base : model)
            + "; the records' models are " + String.join(", ", new java.util.TreeSet<>(models)) + " (name one as MODEL=FILE).");
      }
      try {
        out.put(model, dev.llamasweep.llamacpp.GgufInfo.read(path));
      } catch (java.io.IOException e) {
        throw new IllegalArgumentException("--gguf " + arg + ": " + e.getMessage() + ".");
      }
    }
    return out;
  }

  @Override
  public Integer call() {
    if (!Files.isRegularFile(file)) throw new IllegalArgumentException("the file " + file + " does not exist.");
    if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) throw new IllegalArgumentException("--name must be a plain name (it names a folder), not '" + name + "'.");
    Ingest.Result r = Ingest.read(file);
    r.problems().forEach(p -> System.err.println("llama-sweep: " + p));
    if (r.records().isEmpty()) {
      System.err.println("llama-sweep: " + file + " holds no usable llama-bench record; nothing written.");
      return 2;
    }
    Spec.HostMemory mem = null;
    if (memory != null) {
      String[] p = memory.split(":");
      if (p.length != 2 || !p[0].matches("\\d+") || !p[1].matches("\\d+") || Long.parseLong(p[1]) % 8 != 0) {
        throw new IllegalArgumentException("--memory takes MT/s:bus bits such as 5600:128, not '" + memory + "'.");
      }
      mem = new Spec.HostMemory(Long.parseLong(p[0]), Long.parseLong(p[1]), "given to ingest on the command line");
    }
    Path dataDir = dataRoot.resolve(name);
    java.util.Set<String> models = new java.util.TreeSet<>();
    // the model names ingest gives cells: the records' model_filename without directory and .gguf
    for (var rec : r.records()) models.add(String.valueOf(Ingest.cellOf(rec.json()).get(dev.llamasweep.spec.Axis.MODEL)));
    Map<String, dev.llamasweep.llamacpp.GgufInfo> headers = headers(gguf, models);
    var plans = Ingest.write(r, name, dataDir, file.toAbsolutePath());
    Map<String, Path> files = new java.util.LinkedHashMap<>();
    for (String arg : gguf) {
      int eq = arg.indexOf('=');
      Path p = Path.of(eq > 0 && !Files.exists(Path.of(arg)) ? arg.substring(eq + 1) : arg).toAbsolutePath();
      headers.forEach((m, g) -> {
        if (!files.containsKey(m) && (arg.startsWith(m + "=") || p.getFileName().toString().replaceAll("\\.gguf$", "").equals(m))) files.put(m, p);
      });
    }
    dev.llamasweep.results.ModelHeaders.write(dataDir.resolve("models.json"), files, headers::get);
    var meta = dev.llamasweep.execute.RawStore.JSON.createObjectNode().put("source", file.toAbsolutePath().toString());
    if (memory != null) meta.put("memory", memory);
    AtomicFiles.write(dataDir.resolve("ingest.json"), w -> w.write(meta.toPrettyString() + "\n"));
    Path report = Reports.write(Ingest.spec(name, plans, mem, file.toAbsolutePath()), plans, dataDir, reportsRoot.resolve(name));
    System.err.println("llama-sweep: ingested " + r.records().size() + " records (" + r.problems().size() + " skipped) into "
        + plans.size() + " cells in " + dataDir + "; report: " + report);
    return 0;
  }
}
