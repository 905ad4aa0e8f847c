package dev.llamasweep.llamacpp;

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

/**
 * The pinned llama.cpp: fetched from the npm registry (node-llama-cpp ships the llama.cpp release
 * as a git bundle), checked against a known sha256, built with CMake into a cache outside the
 * repository, keyed by the source commit, and reused on the next run.
 */
public final class Toolchain {
  public static final String NPM_PACKAGE = "node-llama-cpp@3.21.1";
  public static final String NPM_SHA256 = "7a231d6bafa14142a1cbed9893d4ec5bc6041b2a5f5939a623accaab4203c11f";
  public static final String COMMIT = "80fb11a";
  /** llama-server measures speculative decoding and its baseline through the same /completion timings. */
  public static final List<String> TARGETS = List.of("llama-bench", "llama-server", "llama-speculative-simple",
      "llama-quantize", "llama-convert-llama2c-to-ggml");
  private static final Pattern CMAKE_PROGRESS = Pattern.compile("^\\[\\s*\\d+%\\].*");

  private final Path cache;
  private final PrintStream progress;

  public Toolchain(Path cache, PrintStream progress) {
    this.cache = cache;
    this.progress = progress;
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
  public Path root() { return cache.resolve("llama.cpp").resolve(COMMIT); }
  public Path source() { return root().resolve("src"); }
  public Path buildDir(String backend) { return root().resolve("build-" + backend); }
  public Path binDir(String backend) { return buildDir(backend).resolve("bin"); }
  private Path marker(String backend) { return buildDir(backend).resolve(".llama-sweep-complete"); }

  public boolean isBuilt(String backend) {
    try {
      return Files.isRegularFile(marker(backend))
          && Files.readAllLines(marker(backend)).containsAll(TARGETS);
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Where the model tools (llama2c converter, quantize) are: a complete GPU build already has them
   * (they run on the CPU), so a GPU machine need not build the CPU backend too; else the CPU build.
   */
  public Path modelToolsBin() {
    for (String gpu : List.of("cuda", "rocm")) {
      Path bin = binDir(gpu);
      if (Files.isRegularFile(marker(gpu)) && Files.isExecutable(bin.resolve("llama-quantize"))
          && Files.isExecutable(bin.resolve("llama-convert-llama2c-to-ggml"))) {
        return bin;
      }
    }
    return ensureCpuBuild();
  }

  // every configure runs with GIT_CEILING_DIRECTORIES at the cache root: a source without its own .git
  // (given as a tarball) inside someone's git checkout would otherwise report that checkout's commit as
  // llama.cpp's build_commit; now it says "unknown", and a fetched source reports its own.

  /** Makes sure the CPU build exists, building it (with progress) only when it does not. */
  public Path ensureCpuBuild() {
    if (isBuilt("cpu")) return binDir("cpu");
    ensureSource();
    Path build = buildDir("cpu");
    progress.println("llama.cpp " + COMMIT + ": configuring the CPU build in " + build);
    Processes.checkWithProgress(List.of("env", "GIT_CEILING_DIRECTORIES=" + root(), "cmake", "-S", source().toString(), "-B", build.toString(),
        "-DCMAKE_BUILD_TYPE=Release", "-DLLAMA_CURL=OFF", "-DLLAMA_OPENSSL=OFF",
        "-DLLAMA_BUILD_TESTS=OFF", "-DGGML_NATIVE=ON"), null, "cmake configure", progress, l -> false);
    int jobs = Math.max(1, Runtime.getRuntime().availableProcessors());
    progress.println("llama.cpp " + COMMIT + ": building " + String.join(", ", TARGETS) + " with " + jobs
        + " jobs (about 10 minutes on 2 cores; this happens once)");
    List<String> argv = new ArrayList<>(List.of("cmake", "--build", build.toString(), "-j", String.valueOf(jobs), "--target"));
    argv.addAll(TARGETS);
    Processes.checkWithProgress(argv, null, "cmake build", progress, l -> CMAKE_PROGRESS.matcher(l).matches());
    try {
      Files.write(marker("cpu"), TARGETS);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    progress.println("llama.cpp " + COMMIT + ": built into " + binDir("cpu"));
    return binDir("cpu");
  }

  /** Why a backend cannot be built here; its cells become "skipped: backend unavailable (why)". */
  public static final class Unavailable extends RuntimeException {
    public Unavailable(String why) { super(why); }
  }

  public static final List<String> VULKAN_TARGETS = List.of("llama-bench");

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

  /**
   * The Vulkan build of the pinned source (llama-bench only: it is what backend comparisons run).
   * Throws {@link Unavailable} with the reason when its build dependencies are missing or it fails.
   */
  public Path ensureVulkanBuild() {
    if (Files.isRegularFile(marker("vulkan")) && Files.isExecutable(binDir("vulkan").resolve("llama-bench"))) return binDir("vulkan");
    String missing = vulkanMissing();
    if (missing != null) throw new Unavailable(missing);
    ensureSource();
    Path build = buildDir("vulkan");
    try {
      progress.println("llama.cpp " + COMMIT + ": configuring the Vulkan build in " + build);
      Processes.checkWithProgress(List.of("env", "GIT_CEILING_DIRECTORIES=" + root(), "cmake", "-S", source().toString(), "-B", build.toString(),
          "-DCMAKE_BUILD_TYPE=Release", "-DLLAMA_CURL=OFF", "-DLLAMA_OPENSSL=OFF", "-DLLAMA_BUILD_TESTS=OFF",
          "-DGGML_NATIVE=ON", "-DGGML_VULKAN=ON", "-DVulkan_INCLUDE_DIR=" + vulkanHeaders()), null, "cmake configure (Vulkan)", progress, l -> false);
      int jobs = Math.max(1, Runtime.getRuntime().availableProcessors());
      progress.println("llama.cpp " + COMMIT + ": building the Vulkan llama-bench with " + jobs + " jobs (about 7 minutes on 2 cores; once)");
      List<String> argv = new ArrayList<>(List.of("cmake", "--build", build.toString(), "-j", String.valueOf(jobs), "--target"));
      argv.addAll(VULKAN_TARGETS);
      Processes.checkWithProgress(argv, null, "cmake build (Vulkan)", progress, l -> CMAKE_PROGRESS.matcher(l).matches());
      Files.write(marker("vulkan"), VULKAN_TARGETS);
    } catch (ToolFailure e) {
      throw new Unavailable("the Vulkan build failed: " + e.getMessage().lines().findFirst().orElse(""));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return binDir("vulkan");
  }

  /** The GPU builds' targets: what GPU sweeps run (llama-bench, llama-server for speculative pairs) and the tools that make synthetic models. */
  public static final List<String> GPU_TARGETS = List.of("llama-bench", "llama-server", "llama-convert-llama2c-to-ggml", "llama-quantize");

  /**
   * The CUDA build (when nvcc is found) or the ROCm/HIP build (when hipcc is found) of the pinned
   * source. CUDA architectures come from {@code nvidia-smi --query-gpu=compute_cap} (9.0 → 90) or
   * "native"; ROCm targets from {@code $AMDGPU_TARGETS} when set, else hipcc's own default. Throws
   * {@link Unavailable} ("no nvcc", the build's first error) so the backend's cells are skipped with the reason.
   */
  public Path ensureGpuBuild(String kind) {
    Path build = buildDir(kind);
    if (Files.isRegularFile(marker(kind)) && Files.isExecutable(binDir(kind).resolve("llama-bench"))) return binDir(kind);
    String missing = gpuMissing(kind);
    if (missing != null) throw new Unavailable(missing);
    ensureSource();
    List<String> configure = new ArrayList<>(List.of("env", "GIT_CEILING_DIRECTORIES=" + root(), "cmake", "-S", source().toString(), "-B", build.toString(),
        "-DCMAKE_BUILD_TYPE=Release", "-DLLAMA_CURL=OFF", "-DLLAMA_OPENSSL=OFF", "-DLLAMA_BUILD_TESTS=OFF", "-DGGML_NATIVE=ON"));
    if (kind.equals("cuda")) {
      configure.add("-DGGML_CUDA=ON");
      configure.add("-DCMAKE_CUDA_ARCHITECTURES=" + cudaArchitectures());
    } else {
      configure.add("-DGGML_HIP=ON");
      String targets = System.getenv("AMDGPU_TARGETS");
      if (targets != null && !targets.isBlank()) configure.add("-DAMDGPU_TARGETS=" + targets);
    }
    try {
      progress.println("llama.cpp " + COMMIT + ": configuring the " + kind.toUpperCase(java.util.Locale.ROOT) + " build in " + build);
      Processes.checkWithProgress(configure, null, "cmake configure (" + kind + ")", progress, l -> false);
      int jobs = Math.max(1, Runtime.getRuntime().availableProcessors());
      progress.println("llama.cpp " + COMMIT + ": building " + String.join(", ", GPU_TARGETS) + " for " + kind + " with " + jobs
          + " jobs (about 5 minutes on 16 cores; once)");
      List<String> argv = new ArrayList<>(List.of("cmake", "--build", build.toString(), "-j", String.valueOf(jobs), "--target"));
      argv.addAll(GPU_TARGETS);
      Processes.checkWithProgress(argv, null, "cmake build (" + kind + ")", progress, l -> CMAKE_PROGRESS.matcher(l).matches());
      Files.write(marker(kind), GPU_TARGETS);
    } catch (ToolFailure e) {
      throw new Unavailable("the " + kind + " build failed: " + e.getMessage().lines().findFirst().orElse(""));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return binDir(kind);
  }

  /**
   * What a GPU build needs that is missing here ("no nvcc"), or null. A toolkit without a GPU is
   * missing its GPU too: building the CUDA kernels takes an hour on a small machine, and every cell
   * would then fail at its first allocation.
   */
  public static String gpuMissing(String kind) {
    if (kind.equals("cuda")) {
      if (!onPath("nvcc") && !Files.isExecutable(Path.of("/usr/local/cuda/bin/nvcc"))) return "no nvcc (the CUDA toolkit)";
      Processes.Captured smi = Processes.captureWithExit(List.of("nvidia-smi", "--query-gpu=name", "--format=csv,noheader"), null, 20);
      if (smi == null || smi.exit() != 0 || smi.output().isBlank()) return "no NVIDIA GPU (nvcc is here, but nvidia-smi lists no GPU)";
      return null;
    }
    if (kind.equals("rocm")) return onPath("hipcc") || Files.isExecutable(Path.of("/opt/rocm/bin/hipcc")) ? null : "no hipcc (ROCm)";
    return "unknown GPU build " + kind;
  }

  /** "90" for compute capability 9.0 (one entry per distinct GPU), or "native" when nvidia-smi cannot say. */
  static String cudaArchitectures() {
    try {
      Processes.Captured r = Processes.captureWithExit(List.of("nvidia-smi", "--query-gpu=compute_cap", "--format=csv,noheader"), null, 20);
      if (r.exit() == 0) {
        String archs = cudaArchitectures(r.output());
        if (archs != null) return archs;
      }
    } catch (RuntimeException e) {
      // no nvidia-smi: let CMake ask the driver
    }
    return "native";
  }

  /** The compute capabilities nvidia-smi printed ("9.0\n8.6") as CMake architectures ("90;86"); null when none parse. */
  static String cudaArchitectures(String computeCaps) {
    java.util.TreeSet<String> out = new java.util.TreeSet<>();
    for (String l : computeCaps.split("\\R")) {
      if (l.trim().matches("\\d+\\.\\d+")) out.add(l.trim().replace(".", ""));
    }
    return out.isEmpty() ? null : String.join(";", out);
  }

  private static boolean onPath(String exe) {
    String path = System.getenv("PATH");
    if (path == null) return false;
    for (String dir : path.split(":")) {
      if (Files.isExecutable(Path.of(dir, exe))) return true;
    }
    return false;
  }

  /**
   * An offline machine (a GPU box without network) is given the pinned source as a tarball or a
   * directory in this variable, made on a machine that fetched it; it is unpacked into the cache.
   */
  public static final String SOURCE_VARIABLE = "LLAMA_SWEEP_LLAMA_CPP_SOURCE";

  /** Fetches and verifies the pinned source if it is not in the cache yet (or unpacks the one given in {@link #SOURCE_VARIABLE}). */
  public Path ensureSource() {
    if (Files.isRegularFile(source().resolve("CMakeLists.txt"))) return source();
    try {
      Files.createDirectories(root());
      Path work = Files.createTempDirectory(root(), ".fetch-");
      String given = System.getenv(SOURCE_VARIABLE);
      if (given != null && !given.isBlank()) {
        Path g = Path.of(given);
        progress.println("llama.cpp " + COMMIT + ": using the source given in " + SOURCE_VARIABLE + " (" + g + "), not fetched");
        Path clone = Files.createDirectories(work.resolve("src"));
        if (Files.isDirectory(g)) Processes.check(List.of("cp", "-a", g + "/.", clone.toString()), work, "copying the given llama.cpp source");
        else Processes.check(List.of("tar", "-xaf", g.toString(), "-C", clone.toString()), work, "unpacking the given llama.cpp source");
        if (!Files.isRegularFile(clone.resolve("CMakeLists.txt"))) {
          throw new ToolFailure(SOURCE_VARIABLE + "=" + g + " holds no llama.cpp source (no CMakeLists.txt at its top).");
        }
        Files.move(clone, source(), StandardCopyOption.ATOMIC_MOVE);
        deleteTree(work);
        return source();
      }
      progress.println("llama.cpp " + COMMIT + ": fetching " + NPM_PACKAGE + " from the npm registry");
      Processes.check(List.of("npm", "pack", NPM_PACKAGE, "--silent", "--pack-destination", work.toString()), work, "npm pack " + NPM_PACKAGE);
      Path tgz;
      try (var files = Files.list(work)) {
        tgz = files.filter(f -> f.toString().endsWith(".tgz")).findFirst()
            .orElseThrow(() -> new ToolFailure("npm pack " + NPM_PACKAGE + " produced no tarball in " + work + "."));
      }
      String actual = sha256(tgz);
      if (!actual.equals(NPM_SHA256)) {
        throw new ToolFailure("refusing the llama.cpp source: " + tgz.getFileName() + " has sha256 " + actual
            + " but the pinned " + NPM_PACKAGE + " has " + NPM_SHA256 + ".");
      }
      Processes.check(List.of("tar", "-xzf", tgz.toString(), "-C", work.toString(), "package/llama/gitRelease.bundle"), work, "unpacking the llama.cpp bundle");
      Path clone = work.resolve("src");
      Processes.check(List.of("git", "clone", "--quiet", work.resolve("package/llama/gitRelease.bundle").toString(), clone.toString()), work, "git clone of the llama.cpp bundle");
      String head = Processes.check(List.of("git", "-C", clone.toString(), "rev-parse", "HEAD"), work, "git rev-parse").trim();
      if (!head.startsWith(COMMIT)) {
        throw new ToolFailure("the llama.cpp bundle in " + NPM_PACKAGE + " is at commit " + head + ", not the pinned " + COMMIT + ".");
      }
      Files.move(clone, source(), StandardCopyOption.ATOMIC_MOVE);
      deleteTree(work);
      return source();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      int n;
      while ((n = in.read(buf)) > 0) md.update(buf, 0, n);
      return HexFormat.of().formatHex(md.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) return;
    try (var walk = Files.walk(p)) {
      for (Path q : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(q);
    }
  }
}
