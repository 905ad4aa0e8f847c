package dev.llamasweep.cli;

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
    var plans = Ingest.write(r, name, dataDir, file.toAbsolutePath());
    var meta = dev.llamasweep.execute.RawStore.JSON.createObjectNode().put("source", file.toAbsolutePath().toString());
    if (memory != null) meta.put("memory", memory);
    AtomicFiles.write(dataDir.resolve("ingest.json"), w -> w.write(meta.toPrettyString() + "\n"));
    Path report = Reports.write(Ingest.spec(name, plans, mem, file.toAbsolutePath()), plans, dataDir, reportsRoot.resolve(name));
    System.err.println("llama-sweep: ingested " + r.records().size() + " records (" + r.problems().size() + " skipped) into "
        + plans.size() + " cells in " + dataDir + "; report: " + report);
    return 0;
  }
}
