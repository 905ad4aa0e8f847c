package dev.llamasweep.build;

import dev.llamasweep.io.Processes;
import dev.llamasweep.io.Processes.ToolFailure;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The pinned llama.cpp source put into the cache: from the npm registry's node-llama-cpp package (its
 * git bundle, checked by the tarball's SHA-256 and the bundle's HEAD commit), or from the tarball or
 * directory an offline machine is given in {@link Toolchain#SOURCE_VARIABLE}. Built aside and moved in
 * atomically, so a half-fetched source is never built.
 */
final class PinnedSource {
  private PinnedSource() {}

  static Path fetch(Path root, Path source, PrintStream progress) {
    try {
      Files.createDirectories(root);
      Path work = Files.createTempDirectory(root, ".fetch-");
      String given = System.getenv(Toolchain.SOURCE_VARIABLE);
      if (given != null && !given.isBlank()) {
        Path g = Path.of(given);
        progress.println("llama.cpp " + Toolchain.COMMIT + ": using the source given in " + Toolchain.SOURCE_VARIABLE + " (" + g + "), not fetched");
        Path clone = Files.createDirectories(work.resolve("src"));
        if (Files.isDirectory(g)) Processes.check(List.of("cp", "-a", g + "/.", clone.toString()), work, "copying the given llama.cpp source");
        else Processes.check(List.of("tar", "-xaf", g.toString(), "-C", clone.toString()), work, "unpacking the given llama.cpp source");
        if (!Files.isRegularFile(clone.resolve("CMakeLists.txt"))) {
          throw new ToolFailure(Toolchain.SOURCE_VARIABLE + "=" + g + " holds no llama.cpp source (no CMakeLists.txt at its top).");
        }
        Files.move(clone, source, StandardCopyOption.ATOMIC_MOVE);
        dev.llamasweep.io.Trees.delete(work);
        return source;
      }
      progress.println("llama.cpp " + Toolchain.COMMIT + ": fetching " + Toolchain.NPM_PACKAGE + " from the npm registry");
      Processes.check(List.of("npm", "pack", Toolchain.NPM_PACKAGE, "--silent", "--pack-destination", work.toString()), work, "npm pack " + Toolchain.NPM_PACKAGE);
      Path tgz;
      try (var files = Files.list(work)) {
        tgz = files.filter(f -> f.toString().endsWith(".tgz")).findFirst()
            .orElseThrow(() -> new ToolFailure("npm pack " + Toolchain.NPM_PACKAGE + " produced no tarball in " + work + "."));
      }
      String actual = dev.llamasweep.io.Hashes.sha256(tgz);
      if (!actual.equals(Toolchain.NPM_SHA256)) {
        throw new ToolFailure("refusing the llama.cpp source: " + tgz.getFileName() + " has sha256 " + actual
            + " but the pinned " + Toolchain.NPM_PACKAGE + " has " + Toolchain.NPM_SHA256 + ".");
      }
      Processes.check(List.of("tar", "-xzf", tgz.toString(), "-C", work.toString(), "package/llama/gitRelease.bundle"), work, "unpacking the llama.cpp bundle");
      Path clone = work.resolve("src");
      Processes.check(List.of("git", "clone", "--quiet", work.resolve("package/llama/gitRelease.bundle").toString(), clone.toString()), work, "git clone of the llama.cpp bundle");
      String head = Processes.check(List.of("git", "-C", clone.toString(), "rev-parse", "HEAD"), work, "git rev-parse").trim();
      if (!head.startsWith(Toolchain.COMMIT)) {
        throw new ToolFailure("the llama.cpp bundle in " + Toolchain.NPM_PACKAGE + " is at commit " + head + ", not the pinned " + Toolchain.COMMIT + ".");
      }
      Files.move(clone, source, StandardCopyOption.ATOMIC_MOVE);
      dev.llamasweep.io.Trees.delete(work);
      return source;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
