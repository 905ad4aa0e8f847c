package dev.llamasweep.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writes a file beside its place and renames it in, so a reader never sees half of it. */
public final class AtomicFiles {
  private AtomicFiles() {}

  public interface Body { void write(Writer w) throws IOException; }

  public static void write(Path file, Body body) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
      try (Writer w = Files.newBufferedWriter(tmp)) {
        body.write(w);
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("writing " + file, e);  // a full disk's message names no file: this does
    }
  }
}
