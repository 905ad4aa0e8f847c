package dev.llamasweep.cli;

import dev.llamasweep.spec.Cell;
import dev.llamasweep.spec.Spec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

/**
 * Make-style freshness: the reports are current when the spec text, the set of cells and every
 * cell's result file are what they were when the reports were last written. This keeps a re-run of
 * a finished sweep to a few file stats (Snakemake's and DVC's "nothing to do").
 */
final class UpToDate {
  /** Bump when report rendering changes, so old reports are re-rendered. */
  static final String RENDER_VERSION = "1";
  private final Spec spec;
  private final List<Cell> cells;
  private final Path stampFile;
  private final Path reportDir;
  private final Path dataDir;

  UpToDate(Spec spec, List<Cell> cells, Path dataDir, Path reportDir) {
    this.spec = spec;
    this.cells = cells;
    this.dataDir = dataDir;
    this.reportDir = reportDir;
    this.stampFile = dataDir.resolve(".reports-stamp");
  }

  boolean isCurrent() {
    try {
      if (!Files.isRegularFile(stampFile) || !Files.isRegularFile(reportDir.resolve("report.md"))) return false;
      return dev.llamasweep.io.InputFiles.text(stampFile, dev.llamasweep.io.InputFiles.Kind.RECORD).equals(fingerprint());
    } catch (IOException | IllegalArgumentException e) {
      return false;  // a stamp that cannot be read: render again
    }
  }

  void record() {
    try {
      Files.writeString(stampFile, fingerprint());
    } catch (IOException e) {
      // a missing stamp only costs a re-render next time
    }
  }

  private String fingerprint() throws IOException {
    {
      MessageDigest md = dev.llamasweep.io.Hashes.sha256();
      md.update(RENDER_VERSION.getBytes(StandardCharsets.UTF_8));
      md.update(dev.llamasweep.io.InputFiles.bytes(spec.file(), dev.llamasweep.io.InputFiles.Kind.SPEC));
      for (Cell c : cells) {
        md.update(c.id().getBytes(StandardCharsets.UTF_8));
        Path result = dataDir.resolve("raw").resolve(c.id()).resolve("result.json");
        if (Files.exists(result)) {
          BasicFileAttributes a = Files.readAttributes(result, BasicFileAttributes.class);
          md.update((a.lastModifiedTime().toMillis() + ":" + a.size()).getBytes(StandardCharsets.UTF_8));
        }
      }
      return dev.llamasweep.io.Hashes.hex(md);
    }
  }
}
