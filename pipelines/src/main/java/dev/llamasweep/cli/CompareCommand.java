package dev.llamasweep.cli;

import dev.llamasweep.report.CompareReport;
import dev.llamasweep.report.HtmlReport;
import dev.llamasweep.io.AtomicFiles;
import dev.llamasweep.spec.SpecLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "compare", mixinStandardHelpOptions = true,
    description = {"Compare two result sets: B / A per matching cell and test, with a noise verdict.",
        "A and B are specs or data directories (before and after a llama.cpp update, two machines, ...);",
        "each ratio carries its propagated uncertainty and a faster / slower / within-noise verdict."})
final class CompareCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "A", description = "the baseline: a spec (its data/<name>/), a data directory, or a dataset name under --data-root")
  String a;

  @Parameters(index = "1", paramLabel = "B", description = "the candidate, likewise")
  String b;

  @Option(names = "--data-root", paramLabel = "DIR", description = "where specs' data lives (default: ${DEFAULT-VALUE})")
  Path dataRoot = Path.of("data");

  @Option(names = "--out", paramLabel = "DIR", description = "where compare.md and compare.html go (default: reports/compare-<A>-vs-<B>)")
  Path out;

  @Option(names = "--threshold-pct", paramLabel = "PCT", description = "the smallest change called real when its 95%% interval excludes 0 (default: ${DEFAULT-VALUE})")
  double thresholdPct = 1.0;

  @Override
  public Integer call() {
    if (!(thresholdPct >= 0) || thresholdPct > 50) throw new IllegalArgumentException("--threshold-pct must be from 0 to 50, not " + thresholdPct + ".");
    Path da = Datasets.resolve(a, dataRoot).dataDir();
    Path db = Datasets.resolve(b, dataRoot).dataDir();
    for (Path d : List.of(da, db)) {
      if (!Datasets.hasResults(d)) throw new IllegalArgumentException(d + " holds no results yet; run its spec first.");
    }
    for (Path d : List.of(da, db)) {
      if (!dev.llamasweep.results.SummaryRow.isCurrent(d)) dev.llamasweep.aggregation.Aggregation.refresh(new BeamArgs().options(List.of()), d);
    }
    String na = da.getFileName().toString();
    String nb = db.getFileName().toString();
    Path dir = out != null ? out : Path.of("reports", "compare-" + na + "-vs-" + nb);
    CompareReport.Result result = CompareReport.compare(na, da, nb, db, thresholdPct / 100);
    String md = result.markdown();
    AtomicFiles.write(dir.resolve("compare.md"), w -> w.write(md));
    AtomicFiles.write(dir.resolve("compare.html"), w -> w.write(HtmlReport.render("llama-sweep compare: " + nb + " against " + na, md, Map.of())));
    System.err.println("llama-sweep: wrote " + dir.resolve("compare.md") + " and compare.html");
    System.out.println(md.lines().filter(l -> l.contains("matching tests")).findFirst().orElse(""));
    if (result.matched() == 0) {
      System.err.println("llama-sweep: no cell of " + nb + " has the same configuration as one of " + na + "; compare.md lists each with what differs.");
      return 3;
    }
    return 0;
  }


}
