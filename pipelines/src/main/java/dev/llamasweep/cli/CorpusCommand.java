package dev.llamasweep.cli;

import dev.llamasweep.aggregation.AggregatePipeline;
import dev.llamasweep.report.CorpusReport;
import dev.llamasweep.report.HtmlReport;
import dev.llamasweep.io.AtomicFiles;
import dev.llamasweep.results.SummaryRow;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Unmatched;

@Command(name = "corpus", mixinStandardHelpOptions = true,
    description = {"Aggregate many data directories (several hosts, sweeps and ingested results) into one report:",
        "hosts side by side with their facts and walls, and per model every host's token generation.",
        "Runs the aggregation on any Beam runner: --runner=FlinkRunner --flinkMaster=[local] (embedded) or host:port (a cluster;",
        "then the data directories and --out must be on storage every Flink worker sees, and the cluster must run Flink 1.19.x:",
        "llama-sweep asks its REST API for its version first and stops with one sentence when it differs)."})
final class CorpusCommand implements Callable<Integer> {
  @Parameters(arity = "1..*", paramLabel = "DIR", description = "data directories (each holds samples.csv), or folders of them such as data/")
  List<Path> dirs;

  @Option(names = "--out", paramLabel = "DIR", description = "where aggregate.csv, corpus.md and corpus.html go (default: ${DEFAULT-VALUE})")
  Path out = Path.of("reports", "corpus");

  @Mixin BeamArgs beam = new BeamArgs();

  @Unmatched
  List<String> beamOptions = new java.util.ArrayList<>();

  @Override
  public Integer call() {
    List<Path> dataDirs = CorpusReport.dataDirs(dirs);
    Path aggregate = out.toAbsolutePath().resolve(SummaryRow.FILE);
    long t0 = System.nanoTime();
    AggregatePipeline.run(beam.options(beamOptions), dataDirs.stream().map(Path::toString).toList(), aggregate.toString());
    long t1 = System.nanoTime();
    String md = CorpusReport.render(dataDirs, aggregate);
    AtomicFiles.write(out.resolve("corpus.md"), w -> w.write(md));
    AtomicFiles.write(out.resolve("corpus.html"), w -> w.write(HtmlReport.render("llama-sweep corpus", md, Map.of())));
    System.err.printf(java.util.Locale.ROOT, "llama-sweep: %d data directories aggregated in %.1f s (%s), rendered in %.1f s: %s%n",
        dataDirs.size(), (t1 - t0) / 1e9, beam.runner, (System.nanoTime() - t1) / 1e9, out.resolve("corpus.md"));
    return 0;
  }
}
