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

  /** A probe's run kept beside its result, as a cell's is: command.sh to re-run it and stdout.txt with what it printed. */
  public static void keepRun(Path dir, String command, String stdout) {
    try {
      java.nio.file.Files.createDirectories(dir);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    write(dir.resolve("command.sh"), w -> w.write("#!/bin/sh\n" + command + "\n"));
    write(dir.resolve("stdout.txt"), w -> w.write(stdout == null ? "" : stdout));
  }
}
