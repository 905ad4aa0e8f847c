package dev.llamasweep.cli;

import dev.llamasweep.spec.Spec;
import dev.llamasweep.spec.SpecLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * One way to name a result set, for every command: a spec (its data/&lt;name&gt;/), a data directory,
 * or a dataset's name under the data root (what `ingest --name` made, or a spec's name).
 */
final class Datasets {
  private Datasets() {}

  /** A resolved result set: its name, its data directory, and the spec when one was given. */
  record Dataset(String name, Path dataDir, Spec spec) {
    boolean ingested() {
      return Files.isRegularFile(dataDir.resolve("ingest.json"));
    }
  }

  static Dataset resolve(String arg, Path dataRoot) {
    Path p = Path.of(arg);
    if ((arg.endsWith(".yaml") || arg.endsWith(".yml")) && Files.isRegularFile(p)) {
      Spec spec = new SpecLoader(Path.of("").toAbsolutePath()).load(p);
      return new Dataset(spec.name(), dataRoot.resolve(spec.name()), spec);
    }
    if (Files.isDirectory(p) && hasResults(p)) return new Dataset(p.toAbsolutePath().normalize().getFileName().toString(), p, null);
    Path named = dataRoot.resolve(arg);
    if (!arg.contains("/") && Files.isDirectory(named) && hasResults(named)) return new Dataset(arg, named, null);
    throw new IllegalArgumentException("'" + arg + "' is not a spec (.yaml), a data directory with results, or a dataset under "
        + dataRoot + (known(dataRoot).isEmpty() ? "" : " (there: " + String.join(", ", known(dataRoot)) + ")") + ".");
  }

  static boolean hasResults(Path dir) {
    return Files.isRegularFile(dir.resolve("samples.csv")) && Files.isRegularFile(dir.resolve("cells.csv"));
  }

  static List<String> known(Path dataRoot) {
    if (!Files.isDirectory(dataRoot)) return List.of();
    try (Stream<Path> s = Files.list(dataRoot)) {
      return s.filter(Datasets::hasResults).map(d -> d.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      return List.of();
    }
  }
}
