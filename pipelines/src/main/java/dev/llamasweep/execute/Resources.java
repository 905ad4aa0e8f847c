package dev.llamasweep.execute;

import dev.llamasweep.build.BuildRecord;
import dev.llamasweep.build.NpmReleases;
import dev.llamasweep.build.Release;
import dev.llamasweep.build.SelfTest;
import dev.llamasweep.build.Toolchain;
import dev.llamasweep.gguf.GgufInfo;
import dev.llamasweep.llamacpp.Flags;
import dev.llamasweep.models.HfModels;
import dev.llamasweep.models.ModelOrigin;
import dev.llamasweep.models.SyntheticModels;

import dev.llamasweep.io.Processes;
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
  private final Map<String, ModelOrigin> origins = new HashMap<>();
  private final Map<Path, java.util.Optional<String>> helps = new HashMap<>();
  private final Set<Path> pinned = new java.util.HashSet<>();
  private final List<String> missing = new java.util.ArrayList<>();
  private final Map<String, GgufInfo> gguf = new HashMap<>();
  private final Map<String, String> unavailable = new HashMap<>();
  private final Map<String, BuildRecord> builds = new HashMap<>();
  private final Map<String, Release> releases = new HashMap<>();

  /**
   * @param build build the toolchain and generate models when needed (false for {@code plan})
   * @param strict a missing file is an error (true before running); otherwise it is only listed in {@link #missing()}
   */
  /** What resolving a spec's binaries and models is for: whether it builds, and what a missing one is. */
  public enum Purpose {
    /** `validate`: nothing is built; a missing model or backend is an error. */
    VALIDATE(false, true, true),
    /** `plan` and a render: nothing is built; what is missing is said in the plan, never an error. */
    PLAN(false, false, false),
    /** a run: what is missing is built; a missing model is an error, a missing backend makes its cells "skipped: backend unavailable". */
    RUN(true, true, false);

    final boolean build;
    final boolean strictModels;
    final boolean strictBackends;

    Purpose(boolean build, boolean strictModels, boolean strictBackends) {
      this.build = build;
      this.strictModels = strictModels;
      this.strictBackends = strictBackends;
    }
  }

  public static Resources resolve(Spec spec, List<Cell> cells, Toolchain toolchain, SyntheticModels synthetic, PrintStream progress, Purpose purpose) {
    return resolve(spec, cells, toolchain, synthetic, progress, purpose, Network.ONLINE);
  }

  /** Where hf: models may come from. */
  public enum Network {
    ONLINE,
    /** llama.cpp's cache only (its --offline): one sentence when a model is not there */
    OFFLINE
  }

  public static Resources resolve(Spec spec, List<Cell> cells, Toolchain toolchain, SyntheticModels synthetic,
      PrintStream progress, Purpose purpose, Network network) {
    boolean build = purpose.build;
    boolean strict = purpose.strictModels;
    boolean strictBackends = purpose.strictBackends;
    boolean offline = network == Network.OFFLINE;
    Resources r = new Resources();
    Set<String> backendNames = new LinkedHashSet<>();
    Set<String> modelNames = new LinkedHashSet<>();
    for (Cell c : cells) {
      backendNames.add(c.backend());
      modelNames.add(c.model());
    }
    for (Cell c : cells) {
      if (c.get(dev.llamasweep.spec.Axis.DRAFT) != null) modelNames.add((String) c.get(dev.llamasweep.spec.Axis.DRAFT));
    }
    if (build) {
      // a GPU build also makes the tools synthetic models need, so a GPU box builds no CPU backend
      for (String name : backendNames) {
        Spec.Backend b = spec.backends().get(name);
        String kind = b.build();
        if (b.pinned() && ("cuda".equals(kind) || "rocm".equals(kind)) && dev.llamasweep.build.CmakeConfig.gpuMissing(kind) == null) {
          try {
            toolchain.ensureBuilt(kind, b.buildOptions());
          } catch (Toolchain.Unavailable e) {
            // recorded below with the backend's location
          }
        }
      }
    }
    // a model only cells of a GPU backend that cannot run here would use is not generated (gigabytes for nothing)
    Set<String> cannotRun = new java.util.HashSet<>();
    for (String name : backendNames) {
      String kind = spec.backends().get(name).build();
      if (("cuda".equals(kind) || "rocm".equals(kind)) && !Files.isExecutable(toolchain.binDir(kind).resolve("llama-bench"))
          && dev.llamasweep.build.CmakeConfig.gpuMissing(kind) != null) {
        cannotRun.add(name);
      }
    }
    Set<String> neededModels = new LinkedHashSet<>();
    for (Cell c : cells) {
      if (cannotRun.contains(c.backend())) continue;
      neededModels.add(c.model());
      if (c.get(dev.llamasweep.spec.Axis.DRAFT) != null) neededModels.add((String) c.get(dev.llamasweep.spec.Axis.DRAFT));
    }
    for (String name : modelNames) {
      Spec.Model m = spec.models().get(name);
      boolean make = purpose.build && neededModels.contains(name);
      Path path;
      if ("like".equals(m.synthetic())) {
        GgufInfo header;
        try {
          header = Files.isRegularFile(m.like()) ? GgufInfo.read(m.like()) : null;
        } catch (java.io.IOException e) {
          throw m.pathLocation().error("names " + m.like() + ", which is not a readable GGUF header: " + e.getMessage() + ".");
        }
        if (header == null) {
          String problem = "names the GGUF header " + m.like() + ", which does not exist.";
          if (strict) throw m.pathLocation().error(problem);
          r.missing.add(m.pathLocation().error(problem).getMessage());
          path = m.like();
        } else {
          try {
            path = make ? synthetic.like(m.like()) : synthetic.likePath(m.like(), header);
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        }
      } else if (m.hf() != null) {
        // fetched (or found) by llama.cpp's own downloader when the sweep needs it; `plan` only looks in the cache
        Path hfCache = HfModels.cacheDir(System.getenv());
        HfModels.Resolved found;
        try {
          found = make ? HfModels.resolve(m.hf(), toolchain.modelToolsBin().resolve("llama-bench"), offline, System.getenv(), progress)
              : HfModels.cached(m.hf(), hfCache);
        } catch (dev.llamasweep.io.Processes.ToolFailure e) {
          throw m.pathLocation().error(e.getMessage());  // where in the spec, then what llama.cpp could not do; nothing has run
        }
        if (found == null) {
          String problem = "names hf: " + m.hf() + ", which is not in llama.cpp's cache (" + hfCache + ") yet: `run` fetches it.";
          if (strict) throw m.pathLocation().error(problem);
          r.missing.add(m.pathLocation().error(problem).getMessage());
          path = hfCache.resolve("models--" + m.hf().repo().replace("/", "--"));
        } else {
          path = found.file();
          r.origins.put(name, ModelOrigin.of(found));
        }
      } else if (m.synthetic() != null) {
        path = make ? synthetic.ensure(m.synthetic(), m.quant()) : synthetic.path(m.synthetic(), m.quant());
        dev.llamasweep.catalogue.CatalogueModel shape = dev.llamasweep.catalogue.Catalogue.of(m.synthetic());
        if (shape != null) {
          r.origins.put(name, new ModelOrigin("catalogue", shape.id() + " " + m.quant(), shape.source(), path.toString(), -1, null, null));
        }
      } else {
        path = m.path();
        if (!Files.isRegularFile(path)) {
          String problem = Files.isDirectory(path) ? "names " + path + ", which is a directory, not a model file."
              : "names the model file " + path + ", which does not exist.";
          if (strict) throw m.pathLocation().error(problem);
          r.missing.add(m.pathLocation().error(problem).getMessage());
        }
      }
      r.models.put(name, path);
    }
    java.util.Set<String> types = r.selfTestTypes(spec, neededModels);
    for (String name : backendNames) {
      Spec.Backend b = spec.backends().get(name);
      Path bin;
      if (b.build() != null) {
        Toolchain tc;
        try {
          tc = r.toolchainFor(b, toolchain, cells, progress, build);
        } catch (Toolchain.Unavailable e) {
          r.unavailable.put(name, e.getMessage());
          r.missing.add(b.llamaCppLocation().error("cannot be had: " + e.getMessage() + ".").getMessage());
          r.bins.put(name, toolchain.cache().resolve("llama.cpp").resolve("unresolved-" + b.llamaCpp().text()).resolve("bin"));
          continue;
        }
        bin = tc.provenBinIfKnown(b.build(), b.buildOptions());
        r.pinned.add(bin);
        try {
          String missing = b.build().equals("vulkan") ? toolchain.vulkanMissing() : b.build().equals("cpu") ? null : dev.llamasweep.build.CmakeConfig.gpuMissing(b.build());
          if (build) {
            Toolchain.Proven p = tc.prove(b.build(), b.buildOptions(), types);
            bin = p.bin();
            r.pinned.add(bin);
            r.builds.put(name, p.record());
          } else if (!Files.isExecutable(bin.resolve("llama-bench")) && missing != null) {
            throw new Toolchain.Unavailable(missing);
          }
        } catch (Toolchain.Unavailable e) {
          String what = b.build().equals("vulkan") ? "Vulkan: " + e.getMessage() : e.getMessage();
          r.unavailable.put(name, what);
          r.missing.add(b.binLocation().error("cannot be built here: " + e.getMessage() + ".").getMessage());
        }
      } else {
        bin = b.bin();
        // the programs its cells run (llama-bench when it has none: what describes its devices)
        java.util.Set<String> programs = new java.util.TreeSet<>();
        for (Cell c : cells) if (c.backend().equals(name)) programs.add(c.bench().program());
        if (programs.isEmpty()) programs.add("llama-bench");
        Path dir = bin;
        String lacking = programs.stream().filter(p -> !Files.isExecutable(dir.resolve(p))).findFirst().orElse(null);
        String problem = !Files.isDirectory(bin) ? "names the directory " + bin + ", which does not exist."
            : lacking != null ? "names " + bin + ", which holds no executable " + lacking + "." : null;
        if (problem != null) {
          // an explicit bin that does not exist is a mistake in the spec, for run as for validate
          if (strict || strictBackends) throw b.binLocation().error(problem);
          r.missing.add(b.binLocation().error(problem).getMessage());
          r.unavailable.put(name, problem.replace("names ", "").replaceAll("\\.$", ""));
        }
      }
      r.bins.put(name, bin);
    }
    r.checkPairs(spec, cells, strict);
    return r;
  }

  /**
   * The toolchain that builds a backend: the pinned one, or for {@code llama_cpp: <version>} the same
   * cache building that release, resolved through the npm registry when building (a version fetched
   * before resolves offline; {@code plan} and {@code reports} never fetch). A version that cannot be had
   * is {@link Toolchain.Unavailable}: its cells are skipped with the reason and the other arms run.
   */
  private Toolchain toolchainFor(Spec.Backend b, Toolchain pinned, List<Cell> cells, PrintStream progress, boolean fetch) {
    if (b.pinned()) return pinned;
    NpmReleases npm = new NpmReleases(pinned.cache(), progress);
    Release release;
    try {
      release = fetch ? npm.resolve(b.llamaCpp()) : npm.resolveIfKnown(b.llamaCpp()).orElse(null);
    } catch (NpmReleases.Unresolved e) {
      throw new Toolchain.Unavailable(b.llamaCpp().describe() + ": " + e.getMessage());
    }
    if (release == null) throw new Toolchain.Unavailable(b.llamaCpp().describe() + " has not been fetched yet (a run fetches it)");
    releases.put(b.name(), release);
    boolean speculative = cells.stream().anyMatch(c -> c.backend().equals(b.name()) && c.bench().program().equals("llama-server"));
    Toolchain tc = pinned.forRelease(release);
    return speculative ? tc.withServer() : tc;
  }

  /** The llama.cpp release a backend was resolved to, or null for a pinned or 'bin:' backend. */
  public Release release(String backend) {
    return releases.get(backend);
  }

  /**
   * A draft must speak the target's vocabulary and be smaller than it; both are read from the GGUF
   * headers before anything runs. A file that is not GGUF is left for llama.cpp to reject in the cell.
   */
  private void checkPairs(Spec spec, List<Cell> cells, boolean strict) {
    for (Cell c : cells) {
      Object draftName = c.get(dev.llamasweep.spec.Axis.DRAFT);
      if (draftName == null) continue;
      GgufInfo target = gguf(c.model());
      GgufInfo draft = gguf((String) draftName);
      if (target == null || draft == null) continue;
      Spec.Model dm = spec.models().get((String) draftName);
      String problem = null;
      if (!target.vocabHash().equals(draft.vocabHash())) {
        problem = "is the draft for '" + c.model() + "' but has a different vocabulary (" + draft.vocabSize() + " tokens vs "
            + target.vocabSize() + ", or the same size with other tokens), so its drafts cannot be checked by the target.";
      } else if (draft.tensorBytes() >= target.tensorBytes()) {
        problem = "is the draft for '" + c.model() + "' but is not smaller than it (" + draft.tensorBytes() + " vs "
            + target.tensorBytes() + " bytes of weights); a draft only pays off when it is much cheaper to run.";
      }
      if (problem != null) {
        if (strict) throw dm.pathLocation().error(problem);
        missing.add(dm.pathLocation().error(problem).getMessage());
      }
    }
  }

  /** The GGUF header of a model, or null when the file is missing or not GGUF. */
  public GgufInfo gguf(String model) {
    Path p = models.get(model);
    if (p == null) return null;
    return gguf.computeIfAbsent(model, m -> {
      try {
        return Files.isRegularFile(p) ? GgufInfo.read(p) : null;
      } catch (java.io.IOException e) {
        return null;
      }
    });
  }

  /** The speculative flag dialect of a build's llama-server, read from its --help. */
  public Flags.SpecDialect specDialect(String backend) {
    Path bin = bins.get(backend);
    String help = help(bin.resolve("llama-server"));
    if (help == null) return pinned.contains(bin) ? Flags.SpecDialect.SPEC_DRAFT_N_MAX : Flags.SpecDialect.UNKNOWN;
    return Flags.serverSpecDialect(help);
  }

  /** An executable's --help, read once; null when it does not exist or does not answer. */
  private String help(Path exe) {
    return helps.computeIfAbsent(exe, e -> Files.isExecutable(e)
        ? java.util.Optional.ofNullable(Processes.capture(List.of(e.toString(), "--help"), null, 30)) : java.util.Optional.empty())
        .orElse(null);
  }

  public Path bin(String backend) { return bins.get(backend); }

  /** What a backend built here was built with and how its self-test went; null for a 'bin:' backend or when nothing was built. */
  public BuildRecord build(String backend) { return builds.get(backend); }

  /**
   * The weight types a build's self-test covers: the default families plus each model's own — a
   * synthetic model's quant, or the quantized types of a model file's weight matrices.
   */
  private java.util.Set<String> selfTestTypes(Spec spec, Set<String> modelNames) {
    java.util.Set<String> types = new LinkedHashSet<>(Toolchain.SELF_TEST_TYPES);
    for (String name : modelNames) {
      Spec.Model m = spec.models().get(name);
      if (m.synthetic() != null && m.quant() != null && !m.synthetic().equals("like")) {
        if (!m.quant().equals("F32")) types.add(m.quant());
        continue;
      }
      GgufInfo info = gguf(name);
      if (info == null) continue;
      for (GgufInfo.Tensor t : info.tensors()) {
        String q = t.ne().length >= 2 ? SelfTest.quantizeName(t.type()) : null;
        if (q != null) types.add(q);
      }
    }
    return types;
  }

  /**
   * Takes the reasons of a resolution that tried to build and fetch (a version the registry lacks, a
   * build that failed) over this one's, which only looked at the cache and can say no more than "not fetched".
   */
  public Resources withUnavailableFrom(Resources built) {
    built.unavailable.forEach((backend, why) -> {
      if (unavailable.containsKey(backend)) unavailable.put(backend, why);
    });
    return this;
  }

  /** Why a backend cannot run, or null when it can. */
  public String unavailable(String backend) {
    return unavailable.get(backend);
  }

  /** Files the spec names that do not exist (only filled when not strict). */
  public List<String> missing() { return missing; }
  public Path model(String model) { return models.get(model); }

  /** Where a model's file came from (hf: or the catalogue), or null for a file or a toy synthetic model. */
  public ModelOrigin origin(String model) { return origins.get(model); }

  /** A backend's llama-bench --help, or null when it is not built yet (plan) or prints none. */
  public String benchHelp(String backend) {
    Path bin = bins.get(backend);
    return bin == null ? null : help(bin.resolve("llama-bench"));
  }

  /** The mmap flag dialect of a build's llama-bench, read from its --help. */
  public Flags.MmapDialect mmapDialect(String backend) {
    Path bin = bins.get(backend);
    String help = help(bin.resolve("llama-bench"));
    // the pinned build not built yet: its dialect is known
    if (help == null) return pinned.contains(bin) ? Flags.MmapDialect.LOAD_MODE : Flags.MmapDialect.UNKNOWN;
    return Flags.benchMmapDialect(help);
  }
}
