package dev.llamasweep.host;

import dev.llamasweep.io.Processes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BiFunction;

/**
 * The small probes compiled on the host (the memory-bandwidth probe with cc, the GPU probe with nvcc):
 * each built once per source into {@code <cache>/<name>/<hash of the source>/<name>}, to a temporary
 * name first and moved in atomically, so a half-built binary is never run.
 */
final class HelperPrograms {
  private HelperPrograms() {}

  /**
   * @param what the probe's name in a sentence ("the GPU probe")
   * @param attempts command lines to try in order, given (output, source): the first that compiles wins
   */
  static Path build(Path cache, String name, String extension, byte[] src, String compiler, String what,
      List<BiFunction<Path, Path, List<String>>> attempts, long timeoutSeconds) {
    Path dir = cache.resolve(name).resolve(MemoryWall.sha(src));
    Path exe = dir.resolve(name);
    if (Files.isExecutable(exe)) return exe;
    try {
      Files.createDirectories(dir);
      Path source = dir.resolve(name + extension);
      Files.write(source, src);
      Path tmp = dir.resolve("." + name + ".tmp");
      Processes.Captured c = null;
      for (BiFunction<Path, Path, List<String>> argv : attempts) {
        c = Processes.captureWithExit(argv.apply(tmp, source), null, timeoutSeconds);
        if (c != null && c.exit() == 0) break;
      }
      if (c == null || c.exit() != 0) throw new IllegalStateException(what + " did not compile with " + compiler + (c == null ? "" : ": " + c.output().strip()));
      Files.move(tmp, exe, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      return exe;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
