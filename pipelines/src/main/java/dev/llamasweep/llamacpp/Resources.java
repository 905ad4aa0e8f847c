package dev.llamasweep.llamacpp;

import dev.llamasweep.execute.Processes;
import dev.llamasweep.spec.Cell;
import dev.llamasweep.spec.Spec;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Resolves the backends and models that selected cells use into real files: builds the pinned
 * llama.cpp and generates synthetic models when asked, and checks that named files exist. A missing
 * file is a spec error pointing at the line that names it, raised before anything runs.
 */
public final class Resources {
  private final Map<String, Path> bins = new HashMap<>();
  private final Map<String, Path> models = new HashMap<>();
  private final Map<Path, Flags.MmapDialect> dialects = new HashMap<>();
  private final Set<Path> pinned = new java.util.HashSet<>();
  private final List<String> missing = new java.util.ArrayList<>();

  /**
   * @param build build the toolchain and generate models when needed (false for {@code plan})
   * @param strict a missing file is an error (true before running); otherwise it is only listed in {@link #missing()}
   */
  public static Resources resolve(Spec spec, List<Cell> cells, Toolchain toolchain, SyntheticModels synthetic,
      PrintStream progress, boolean build, boolean strict) {
    Resources r = new Resources();
    Set<String> backendNames = new LinkedHashSet<>();
    Set<String> modelNames = new LinkedHashSet<>();
    for (Cell c : cells) {
      backendNames.add(c.backend());
      modelNames.add(c.model());
    }
    for (String name : modelNames) {
      Spec.Model m = spec.models().get(name);
      Path path;
      if (m.synthetic() != null) {
        path = build ? synthetic.ensure(m.synthetic(), m.quant()) : synthetic.path(m.synthetic(), m.quant());
      } else {
        path = m.path();
        if (!Files.isRegularFile(path)) {
          String problem = "names the model file " + path + ", which does not exist.";
          if (strict) throw m.pathLocation().error(problem);
          r.missing.add(m.pathLocation().error(problem).getMessage());
        }
      }
      r.models.put(name, path);
    }
    for (String name : backendNames) {
      Spec.Backend b = spec.backends().get(name);
      Path bin;
      if (b.build() != null) {
        bin = build ? toolchain.ensureCpuBuild() : toolchain.binDir("cpu");
        r.pinned.add(bin);
      } else {
        bin = b.bin();
        String problem = !Files.isDirectory(bin) ? "names the directory " + bin + ", which does not exist."
            : !Files.isExecutable(bin.resolve("llama-bench")) ? "names " + bin + ", which holds no executable llama-bench." : null;
        if (problem != null) {
          if (strict) throw b.binLocation().error(problem);
          r.missing.add(b.binLocation().error(problem).getMessage());
        }
      }
      r.bins.put(name, bin);
    }
    return r;
  }

  public Path bin(String backend) { return bins.get(backend); }

  /** Files the spec names that do not exist (only filled when not strict). */
  public List<String> missing() { return missing; }
  public Path model(String model) { return models.get(model); }

  /** The mmap flag dialect of a build's llama-bench, read once from its --help. */
  public Flags.MmapDialect mmapDialect(String backend) {
    Path bin = bins.get(backend);
    return dialects.computeIfAbsent(bin, b -> {
      Path exe = b.resolve("llama-bench");
      // the pinned build not built yet: its dialect is known
      if (!Files.isExecutable(exe)) return pinned.contains(b) ? Flags.MmapDialect.LOAD_MODE : Flags.MmapDialect.UNKNOWN;
      String help = Processes.capture(List.of(exe.toString(), "--help"), null, 30);
      return help == null ? Flags.MmapDialect.UNKNOWN : Flags.benchMmapDialect(help);
    });
  }
}
