package dev.llamasweep.cli;

import dev.llamasweep.results.SqlExport;
import dev.llamasweep.spec.SpecLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "export-sql", mixinStandardHelpOptions = true,
    description = {"Write llama-bench results to SQLite in llama-bench's own -o sql schema.",
        "Takes a spec or a data directory; llama.cpp's scripts/compare-llama-bench.py can read the result.",
        "avg/stddev come from our samples."})
final class ExportSqlCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "SPEC|DATA_DIR|NAME", description = "a spec, a data directory, or a dataset name under --data-root")
  String source;

  @Option(names = "--data-root", paramLabel = "DIR", description = "default: ${DEFAULT-VALUE}")
  Path dataRoot = Path.of("data");

  @Option(names = "--out", paramLabel = "FILE", description = "default: reports/<name>/llama-bench.sqlite")
  Path out;

  @Override
  public Integer call() {
    Path dir = Datasets.resolve(source, dataRoot).dataDir();
    if (!Files.isRegularFile(dir.resolve("cells.csv"))) throw new IllegalArgumentException(dir + " holds no results yet; run the spec first.");
    Path db = out != null ? out : Path.of("reports", dir.getFileName().toString(), "llama-bench.sqlite");
    int n = SqlExport.export(dir, db);
    System.err.println("llama-sweep: wrote " + n + " rows to " + db + " (table llama_bench)");
    return 0;
  }
}
