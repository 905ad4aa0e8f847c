package dev.llamasweep.llamacpp;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * What a GGUF file's header says, read without loading the model: architecture, layer count, the
 * vocabulary (size and a hash of its tokens, to tell whether a draft can speak to a target) and
 * the bytes of tensor data (what one token of generation reads, for a dense model).
 */
public record GgufInfo(String architecture, long blockCount, long vocabSize, String vocabHash,
    long fileSize, long tensorBytes) {

  /** The file is not GGUF or is cut short; the message says which file and why. */
  public static final class NotGguf extends IOException {
    public NotGguf(String message) { super(message); }
  }

  public static GgufInfo read(Path file) throws IOException {
    long size = Files.size(file);
    try (CountingInput in = new CountingInput(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
      byte[] magic = in.bytes(4);
      if (!new String(magic, StandardCharsets.ISO_8859_1).equals("GGUF")) {
        throw new NotGguf(file + " is not a GGUF file (it does not start with 'GGUF')");
      }
      long version = in.u32();
      if (version < 2) throw new NotGguf(file + " is GGUF version " + version + "; only 2 and later are read");
      long tensors = in.u64();
      long kvs = in.u64();
      String arch = "";
      long blocks = -1;
      long vocab = -1;
      String vocabHash = "";
      long alignment = 32;
      for (long i = 0; i < kvs; i++) {
        String key = in.string();
        int type = (int) in.u32();
        if (key.equals("general.architecture") && type == 8) {
          arch = in.string();
        } else if (key.equals("general.alignment") && type == 4) {
          alignment = in.u32();
        } else if (key.endsWith(".block_count") && (type == 4 || type == 10)) {
          blocks = type == 4 ? in.u32() : in.u64();
        } else if (key.equals("tokenizer.ggml.tokens") && type == 9) {
          int elem = (int) in.u32();
          long n = in.u64();
          MessageDigest md = sha256();
          for (long t = 0; t < n; t++) {
            if (elem == 8) {
              md.update(in.string().getBytes(StandardCharsets.UTF_8));
              md.update((byte) 0);
            } else {
              skipValue(in, elem);
            }
          }
          vocab = n;
          vocabHash = HexFormat.of().formatHex(md.digest()).substring(0, 16);
        } else {
          skipValue(in, type);
        }
      }
      for (long t = 0; t < tensors; t++) {
        in.string();
        long dims = in.u32();
        for (long d = 0; d < dims; d++) in.u64();
        in.u32();
        in.u64();
      }
      long dataStart = (in.position + alignment - 1) / alignment * alignment;
      return new GgufInfo(arch, blocks, vocab, vocabHash, size, size - dataStart);
    } catch (EOFException e) {
      throw new NotGguf(file + " ends inside its GGUF header");
    }
  }

  /**
   * Overwrites a uint32 metadata value in place (same size, so nothing else moves). Used to give
   * the synthetic models a real context length: llama-convert-llama2c-to-ggml always writes 128,
   * and llama-server caps a slot's context at the trained length.
   */
  public static void patchUint32(Path file, String key, long value) throws IOException {
    long offset = -1;
    try (CountingInput in = new CountingInput(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
      in.bytes(4);
      in.u32();
      in.u64();
      long kvs = in.u64();
      for (long i = 0; i < kvs && offset < 0; i++) {
        String k = in.string();
        int type = (int) in.u32();
        if (k.equals(key)) {
          if (type != 4) throw new NotGguf(file + ": " + key + " is not a uint32");
          offset = in.position;
        } else {
          skipValue(in, type);
        }
      }
    }
    if (offset < 0) throw new NotGguf(file + " has no " + key);
    try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
      java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
      b.putInt((int) value).flip();
      ch.write(b, offset);
    }
  }

  /** Reads one uint32 metadata value, or -1 when absent. */
  public static long readUint32(Path file, String key) throws IOException {
    try (CountingInput in = new CountingInput(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
      in.bytes(4);
      in.u32();
      in.u64();
      long kvs = in.u64();
      for (long i = 0; i < kvs; i++) {
        String k = in.string();
        int type = (int) in.u32();
        if (k.equals(key) && type == 4) return in.u32();
        skipValue(in, type);
      }
    }
    return -1;
  }

  private static void skipValue(CountingInput in, int type) throws IOException {
    switch (type) {
      case 0, 1, 7 -> in.skip(1);
      case 2, 3 -> in.skip(2);
      case 4, 5, 6 -> in.skip(4);
      case 10, 11, 12 -> in.skip(8);
      case 8 -> in.skip(in.u64());
      case 9 -> {
        int elem = (int) in.u32();
        long n = in.u64();
        for (long i = 0; i < n; i++) skipValue(in, elem);
      }
      default -> throw new NotGguf("unknown GGUF value type " + type);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Little-endian reads with a byte position, which the data offset needs. */
  private static final class CountingInput implements AutoCloseable {
    private final DataInputStream in;
    long position;

    CountingInput(InputStream in) { this.in = new DataInputStream(in); }

    byte[] bytes(int n) throws IOException {
      byte[] b = new byte[n];
      in.readFully(b);
      position += n;
      return b;
    }

    long u32() throws IOException {
      position += 4;
      return Integer.toUnsignedLong(Integer.reverseBytes(in.readInt()));
    }

    long u64() throws IOException {
      position += 8;
      return Long.reverseBytes(in.readLong());
    }

    String string() throws IOException {
      long n = u64();
      if (n > Integer.MAX_VALUE) throw new NotGguf("a GGUF string is " + n + " bytes long");
      return new String(bytes((int) n), StandardCharsets.UTF_8);
    }

    void skip(long n) throws IOException {
      long left = n;
      while (left > 0) {
        long s = in.skip(left);
        if (s <= 0) {
          if (in.read() < 0) throw new EOFException();
          s = 1;
        }
        left -= s;
      }
      position += n;
    }

    @Override
    public void close() throws IOException { in.close(); }
  }
}
