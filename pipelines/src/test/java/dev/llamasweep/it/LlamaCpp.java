package dev.llamasweep.it;

import dev.llamasweep.models.SyntheticModels;
import dev.llamasweep.build.Toolchain;
import java.nio.file.Path;

/** The real pinned llama.cpp and synthetic models every integration test runs on (built once, cached). */
final class LlamaCpp {
  private LlamaCpp() {}

  static Path cache() {
    return Toolchain.defaultCache();
  }

  static Toolchain toolchain() {
    Toolchain tc = new Toolchain(cache(), System.err);
    tc.ensureCpuBuild();
    return tc;
  }

  /** Builds what is missing and returns the synthetic target's path. */
  static Path target() {
    return new SyntheticModels(toolchain(), System.err, SyntheticModels.Shape.DEFAULT).ensure("target", "Q4_K_M");
  }

  /** llama-sweep's command line in this JVM, with data/ and reports/ under {@code work} and the shared cache. */
  static int sweep(Path work, String command, Path spec, String... more) {
    java.util.List<String> a = new java.util.ArrayList<>(java.util.List.of(command, spec.toString(),
        "--data-root", work.resolve("data").toString(), "--reports-root", work.resolve("reports").toString(), "--cache", cache().toString()));
    a.addAll(java.util.List.of(more));
    return dev.llamasweep.cli.Main.execute(a.toArray(String[]::new));
  }

  static Path draft() {
    return new SyntheticModels(toolchain(), System.err, SyntheticModels.Shape.DEFAULT).ensure("draft", "Q8_0");
  }
}
