package dev.llamasweep.build;

import dev.llamasweep.io.AtomicFiles;
import dev.llamasweep.io.Processes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * llama.cpp's own system info line for a build ("CPU : SSE3 = 1 | AVX2 = 1 | AMX_INT8 = 1 | …"), the
 * one llama-cli prints. llama-bench prints none, and a Vulkan build has no other tool, so a three-line
 * program is compiled against the build's libllama and asked. Kept in the build directory.
 */
public final class SystemInfo {
  private SystemInfo() {}

  static final String PROGRAM = "#include \"llama.h\"\n#include <cstdio>\nint main() { llama_backend_init(); std::puts(llama_print_system_info()); return 0; }\n";

  /** The line, or null when this build's libllama cannot be linked or run here. */
  public static String of(Path build, Path source) {
    Path cached = build.resolve("system-info.txt");
    try {
      if (Files.isRegularFile(cached)) return dev.llamasweep.io.InputFiles.text(cached, dev.llamasweep.io.InputFiles.Kind.RECORD).strip();
      Path bin = build.resolve("bin");
      if (!Files.isRegularFile(bin.resolve("libllama.so"))) return null;
      Path src = build.resolve("llama-sweep-system-info.cpp");
      Path exe = build.resolve("llama-sweep-system-info");
      Files.writeString(src, PROGRAM);
      Processes.Captured cc = Processes.captureWithExit(List.of("c++", "-O0", "-I", source.resolve("include").toString(), "-I",
          source.resolve("ggml/include").toString(), src.toString(), "-o", exe.toString(), "-L", bin.toString(), "-lllama",
          "-Wl,-rpath," + bin, "-Wl,--allow-shlib-undefined"), null, 120);
      if (cc == null || cc.exit() != 0) return null;
      Processes.Captured run = Processes.captureWithExit(List.of(exe.toString()), null, 60);
      if (run == null || run.exit() != 0) return null;
      String line = run.output().lines().filter(l -> l.contains("CPU : ")).reduce((a, b) -> b).orElse(null);
      if (line == null) return null;
      AtomicFiles.write(cached, w -> w.write(line.strip() + "\n"));
      return line.strip();
    } catch (IOException | IllegalArgumentException e) {
      return null;
    }
  }
}
