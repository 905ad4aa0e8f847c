package dev.llamasweep.build;

import dev.llamasweep.models.SyntheticModels;

import dev.llamasweep.io.Processes;
import dev.llamasweep.io.Processes.ToolFailure;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import dev.llamasweep.spec.BuildOptions;
import dev.llamasweep.spec.CpuFeature;

/**
 * The pinned llama.cpp: fetched from the npm registry (node-llama-cpp ships the llama.cpp release
 * as a git bundle), checked against a known sha256, built with CMake into a cache outside the
 * repository, keyed by the source commit, and reused on the next run.
 */
public final class Toolchain implements dev.llamasweep.models.ModelTools {
  public static final String NPM_PACKAGE = "node-llama-cpp@3.21.1";
  public static final String NPM_SHA256 = "7a231d6bafa14142a1cbed9893d4ec5bc6041b2a5f5939a623accaab4203c11f";
  public static final String COMMIT = dev.llamasweep.spec.LlamaCppVersion.PINNED_COMMIT;
  /**
   * What llama.cpp's build info counts for this source: the release bundle is one squashed commit, so a
   * clone of it says build 1. Passed to CMake with the commit, so a build from a tarball without git
   * history (a GPU machine's way) reports the same build as one from the bundle instead of "unknown (build 0)".
   */
  public static final int BUILD_NUMBER = 1;
  /**
   * llama-server measures speculative decoding and its baseline through the same /completion timings
   * (llama-speculative-simple, which nothing runs any more, is no longer built: a first run is shorter).
   */
  /** llama.cpp's RPC server (tools/rpc): what an {@code rpc:} backend's cells start, or another host runs. */
  public static final String RPC_SERVER = "ggml-rpc-server";

  public static final List<String> TARGETS = List.of("llama-bench", "llama-server", "llama-batched-bench", "llama-quantize", "llama-convert-llama2c-to-ggml",
      RPC_SERVER);
  private static final Pattern CMAKE_PROGRESS = Pattern.compile("^\\[\\s*\\d+%\\].*");

  private final Path cache;
  private final PrintStream progress;
  private final Release release;
  private final boolean server;

  public Toolchain(Path cache, PrintStream progress) {
    this(cache, progress, Release.PINNED, false);
  }

  private Toolchain(Path cache, PrintStream progress, Release release, boolean server) {
    this.cache = cache;
    this.progress = progress;
    this.release = release;
    this.server = server;
  }

  /** The same cache building another llama.cpp release (its own directory, keyed by its commit). */
  public Toolchain forRelease(Release r) {
    return new Toolchain(cache, progress, r, server);
  }

  /** This toolchain, also building llama-server for a release other than the pinned one (speculative cells need it). */
  public Toolchain withServer() {
    return new Toolchain(cache, progress, release, true);
  }

  public Release release() { return release; }

  /** "llama.cpp 80fb11a" for the pinned release, "llama.cpp v0.5.0 (de3ff81)" for another: how progress lines name it. */
  private String name() {
    return release.isPinned() ? "llama.cpp " + COMMIT : release.label();
  }

  /** The pinned toolchain on the same cache: its tools make every synthetic model, whatever release a backend builds. */
  private Toolchain pinned() {
    return release.isPinned() ? this : new Toolchain(cache, progress);
  }

  /** {@code $LLAMA_SWEEP_CACHE}, else {@code $XDG_CACHE_HOME/llama-sweep}, else {@code ~/.cache/llama-sweep}. */
  public static Path defaultCache() {
    String explicit = System.getenv("LLAMA_SWEEP_CACHE");
    if (explicit != null && !explicit.isBlank()) return Path.of(explicit);
    String xdg = System.getenv("XDG_CACHE_HOME");
    if (xdg != null && !xdg.isBlank()) return Path.of(xdg, "llama-sweep");
    return Path.of(System.getProperty("user.home"), ".cache", "llama-sweep");
  }

  public Path cache() { return cache; }
  public Path root() { return cache.resolve("llama.cpp").resolve(release.shortCommit()); }
  public Path source() { return root().resolve("src"); }
  public Path buildDir(String kind) { return buildDir(kind, BuildOptions.DEFAULT); }
  /** Each combination of kind and options has its own directory: build-cpu, build-cpu-no-amx, build-vulkan-cmake-1a2b3c4d. */
  public Path buildDir(String kind, BuildOptions options) { return root().resolve("build-" + kind + options.dirSuffix()); }
  public Path binDir(String kind) { return buildDir(kind).resolve("bin"); }
  private static Path marker(Path build) { return build.resolve(".llama-sweep-complete"); }

  /** What each kind of build makes: the CPU build also makes the model tools; GPU builds make what GPU sweeps run. */
  public static List<String> targets(String kind) {
    return switch (kind) {
      case "cpu" -> TARGETS;
      case "vulkan" -> VULKAN_TARGETS;
      default -> GPU_TARGETS;
    };
  }

  private static boolean complete(Path build, List<String> targets) {
    try {
      return Files.isRegularFile(marker(build)) && dev.llamasweep.io.InputFiles.text(marker(build), dev.llamasweep.io.InputFiles.Kind.RECORD).lines().toList().containsAll(targets);
    } catch (IllegalArgumentException e) {
      return false;  // a marker that cannot be read: the build is made again
    }
  }

  public boolean isBuilt(String kind) {
    return complete(buildDir(kind), targetsOf(kind));
  }

  /**
   * What this toolchain builds of a kind: the pinned release all of {@link #targets}; another release
   * only what its cells run (llama-bench, and llama-server when asked or on a GPU): it is compared, not
   * used to make models, and a build on 2 cores then takes minutes fewer.
   */
  public List<String> targetsOf(String kind) {
    if (release.isPinned()) return targets(kind);
    boolean gpu = !kind.equals("cpu") && !kind.equals("vulkan");
    return server || gpu ? List.of("llama-bench", "llama-server", "llama-batched-bench") : List.of("llama-bench", "llama-batched-bench");
  }

  /**
   * Where the model tools (llama2c converter, quantize) are: a complete GPU build already has them
   * (they run on the CPU), so a GPU machine need not build the CPU backend too; else the CPU build.
   */
  public Path modelToolsBin() {
    if (!release.isPinned()) return pinned().modelToolsBin();
    for (String gpu : List.of("cuda", "rocm")) {
      Path bin = binDir(gpu);
      if (complete(buildDir(gpu), GPU_TARGETS) && hasModelTools(bin)) return bin;
    }
    return ensureCpuBuild();
  }

  private static boolean hasModelTools(Path bin) {
    return Files.isExecutable(bin.resolve("llama-quantize")) && Files.isExecutable(bin.resolve("llama-convert-llama2c-to-ggml"));
  }

  /** The weight types every self-test covers: the families of llama.cpp's quantized kernels the default sweep uses. */
  public static final List<String> SELF_TEST_TYPES = List.of("Q4_0", "Q8_0", "Q4_K_M");

  /** The CPU build as the default sweep uses it: built, self-tested, and routed around a crashing CPU feature if it must be. */
  public Path ensureCpuBuild() {
    return prove("cpu", BuildOptions.DEFAULT, SELF_TEST_TYPES).bin();
  }

  /** Why a backend cannot be built here; its cells become "skipped: backend unavailable (why)". */
  public static final class Unavailable extends RuntimeException {
    public Unavailable(String why) { super(why); }
  }

  /** llama-bench for backend comparisons, llama-batched-bench for batch curves (a small target: libllama is built anyway). */
  public static final List<String> VULKAN_TARGETS = List.of("llama-bench", "llama-batched-bench", RPC_SERVER);

  /** The GPU builds' targets: what GPU sweeps run (llama-bench, llama-server for speculative pairs) and the tools that make synthetic models. */
  public static final List<String> GPU_TARGETS = List.of("llama-bench", "llama-server", "llama-batched-bench", "llama-convert-llama2c-to-ggml", "llama-quantize",
      RPC_SERVER);

  public Path vulkanHeaders() {
    return cache.resolve("vulkan-headers/root/usr/include");
  }

  /** What the Vulkan build needs that is missing here, or null when all is present. */
  public String vulkanMissing() {
    List<String> missing = new ArrayList<>();
    if (!onPath("glslc")) missing.add("glslc");
    if (!Files.isDirectory(Path.of("/usr/include/spirv"))) missing.add("spirv-headers");
    if (!Files.isRegularFile(vulkanHeaders().resolve("vulkan/vulkan.h"))) missing.add("Vulkan headers 1.4 in " + vulkanHeaders());
    boolean loader = false;
    for (String dir : List.of("/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib")) {
      loader |= Files.exists(Path.of(dir, "libvulkan.so"));
    }
    if (!loader) missing.add("libvulkan-dev");
    return missing.isEmpty() ? null : "missing " + String.join(", ", missing) + "; pipelines/scripts/vulkan-deps.sh installs them (as root)";
  }

  /** The Vulkan build of the pinned source (llama-bench only: it is what backend comparisons run), self-tested. */
  public Path ensureVulkanBuild() {
    return prove("vulkan", BuildOptions.DEFAULT, SELF_TEST_TYPES).bin();
  }

  /** A CUDA or ROCm build of the pinned source, self-tested. */
  public Path ensureGpuBuild(String kind) {
    return prove(kind, BuildOptions.DEFAULT, SELF_TEST_TYPES).bin();
  }

  /** What a build of this kind needs that is missing here, or null. */
  private String missingFor(String kind) {
    return switch (kind) {
      case "cpu" -> null;
      case "vulkan" -> vulkanMissing();
      default -> CmakeConfig.gpuMissing(kind);
    };
  }

  // every configure runs with GIT_CEILING_DIRECTORIES at the cache root: a source without its own .git
  // (given as a tarball) inside someone's git checkout would otherwise report that checkout's commit as
  // llama.cpp's build_commit; LLAMA_BUILD_COMMIT then names the pinned one.

  /** The configure command this toolchain runs for a build directory (tests configure one for real). */
  public static List<String> configureArgsFor(String kind, BuildOptions options, Toolchain tc, Path build) {
    return CmakeConfig.configureArgs(kind, options, tc.ensureSource(), build, tc.root(), null, tc.vulkanHeaders(), tc.release);
  }

  public Path ensureBuilt(String kind, BuildOptions options) {
    Path build = buildDir(kind, options);
    List<String> targets = targetsOf(kind);
    // a build made before OpenSSL was there is reconfigured in place (only the HTTP client and the links are redone)
    List<String> done = new ArrayList<>(targets);
    if (CmakeConfig.https(kind)) done.add("https");
    if (complete(build, done)) return build.resolve("bin");
    String missing = missingFor(kind);
    if (missing != null) throw new Unavailable(missing);
    ensureSource();
    String label = kind.equals("cpu") ? "CPU" : kind.equals("vulkan") ? "Vulkan" : kind.toUpperCase(java.util.Locale.ROOT);
    String opts = options.isDefault() ? "" : " (" + options.describe() + ")";
    String name = name();
    try {
      progress.println(name + ": configuring the " + label + " build" + opts + " in " + build);
      Processes.checkWithProgress(CmakeConfig.configureArgs(kind, options, source(), build, root(), kind.equals("cuda") ? CmakeConfig.cudaArchitectures() : null,
          vulkanHeaders(), release), null, "cmake configure (" + kind + opts + ")", progress, l -> false);
      int jobs = Math.max(1, Runtime.getRuntime().availableProcessors());
      String time = switch (kind) {
        case "cpu" -> "about 10 minutes on 2 cores";
        case "vulkan" -> "about 7 minutes on 2 cores";
        default -> "about 5 minutes on 16 cores";
      };
      progress.println(name + ": building " + String.join(", ", targets) + " for " + label + opts + " with " + jobs
          + " jobs (" + time + "; once)");
      List<String> argv = new ArrayList<>(List.of("cmake", "--build", build.toString(), "-j", String.valueOf(jobs), "--target"));
      argv.addAll(targets);
      Processes.checkWithProgress(argv, null, "cmake build (" + kind + opts + ")", progress, l -> CMAKE_PROGRESS.matcher(l).matches());
      Files.write(marker(build), done);
    } catch (ToolFailure e) {
      if (kind.equals("cpu") && options.isDefault() && release.isPinned()) throw e;
      throw new Unavailable("the " + label + " build" + opts + " failed: " + e.getMessage().lines().findFirst().orElse(""));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    progress.println(name + ": built into " + build.resolve("bin"));
    return build.resolve("bin");
  }

  /**
   * The build's test-backend-ops (llama.cpp's own kernel benchmark, what the compute wall runs), built
   * on demand into the same directory: the build is reconfigured with its tests on, which adds targets
   * and changes no flag, so only test-backend-ops itself compiles (a minute or two on 2 cores, once).
   */
  public Path ensureTestBackendOps(Path bin) {
    Path exe = bin.resolve("test-backend-ops");
    if (Files.isExecutable(exe)) return exe;
    Path build = bin.getParent();
    if (!Files.isRegularFile(build.resolve("CMakeCache.txt"))) throw new Unavailable("no configured build in " + build);
    String name = name();
    try {
      progress.println(name + ": building test-backend-ops in " + build + " (for the compute wall; once)");
      Processes.checkWithProgress(List.of("env", "GIT_CEILING_DIRECTORIES=" + root(), "cmake", "-S", source().toString(), "-B", build.toString(),
          "-DLLAMA_BUILD_TESTS=ON"), null, "cmake configure (tests)", progress, l -> false);
      int jobs = Math.max(1, Runtime.getRuntime().availableProcessors());
      Processes.checkWithProgress(List.of("cmake", "--build", build.toString(), "-j", String.valueOf(jobs), "--target", "test-backend-ops"), null,
          "cmake build (test-backend-ops)", progress, l -> CMAKE_PROGRESS.matcher(l).matches());
    } catch (ToolFailure e) {
      throw new Unavailable("test-backend-ops could not be built: " + e.getMessage().lines().findFirst().orElse(""));
    }
    if (!Files.isExecutable(exe)) throw new Unavailable("test-backend-ops was not built into " + bin);
    return exe;
  }

  /** A build that has been through its self-test: its record and the directory its binaries are in. */
  public record Proven(BuildRecord record, Path bin) {}

  /**
   * Builds, self-tests and, when the self-test crashes in a CPU feature's kernels, rebuilds without
   * that feature and tests again, saying so. Every step is cached (builds by options, self-test runs
   * per build and type), so a second call runs nothing. A build whose self-test fails for no feature
   * llama-sweep can name is still used: its cells run and are recorded as they end, by name.
   */
  public Proven prove(String kind, BuildOptions requested, java.util.Collection<String> types) {
    BuildOptions options = requested;
    List<String> turnedOff = new ArrayList<>();
    while (true) {
      Path bin = ensureBuilt(kind, options);
      SelfTest.Result result = selfTest(kind, options, bin, types);
      if (result.passed()) return new Proven(record(kind, requested, options, bin, result, turnedOff), bin);
      java.util.Optional<CrashDiagnosis.Blame> blame = blame(kind, options, requested, result);
      if (blame.isEmpty()) {
        progress.println("llama.cpp: the " + kind + " build's self-test failed (" + result.summary() + "; runs kept in "
            + buildDir(kind, options).resolve("self-test") + "); no CPU feature explains it, so its cells run and are recorded as they end.");
        return new Proven(record(kind, requested, options, bin, result, turnedOff), bin);
      }
      turnedOff.add(blame.get().fact());
      progress.println("llama.cpp: " + blame.get().fact() + ". Using a build without " + blame.get().feature().label() + ".");
      options = options.without(blame.get().feature());
    }
  }

  /**
   * The build {@link #prove} would use, from what is already on disk (complete builds and recorded
   * self-tests), running and building nothing: what {@code plan} and {@code reports} name.
   */
  public Path provenBinIfKnown(String kind, BuildOptions requested) {
    BuildOptions options = requested;
    for (int i = 0; i <= CpuFeature.values().length; i++) {
      Path dir = buildDir(kind, options).resolve("self-test");
      if (!Files.isDirectory(dir)) break;
      SelfTest.Result r = SelfTest.recorded(dir);
      if (r.passed()) break;
      java.util.Optional<CrashDiagnosis.Blame> blame = blame(kind, options, requested, r);
      if (blame.isEmpty() || !complete(buildDir(kind, options.without(blame.get().feature())), targetsOf(kind))) break;
      options = options.without(blame.get().feature());
    }
    return buildDir(kind, options).resolve("bin");
  }

  /** The one routing decision {@link #prove} and {@link #provenBinIfKnown} share: a feature off already or kept on is never blamed. */
  private java.util.Optional<CrashDiagnosis.Blame> blame(String kind, BuildOptions options, BuildOptions requested, SelfTest.Result r) {
    java.util.Set<CpuFeature> excluded = java.util.EnumSet.noneOf(CpuFeature.class);
    excluded.addAll(options.featuresOff());
    excluded.addAll(requested.keptOn());
    return CrashDiagnosis.diagnose(r, HostCpu.flags(), CmakeConfig.compiledIn(buildDir(kind, options), options), excluded);
  }

  private SelfTest.Result selfTest(String kind, BuildOptions options, Path bin, java.util.Collection<String> types) {
    Path tools = hasModelTools(bin) ? bin : modelToolsBin();
    SyntheticModels tiny = new SyntheticModels(pinned(), progress, SyntheticModels.Shape.SELF_TEST).withTools(tools);
    java.util.Map<String, Path> models = new java.util.LinkedHashMap<>();
    for (String t : types) models.put(t, tiny.ensure("target", t));
    return SelfTest.run(bin, models, buildDir(kind, options).resolve("self-test"), progress);
  }

  private BuildRecord record(String kind, BuildOptions requested, BuildOptions used, Path bin, SelfTest.Result r, List<String> turnedOff) {
    return new BuildRecord(kind, requested, used, buildDir(kind, used).toString(), SystemInfo.of(buildDir(kind, used), source()), r,
        List.copyOf(turnedOff), release);
  }

  private static boolean onPath(String exe) {
    return dev.llamasweep.io.Programs.onPath(exe);
  }

  /**
   * An offline machine (a GPU box without network) is given the pinned source as a tarball or a
   * directory in this variable, made on a machine that fetched it; it is unpacked into the cache.
   */
  public static final String SOURCE_VARIABLE = "LLAMA_SWEEP_LLAMA_CPP_SOURCE";

  /** Fetches and verifies the pinned source if it is not in the cache yet (or unpacks the one given in {@link #SOURCE_VARIABLE}). */
  public Path ensureSource() {
    if (Files.isRegularFile(source().resolve("CMakeLists.txt"))) return source();
    if (!release.isPinned()) {
      try {
        new NpmReleases(cache, progress).resolve(new dev.llamasweep.spec.LlamaCppVersion(release.packageVersion(),
            dev.llamasweep.spec.LlamaCppVersion.Kind.PACKAGE));
      } catch (NpmReleases.Unresolved e) {
        throw new Unavailable(e.getMessage());
      }
      return source();
    }
    return PinnedSource.fetch(root(), source(), progress);
  }

  static String sha256(Path file) throws IOException {
    return dev.llamasweep.io.Hashes.sha256(file);
  }

  static void deleteTree(Path p) throws IOException {
    dev.llamasweep.io.Trees.delete(p);
  }
}
