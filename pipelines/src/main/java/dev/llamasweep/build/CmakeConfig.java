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
 * How a llama.cpp build is configured: CMake's command line for a kind of build and a set of options,
 * which CPU features a configured build compiled in, the CUDA architectures of this machine, and why a
 * GPU build cannot be made here. Pure but for the probes it names; {@link Toolchain} runs the builds.
 */
public final class CmakeConfig {
  private CmakeConfig() {}

  /**
   * The configure command of a build: the pinned commit recorded (a source without git history would
   * report "unknown"), the CPU features turned off in the C and C++ flags (gcc's -mno-… wins over
   * -march=native whatever the order), the backend's own options, then the user's CMake options.
   */
  static List<String> configureArgs(String kind, BuildOptions options, Path source, Path build, Path root, String cudaArchitectures,
      Path vulkanHeaders) {
    return configureArgs(kind, options, source, build, root, cudaArchitectures, vulkanHeaders, Release.PINNED);
  }

  static List<String> configureArgs(String kind, BuildOptions options, Path source, Path build, Path root, String cudaArchitectures,
      Path vulkanHeaders, Release release) {
    List<String> argv = new ArrayList<>(List.of("env", "GIT_CEILING_DIRECTORIES=" + root, "cmake", "-S", source.toString(), "-B", build.toString(),
        "-DCMAKE_BUILD_TYPE=Release", "-DLLAMA_CURL=OFF", "-DLLAMA_OPENSSL=" + (https(kind) ? "ON" : "OFF"), "-DLLAMA_BUILD_TESTS=OFF", "-DGGML_NATIVE=ON",
        "-DLLAMA_BUILD_COMMIT=" + release.shortCommit(), "-DLLAMA_BUILD_NUMBER=" + release.buildNumber()));
    List<String> flags = options.compilerFlags();
    if (!flags.isEmpty()) {
      argv.add("-DCMAKE_C_FLAGS=" + String.join(" ", flags));
      argv.add("-DCMAKE_CXX_FLAGS=" + String.join(" ", flags));
    }
    switch (kind) {
      case "vulkan" -> {
        argv.add("-DGGML_VULKAN=ON");
        argv.add("-DVulkan_INCLUDE_DIR=" + vulkanHeaders);
      }
      case "cuda" -> {
        argv.add("-DGGML_CUDA=ON");
        argv.add("-DCMAKE_CUDA_ARCHITECTURES=" + cudaArchitectures);
      }
      case "rocm" -> {
        argv.add("-DGGML_HIP=ON");
        String targets = System.getenv("AMDGPU_TARGETS");
        if (targets != null && !targets.isBlank()) argv.add("-DAMDGPU_TARGETS=" + targets);
      }
      default -> { }
    }
    // every build of the pinned source has llama.cpp's RPC backend and builds its server: any sweep can split a
    // model over rpc-servers (rpc: in a backend), or serve one, without a second build; with no server named it changes nothing
    if (release.isPinned()) argv.add("-DGGML_RPC=ON");
    argv.addAll(options.cmake());
    return argv;
  }

  /**
   * Builds one kind with one set of options unless its directory is complete, with progress. The
   * default CPU build failing stops everything (nothing could run); any other build that cannot be
   * made throws {@link Unavailable}, so only its backend's cells are skipped, with the reason.
   */
  /**
   * Whether a build of this kind links OpenSSL: the CPU build fetches hf: models (llama-bench -hf), and Hugging
   * Face is https; where OpenSSL's headers are installed (make deps installs libssl-dev) it links them, else it
   * is built without and only an http MODEL_ENDPOINT works. GPU builds never download.
   */
  static boolean https(String kind) {
    return kind.equals("cpu") && Files.isRegularFile(Path.of("/usr/include/openssl/ssl.h"));
  }

  /**
   * The CPU features the build's compiler turned on, asked of the compiler itself with the build's
   * flags ({@code -march=native} plus the -mno-… of features off): null when it cannot say.
   */
  static java.util.Set<CpuFeature> compiledIn(Path build, BuildOptions options) {
    String cxx = "c++";
    try {
      Path cache = build.resolve("CMakeCache.txt");
      if (Files.isRegularFile(cache)) {
        for (String l : dev.llamasweep.io.InputFiles.text(cache, dev.llamasweep.io.InputFiles.Kind.RECORD).lines().toList()) if (l.startsWith("CMAKE_CXX_COMPILER:")) cxx = l.substring(l.indexOf('=') + 1);
      }
    } catch (IllegalArgumentException e) {
      // the default compiler then
    }
    List<String> argv = new ArrayList<>(List.of(cxx, "-march=native"));
    argv.addAll(options.compilerFlags());
    argv.addAll(List.of("-dM", "-E", "-x", "c++", "/dev/null"));
    Processes.Captured c = Processes.captureWithExit(argv, null, 30);
    if (c == null || c.exit() != 0) return null;
    java.util.Set<CpuFeature> on = java.util.EnumSet.noneOf(CpuFeature.class);
    for (CpuFeature f : CpuFeature.values()) if (c.output().contains("#define " + f.macro + " ")) on.add(f);
    return on;
  }

  /**
   * What a GPU build needs that is missing here ("no nvcc"), or null. A toolkit without a GPU is
   * missing its GPU too: building the CUDA kernels takes an hour on a small machine, and every cell
   * would then fail at its first allocation.
   */
  public static String gpuMissing(String kind) {
    if (kind.equals("cuda")) {
      if (!dev.llamasweep.io.Programs.onPath("nvcc") && !Files.isExecutable(Path.of("/usr/local/cuda/bin/nvcc"))) return "no nvcc (the CUDA toolkit)";
      Processes.Captured smi = Processes.captureWithExit(List.of("nvidia-smi", "--query-gpu=name", "--format=csv,noheader"), null, 20);
      if (smi == null || smi.exit() != 0 || smi.output().isBlank()) return "no NVIDIA GPU (nvcc is here, but nvidia-smi lists no GPU)";
      return null;
    }
    if (kind.equals("rocm")) return dev.llamasweep.io.Programs.onPath("hipcc") || Files.isExecutable(Path.of("/opt/rocm/bin/hipcc")) ? null : "no hipcc (ROCm)";
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
}
