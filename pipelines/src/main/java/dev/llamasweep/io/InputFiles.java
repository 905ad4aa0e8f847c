package dev.llamasweep.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Locale;

/**
 * The one rule for reading anything from disk (a spec, a data directory, raw outputs, caches, GGUF
 * headers): a file is read only if it is a regular file, reached through at most
 * {@value #MAX_LINKS} symbolic links (a loop or a link to a FIFO, a device or /dev/zero is refused
 * before it is opened, so nothing hangs or fills memory), and no larger than the bound its kind
 * allows. Whatever else is met is one sentence naming the path ({@link Unreadable}).
 */
public final class InputFiles {
  /** Links followed to reach a file: a tool's data is a file or a link to one, not a chain. */
  public static final int MAX_LINKS = 8;

  /** What a file is, and so how large it may be. */
  public enum Kind {
    /** host.json, result.json, cell.json, models.json, walls and anchors: records of a few kB. */
    RECORD("a record", 16L << 20),
    /** A benchmark's raw output: llama-bench's JSONL, a server's response, a power trace. */
    RAW_OUTPUT("a raw output", 512L << 20),
    /** samples.csv, cells.csv, aggregate.csv: one row per repetition of every cell. */
    TABLE("a table", 4L << 30),
    /** A spec: a few kB of YAML. */
    SPEC("a spec", 1L << 20),
    /** A prompt or another small text. */
    TEXT("a text file", 16L << 20),
    /** A GGUF model (read by its header; the largest published models are a few hundred GB). */
    MODEL("a model file", 4L << 40);

    final String words;
    public final long maxBytes;

    Kind(String words, long maxBytes) {
      this.words = words;
      this.maxBytes = maxBytes;
    }
  }

  /** A file that cannot be read as the kind asked for, in one sentence naming its path. */
  public static final class Unreadable extends IllegalArgumentException {
    public Unreadable(String sentence) {
      super(sentence);
    }
  }

  private InputFiles() {}

  /** Whether there is anything at this path at all (a dangling link counts: it is something to report). */
  public static boolean present(Path p) {
    return Files.exists(p, LinkOption.NOFOLLOW_LINKS);
  }

  /**
   * The regular file this path names, links followed within {@value #MAX_LINKS}; its size is checked
   * against the kind's bound.
   *
   * @throws Unreadable naming the path and what it is instead
   */
  public static Path regular(Path p, Kind kind) {
    Path at = p;
    for (int hops = 0; ; hops++) {
      BasicFileAttributes a;
      try {
        a = Files.readAttributes(at, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      } catch (IOException e) {
        throw new Unreadable(p + (at.equals(p) ? " does not exist." : " is a link to " + at + ", which does not exist."));
      }
      if (a.isSymbolicLink()) {
        if (hops >= MAX_LINKS) {
          throw new Unreadable(p + " is a chain of more than " + MAX_LINKS + " symbolic links (a loop?); point it at the file itself.");
        }
        try {
          Path target = Files.readSymbolicLink(at);
          at = at.toAbsolutePath().getParent() == null ? target : at.toAbsolutePath().getParent().resolve(target);
        } catch (IOException e) {
          throw new Unreadable(p + " is a symbolic link that cannot be read (" + e.getMessage() + ").");
        }
        continue;
      }
      if (!a.isRegularFile()) {
        String what = a.isDirectory() ? "a directory" : a.isOther() ? "a FIFO, socket or device" : "not a regular file";
        throw new Unreadable(p + (at.equals(p) ? "" : " (a link to " + at + ")") + " is " + what + ", not " + kind.words + "; "
            + "llama-sweep reads only regular files.");
      }
      if (a.size() > kind.maxBytes) {
        throw new Unreadable(String.format(Locale.ROOT, "%s is %,d bytes; %s is at most %,d bytes, so this is not one.", p, a.size(), kind.words,
            kind.maxBytes));
      }
      return at;
    }
  }

  /** The file's bytes, within its kind's bound (checked again while reading: a file may grow). */
  public static byte[] bytes(Path p, Kind kind) {
    Path file = regular(p, kind);
    try (InputStream in = Files.newInputStream(file)) {
      byte[] b = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, kind.maxBytes + 1));
      if (b.length > kind.maxBytes) {
        throw new Unreadable(String.format(Locale.ROOT, "%s grew past %,d bytes while being read; %s is smaller.", p, kind.maxBytes, kind.words));
      }
      return b;
    } catch (IOException e) {
      throw new Unreadable(p + " cannot be read (" + e.getMessage() + ").");
    }
  }

  /** The file as strict UTF-8 text: a byte that is not UTF-8 is named by its line. */
  public static String text(Path p, Kind kind) {
    byte[] b = bytes(p, kind);
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(b)).toString();
    } catch (CharacterCodingException e) {
      int line = 1;
      int bad = firstBadUtf8(b);
      for (int i = 0; i < bad; i++) if (b[i] == '\n') line++;
      throw new Unreadable(p + ":" + line + ": is not UTF-8 text (byte 0x" + String.format(Locale.ROOT, "%02X", b[bad] & 0xff) + ").");
    }
  }

  /** A reader of strict UTF-8 over the file, for tables too large to hold at once. */
  public static BufferedReader reader(Path p, Kind kind) {
    Path file = regular(p, kind);
    try {
      return new BufferedReader(new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)));
    } catch (IOException e) {
      throw new Unreadable(p + " cannot be read (" + e.getMessage() + ").");
    }
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

  /** The file as one JSON value: text that is not complete JSON is named by file and line. */
  public static com.fasterxml.jackson.databind.JsonNode json(Path p, Kind kind) {
    String text = text(p, kind);
    if (text.isBlank()) throw new Unreadable(p + " is empty (" + text.length() + " bytes), not " + kind.words + ".");
    try {
      com.fasterxml.jackson.databind.JsonNode n = JSON.readTree(text);
      if (n == null || n.isMissingNode()) throw new Unreadable(p + " holds no JSON value.");
      return n;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      long line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
      throw new Unreadable(p + (line > 0 ? ":" + line : "") + ": is not complete JSON (" + e.getOriginalMessage().replaceAll("\\s+", " ") + ").");
    }
  }

  private static int firstBadUtf8(byte[] b) {
    java.nio.charset.CharsetDecoder d = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(b);
    d.decode(in, java.nio.CharBuffer.allocate(b.length + 1), true);
    return Math.min(in.position(), Math.max(0, b.length - 1));
  }
}
