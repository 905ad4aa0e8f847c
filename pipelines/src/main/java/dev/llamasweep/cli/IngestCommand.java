package dev.llamasweep.cli;

import java.util.List;
import java.util.Map;

import dev.llamasweep.report.Reports;
import dev.llamasweep.io.AtomicFiles;
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
  @Parameters(index = "0", arity = "1..*", paramLabel = "FILE", description = "llama-bench output: .jsonl, .json, .csv or a SQLite database; several files make one dataset")
  List<Path> files;

  @Option(names = "--replace", description = "replace an existing dataset of this name (never mixed with it)")
  boolean replace;

  @Option(names = "--name", required = true, paramLabel = "NAME", description = "names data/<NAME>/")
  String name;

  @Option(names = "--data-root", paramLabel = "DIR", description = "default: ${DEFAULT-VALUE}")
  Path dataRoot = Path.of("data");

  @Option(names = "--reports-root", paramLabel = "DIR", description = "default: ${DEFAULT-VALUE}")
  Path reportsRoot = Path.of("reports");

  @Option(names = "--memory", paramLabel = "WALL", description = {"the theoretical wall of the memory the records ran from, for utilisation and ceilings:",
      "MT/s:bus bits such as 5600:128 (DDR5-5600, 128-bit bus) or a vendor's figure such as 800GB/s"})
  String memory;

  @Option(names = "--gguf", paramLabel = "[MODEL=]FILE", description = {"a model's GGUF file or header-only copy, so bytes per token are",
      "counted as for our own runs; matched to records by model_filename, or named MODEL=FILE; repeatable"})
  List<String> gguf = new java.util.ArrayList<>();

  /** Reads each --gguf header and matches it to a model of the ingested records; one sentence when it cannot. */
  static Map<String, dev.llamasweep.gguf.GgufInfo> headers(List<String> args, java.util.Set<String> models) {
    Map<String, dev.llamasweep.gguf.GgufInfo> out = new java.util.LinkedHashMap<>();
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
        out.put(model, dev.llamasweep.gguf.GgufInfo.read(path));
      } catch (java.io.IOException e) {
        throw new IllegalArgumentException("--gguf " + arg + ": " + e.getMessage() + ".");
      }
    }
    return out;
  }

  @Override
  public Integer call() {
    if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) throw new IllegalArgumentException("--name must be a plain name (it names a folder), not '" + name + "'.");
    for (Path f : files) {
      if (Files.isDirectory(f)) throw new IllegalArgumentException(f + " is a directory, not a file of llama-bench output.");
      if (!Files.isRegularFile(f)) throw new IllegalArgumentException("the file " + f + " does not exist.");
    }
    Spec.HostMemory mem = memory == null ? null : Spec.HostMemory.parse(memory, "given to ingest --memory as " + memory);
    Path dataDir = dataRoot.resolve(name);
    if (Files.exists(dataDir) && !replace) {
      throw new IllegalArgumentException("the dataset " + name + " already exists in " + dataDir + "; pass --replace to replace it "
          + "(its cells are never mixed with new ones) or choose another --name.");
    }
    // read every file first: nothing is written unless at least one record is usable
    List<Ingest.Record> records = new java.util.ArrayList<>();
    List<String> problems = new java.util.ArrayList<>();
    for (Path f : files) {
      Ingest.Result r = Ingest.read(f);
      if (r.records().isEmpty() && !r.problems().isEmpty() && r.problems().stream().allMatch(p -> p.contains(" is missing; skipped."))) {
        problems.add(f + " is not llama-bench output: none of its " + r.problems().size() + " records has llama-bench's fields "
            + "(backends, model_size, n_prompt, n_gen); give llama-bench's -o jsonl, json, csv or sql output.");
      } else {
        problems.addAll(r.problems());
      }
      records.addAll(r.records());
    }
    // the same build, configuration and samples twice (a file concatenated with itself) is one record
    List<String> duplicates = new java.util.ArrayList<>();
    Map<String, String> seen = new java.util.HashMap<>();
    List<Ingest.Record> unique = new java.util.ArrayList<>();
    for (Ingest.Record rec : records) {
      String key = Ingest.cellOf(rec.json()).id() + "|" + rec.json().path("samples_ts") + "|" + rec.json().path("samples_ns")
          + "|" + rec.json().path("test_time").asText("");
      String first = seen.putIfAbsent(key, rec.where());
      if (first != null) {
        duplicates.add(rec.where() + ": the same record as " + first + " (same build, configuration and samples); skipped, not counted twice.");
      } else {
        unique.add(rec);
      }
    }
    records = unique;
    duplicates.forEach(d -> System.err.println("llama-sweep: " + d));
    problems.forEach(p -> System.err.println("llama-sweep: " + p));
    if (records.isEmpty()) {
      System.err.println("llama-sweep: " + (files.size() == 1 ? files.get(0) + " holds" : "these files hold") + " no usable llama-bench record; nothing written.");
      return 2;
    }
    java.util.Set<String> models = new java.util.TreeSet<>();
    // the model names ingest gives cells: the records' model_filename without directory and .gguf
    for (var rec : records) models.add(String.valueOf(Ingest.cellOf(rec.json()).get(dev.llamasweep.spec.Axis.MODEL)));
    Map<String, dev.llamasweep.gguf.GgufInfo> headers = headers(gguf, models);
    if (Files.exists(dataDir)) {
      deleteTree(dataDir);
      deleteTree(reportsRoot.resolve(name));
    }
    String sources = String.join(", ", files.stream().map(f -> f.toAbsolutePath().toString()).toList());
    Ingest.Result all = new Ingest.Result(records, problems);
    var plans = Ingest.write(all, name, dataDir, Path.of(sources));
    Map<String, Path> ggufFiles = new java.util.LinkedHashMap<>();
    for (String arg : gguf) {
      int eq = arg.indexOf('=');
      Path p = Path.of(eq > 0 && !Files.exists(Path.of(arg)) ? arg.substring(eq + 1) : arg).toAbsolutePath();
      headers.forEach((m, g) -> {
        if (!ggufFiles.containsKey(m) && (arg.startsWith(m + "=") || p.getFileName().toString().replaceAll("\\.gguf$", "").equals(m))) ggufFiles.put(m, p);
      });
    }
    dev.llamasweep.results.ModelHeaders.write(dataDir.resolve("models.json"), ggufFiles, headers::get);
    Ingest.writeMachine(records, mem, dataDir.resolve("host.json"));
    var meta = dev.llamasweep.results.RawStore.JSON.createObjectNode().put("source", sources);
    if (memory != null) {
      meta.put("memory", memory);
      meta.put("memory_note", mem.note());
    }
    AtomicFiles.write(dataDir.resolve("ingest.json"), w -> w.write(meta.toPrettyString() + "\n"));
    dev.llamasweep.aggregation.Aggregation.refresh(new BeamArgs().options(List.of()), dataDir);
    Path report = Reports.write(Ingest.spec(name, plans, mem, Path.of(sources)), plans, dataDir, reportsRoot.resolve(name));
    System.err.println("llama-sweep: ingested " + records.size() + " records from " + files.size() + " file(s) into " + plans.size()
        + " cells in " + dataDir + (problems.isEmpty() ? "" : "; " + problems.size() + " record(s) or file(s) skipped, listed above")
        + (duplicates.isEmpty() ? "" : "; " + duplicates.size() + " duplicate record(s) counted once")
        + "; report: " + report);
    // skipped records are not an error of the data that was ingested, but they must not pass silently
    return problems.isEmpty() ? 0 : 3;
  }

  private static void deleteTree(Path dir) {
    try {
      dev.llamasweep.io.Trees.delete(dir);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("removing " + dir, e);
    }
  }
}
