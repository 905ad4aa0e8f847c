package dev.llamasweep.results;

import dev.llamasweep.io.InputFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The fact files of a data directory that are there but cannot be read: models.json (the GGUF headers
 * bytes per token come from) and each wall's result.json. Their readers fall back to "unknown" (a wall
 * is measured again on the next run), so the report says here which file failed and why, beside the
 * "unknown" each figure shows where it is used. host.json says its own (HostRecord.unreadable).
 */
public final class UnreadableFacts {
  private UnreadableFacts() {}

  public static List<String> of(Path dataDir) {
    List<String> out = new ArrayList<>();
    check(dataDir.resolve("models.json"), "bytes read per token are unknown for every model", out);
    Path walls = dataDir.resolve("walls");
    if (Files.isDirectory(walls)) {
      try (Stream<Path> s = Files.list(walls)) {
        for (Path d : s.sorted().toList()) {
          check(d.resolve("result.json"), "this wall counts as not measured (the next run measures it again)", out);
        }
      } catch (IOException e) {
        out.add(walls + " cannot be listed (" + e.getMessage() + ")");
      }
    }
    return out;
  }

  private static void check(Path file, String consequence, List<String> out) {
    if (!InputFiles.present(file)) return;
    try {
      if (!InputFiles.json(file, InputFiles.Kind.RECORD).isObject()) out.add(file + " is not a JSON object: " + consequence);
    } catch (IllegalArgumentException e) {
      out.add(e.getMessage().replaceAll("\\.$", "") + ": " + consequence);
    }
  }
}
