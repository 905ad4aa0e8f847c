package dev.llamasweep.cli;

import dev.llamasweep.results.Ingest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "ingest", mixinStandardHelpOptions = true,
    description = {"Turn llama-bench output measured elsewhere (JSONL, JSON, CSV or its -o sql SQLite database) into",
        "data/<name>/, which `compare` and `export-sql` treat like our own runs. Bad records are reported by line and skipped."})
final class IngestCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "FILE", description = "llama-bench output: .jsonl, .json, .csv or a SQLite database")
  Path file;

  @Option(names = "--name", required = true, paramLabel = "NAME", description = "names data/<NAME>/")
  String name;

  @Option(names = "--data-root", paramLabel = "DIR", description = "default: ${DEFAULT-VALUE}")
  Path dataRoot = Path.of("data");

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
    var plans = Ingest.write(r, name, dataRoot.resolve(name), file.toAbsolutePath());
    System.err.println("llama-sweep: ingested " + r.records().size() + " records (" + r.problems().size() + " skipped) into "
        + plans.size() + " cells in " + dataRoot.resolve(name));
    return 0;
  }
}
