package dev.llamasweep.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.UUID;

/**
 * data/&lt;spec&gt;/raw/&lt;cell&gt;/: a cell's directory is built as a hidden sibling and renamed
 * into place only when every file is written, so a directory that exists is always complete.
 */
public final class RawStore {
  public static final ObjectMapper JSON = new ObjectMapper();
  private final Path raw;

  public RawStore(Path dataDir) {
    this.raw = dataDir.resolve("raw");
  }

  public Path root() { return raw; }

  public Path cellDir(String id) { return raw.resolve(id); }

  public boolean exists(String id) {
    return Files.isRegularFile(cellDir(id).resolve("result.json"));
  }

  /** A cell that ended ok is done; failed and timed-out cells run again on the next sweep. */
  public boolean isDone(String id) {
    CellResult r = ResultJson.readOrNull(cellDir(id));
    return r != null && r.status() == CellStatus.OK;
  }

  /** The status in a cell's result.json, or MISSING. */
  public CellStatus status(String id) {
    CellResult r = ResultJson.readOrNull(cellDir(id));
    return r == null ? CellStatus.MISSING : r.status();
  }

  public Path newStaging(String id) {
    try {
      Files.createDirectories(raw);
      return Files.createDirectory(raw.resolve(".tmp-" + id + "-" + UUID.randomUUID()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Moves a finished staging directory into place, replacing an earlier run of the same cell. */
  public void publish(Path staging, String id) {
    Path target = cellDir(id);
    try {
      Path old = null;
      if (Files.exists(target)) {
        old = raw.resolve(".old-" + id + "-" + UUID.randomUUID());
        Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
      }
      Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
      if (old != null) deleteTree(old);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Removes staging directories left by a sweep that was killed mid-cell. */
  public void cleanStaging() {
    for (Path dir : List.of(raw, raw.getParent().resolve("drift"))) {
      if (!Files.isDirectory(dir)) continue;
      try (var dirs = Files.list(dir)) {
        for (Path p : dirs.filter(p -> p.getFileName().toString().startsWith(".")).toList()) deleteTree(p);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  public static void deleteTree(Path p) throws IOException {
    dev.llamasweep.io.Trees.delete(p);
  }
}
