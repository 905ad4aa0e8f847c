package dev.llamasweep.io;

import java.nio.file.Files;
import java.nio.file.Path;

/** Whether a program can be run by its name: an executable file of that name in a PATH directory. */
public final class Programs {
  private Programs() {}

  public static boolean onPath(String exe) {
    String path = System.getenv("PATH");
    if (path == null) return false;
    for (String dir : path.split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, exe))) return true;
    }
    return false;
  }
}
