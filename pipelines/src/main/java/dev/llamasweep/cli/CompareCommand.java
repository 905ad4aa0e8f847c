package dev.llamasweep.cli;

import dev.llamasweep.report.CompareReport;
import dev.llamasweep.report.HtmlReport;
import dev.llamasweep.results.AtomicFiles;
import dev.llamasweep.spec.SpecLoader;
import java.nio.file.Files;
import java.nio.file.Path;
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
  @Parameters(index = "0", paramLabel = "A", description = "the baseline: a spec (its data/<name>/) or a data directory")
  Path a;

  @Parameters(index = "1", paramLabel = "B", description = "the candidate, likewise")
  Path b;

  @Option(names = "--data-root", paramLabel = "DIR", description = "where specs' data lives (default: ${DEFAULT-VALUE})")
  Path dataRoot = Path.of("data");

  @Option(names = "--out", paramLabel = "DIR", description = "where compare.md and compare.html go (default: reports/compare-<A>-vs-<B>)")
  Path out;

  @Override
  public Integer call() {
    Path da = dataDir(a);
    Path db = dataDir(b);
    String na = da.getFileName().toString();
    String nb = db.getFileName().toString();
    Path dir = out != null ? out : Path.of("reports", "compare-" + na + "-vs-" + nb);
    String md = CompareReport.render(na, da, nb, db);
    AtomicFiles.write(dir.resolve("compare.md"), w -> w.write(md));
    AtomicFiles.write(dir.resolve("compare.html"), w -> w.write(HtmlReport.render("llama-sweep compare: " + nb + " against " + na, md, Map.of())));
    System.err.println("llama-sweep: wrote " + dir.resolve("compare.md") + " and compare.html");
    System.out.println(md.lines().filter(l -> l.contains("matching tests")).findFirst().orElse(""));
    return 0;
  }

  private Path dataDir(Path p) {
    if (Files.isDirectory(p) && Files.isRegularFile(p.resolve("samples.csv"))) return p;
    if (Files.isRegularFile(p) && p.toString().endsWith(".yaml")) {
      Path d = dataRoot.resolve(new SpecLoader(Path.of("").toAbsolutePath()).load(p).name());
      if (Files.isRegularFile(d.resolve("samples.csv"))) return d;
      throw new IllegalArgumentException(p + " has no results yet in " + d + "; run it first.");
    }
    throw new IllegalArgumentException(p + " is neither a spec (.yaml) nor a data directory with samples.csv.");
  }
}
