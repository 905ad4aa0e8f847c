package dev.llamasweep.gguf;


import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a GGUF file's header says, read without loading the model: architecture and its
 * hyper-parameters, every metadata value (string arrays by count only), every tensor's name, type,
 * shape and byte size, the vocabulary (size and a hash of its tokens, to tell whether a draft can
 * speak to a target) and the exact bytes of tensor data (Σ ggml_nbytes, llama-bench's model_size).
 * Only the header is read, so a header-only copy (the file cut after its tensor-info table) works.
 */
public record GgufInfo(String architecture, long blockCount, long vocabSize, String vocabHash,
    long fileSize, long tensorBytes, Map<String, Object> metadata, List<Tensor> tensors, long dataOffset,
    Map<String, long[]> kvRanges, long alignment) {

  /** The file is not GGUF or is cut short; the message says which file and why. */
  public static final class NotGguf extends IOException {
    public NotGguf(String message) { super(message); }
  }

  /** One tensor of the table: ne in ggml order (ne[0] is the row length), its type and offset in the data. */
  public record Tensor(String name, long[] ne, GgmlType type, long offset) {
    public long elements() {
      long n = 1;
      for (long d : ne) n *= d;
      return n;
    }

    public long bytes() {
      return type.bytes(elements());
    }

    /** The number of rows: everything past the first dimension (ne[1] × ne[2] × …). */
    public long rows() {
      return ne.length == 0 || ne[0] == 0 ? 0 : elements() / ne[0];
    }
  }

  /** An array value kept by size only (a vocabulary's strings, a long merge list). */
  public record ArrayValue(int elementType, long count) {}

  public static GgufInfo read(Path file) throws IOException {
    try (CountingInput in = CountingInput.open(file)) {
      long size = Files.size(file);  // open refused anything but a regular file
      byte[] magic = in.bytes(4);
      if (!new String(magic, StandardCharsets.ISO_8859_1).equals("GGUF")) {
        throw new NotGguf(file + " is not a GGUF file (it does not start with 'GGUF')");
      }
      long version = in.u32();
      if (version < 2) throw new NotGguf(file + " is GGUF version " + version + "; only 2 and later are read");
      long tensorCount = in.u64();
      long kvs = in.u64();
      if (tensorCount > 1_000_000 || kvs > 1_000_000) throw new NotGguf(file + " claims " + tensorCount + " tensors and " + kvs + " keys; it is not a GGUF header");
      Map<String, Object> meta = new LinkedHashMap<>();
      Map<String, long[]> ranges = new LinkedHashMap<>();
      long vocab = -1;
      String vocabHash = "";
      for (long i = 0; i < kvs; i++) {
        long start = in.position;
        String key = in.string();
        int type = (int) in.u32();
        if (key.equals("tokenizer.ggml.tokens") && type == 9) {
          int elem = (int) in.u32();
          long n = in.count(elem);
          MessageDigest md = sha256();
          for (long t = 0; t < n; t++) {
            if (elem == 8) {
              in.hashString(md);
              md.update((byte) 0);
            } else {
              skipValue(in, elem);
            }
          }
          vocab = n;
          vocabHash = HexFormat.of().formatHex(md.digest()).substring(0, 16);
          meta.put(key, new ArrayValue(elem, n));
        } else {
          meta.put(key, value(in, type));
        }
        ranges.put(key, new long[] {start, in.position});
      }
      String arch = meta.get("general.architecture") instanceof String a ? a : "";
      long alignment = meta.get("general.alignment") instanceof Long a && a > 0 ? a : 32;
      long blocks = meta.get(arch + ".block_count") instanceof Long b ? b : -1;
      List<Tensor> tensors = new ArrayList<>();
      long bytes = 0;
      for (long t = 0; t < tensorCount; t++) {
        String name = in.string();
        long dims = in.u32();
        if (dims > 8) throw new NotGguf(file + ": tensor " + name + " has " + dims + " dimensions");
        long[] ne = new long[(int) dims];
        for (int d = 0; d < dims; d++) ne[d] = in.u64();
        long typeId = in.u32();
        long offset = in.u64();
        GgmlType type = GgmlType.byId(typeId);
        if (type == null) throw new NotGguf(file + ": tensor " + name + " has ggml type " + typeId + ", which llama.cpp " + dev.llamasweep.spec.LlamaCppVersion.PINNED_COMMIT + " does not know");
        Tensor tensor = new Tensor(name, ne, type, offset);
        tensors.add(tensor);
        bytes += tensor.bytes();
      }
      long dataStart = (in.position + alignment - 1) / alignment * alignment;
      return new GgufInfo(arch, blocks, vocab, vocabHash, size, bytes, meta, List.copyOf(tensors), dataStart, ranges, alignment);
    } catch (EOFException e) {
      throw new NotGguf(file + " ends inside its GGUF header");
    }
  }

  /** A metadata number (any integer type), or the fallback when absent. */
  public long integer(String key, long fallback) {
    return metadata.get(key) instanceof Long v ? v : fallback;
  }

  /** A per-layer metadata value: an array of numbers, or one number for every layer. */
  public List<Long> perLayer(String key, int layers, long fallback) {
    List<Long> out = new ArrayList<>();
    Object v = metadata.get(key);
    for (int i = 0; i < layers; i++) {
      if (v instanceof List<?> list) {
        out.add(i < list.size() && list.get(i) instanceof Long l ? l : i < list.size() && list.get(i) instanceof Boolean b ? (b ? 1L : 0L) : fallback);
      } else {
        out.add(v instanceof Long l ? l : fallback);
      }
    }
    return out;
  }

  private static Object value(CountingInput in, int type) throws IOException {
    switch (type) {
      case 0: return (long) in.u8();
      case 1: return (long) (byte) in.u8();
      case 2: return in.u16();
      case 3: return (long) (short) in.u16();
      case 4: return in.u32();
      case 5: return (long) (int) in.u32();
      case 6: return (double) Float.intBitsToFloat((int) in.u32());
      case 7: return in.u8() != 0;
      case 8: return in.string();
      case 10, 11: return in.u64();
      case 12: return Double.longBitsToDouble(in.u64());
      case 9: {
        int elem = (int) in.u32();
        long n = in.count(elem);
        // numbers and booleans per layer are kept; strings and long lists only by size
        if (elem == 8 || elem == 9 || n > 4096) {
          for (long i = 0; i < n; i++) skipValue(in, elem);
          return new ArrayValue(elem, n);
        }
        List<Object> list = new ArrayList<>();
        for (long i = 0; i < n; i++) list.add(value(in, elem));
        return list;
      }
      default: throw new NotGguf("unknown GGUF value type " + type);
    }
  }

  /**
   * Overwrites a uint32 metadata value in place (same size, so nothing else moves). Used to give
   * the synthetic models a real context length: llama-convert-llama2c-to-ggml always writes 128,
   * and llama-server caps a slot's context at the trained length.
   */
  public static void patchUint32(Path file, String key, long value) throws IOException {
    long offset = -1;
    try (CountingInput in = CountingInput.open(file)) {
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
    try (CountingInput in = CountingInput.open(file)) {
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
        long n = in.count(elem);
        int width = switch (elem) {
          case 0, 1, 7 -> 1;
          case 2, 3 -> 2;
          case 4, 5, 6 -> 4;
          case 10, 11, 12 -> 8;
          default -> 0;
        };
        // fixed-size elements (scores, token types) are skipped in one step; strings one by one
        if (width > 0) {
          in.skip(n * width);
        } else {
          for (long i = 0; i < n; i++) skipValue(in, elem);
        }
      }
      default -> throw new NotGguf("unknown GGUF value type " + type);
    }
  }

  private static MessageDigest sha256() {
    return dev.llamasweep.io.Hashes.sha256();
  }

  /**
   * Little-endian reads over the file mapped into memory: only the header's pages are ever touched,
   * so a multi-GB model's header reads in milliseconds. Running past the end is an EOFException.
   */
  private static final class CountingInput implements AutoCloseable {
    private final java.nio.ByteBuffer buf;
    long position;

    private CountingInput(java.nio.ByteBuffer buf) { this.buf = buf; }

    static CountingInput open(Path file) throws IOException {
      Path regular;
      try {
        regular = dev.llamasweep.io.InputFiles.regular(file, dev.llamasweep.io.InputFiles.Kind.MODEL);
      } catch (dev.llamasweep.io.InputFiles.Unreadable e) {
        throw new NotGguf(e.getMessage().replaceAll("\\.$", ""));
      }
      try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(regular, java.nio.file.StandardOpenOption.READ)) {
        long size = Math.min(ch.size(), Integer.MAX_VALUE);
        java.nio.ByteBuffer b = ch.map(java.nio.channels.FileChannel.MapMode.READ_ONLY, 0, size);
        return new CountingInput(b.order(java.nio.ByteOrder.LITTLE_ENDIAN));
      }
    }

    private void need(long n) throws EOFException {
      if (n < 0 || position + n > buf.limit()) throw new EOFException();
    }

    byte[] bytes(int n) throws IOException {
      need(n);
      byte[] b = new byte[n];
      buf.get((int) position, b);
      position += n;
      return b;
    }

    int u8() throws IOException {
      need(1);
      return Byte.toUnsignedInt(buf.get((int) position++));
    }

    long u16() throws IOException {
      need(2);
      long v = Short.toUnsignedLong(buf.getShort((int) position));
      position += 2;
      return v;
    }

    long u32() throws IOException {
      need(4);
      long v = Integer.toUnsignedLong(buf.getInt((int) position));
      position += 4;
      return v;
    }

    long u64() throws IOException {
      need(8);
      long v = buf.getLong((int) position);
      position += 8;
      return v;
    }

    String string() throws IOException {
      long n = u64();
      if (n > (1L << 26)) throw new NotGguf("a GGUF string is " + n + " bytes long");
      return new String(bytes((int) n), StandardCharsets.UTF_8);
    }

    /** Feeds a GGUF string's bytes to a digest without making a String of them. */
    void hashString(MessageDigest md) throws IOException {
      long n = u64();
      need(n);
      md.update(buf.slice((int) position, (int) n));
      position += n;
    }

    /**
     * An array's element count, bounded by the bytes left in the file before anything is allocated or
     * looped over: each element takes at least its width (a string its 8-byte length, an array its type
     * and count), so a header that declares 2^30 elements in a few kB is refused at once.
     */
    long count(int elementType) throws IOException {
      long n = u64();
      long least = switch (elementType) {
        case 0, 1, 7 -> 1;
        case 2, 3 -> 2;
        case 4, 5, 6 -> 4;
        case 8, 10, 11, 12 -> 8;
        case 9 -> 12;
        default -> throw new NotGguf("unknown GGUF array element type " + elementType);
      };
      long left = buf.limit() - position;
      if (n < 0 || n > left / least) {
        throw new NotGguf("a GGUF array declares " + Long.toUnsignedString(n) + " elements, more than the " + left
            + " bytes left in the file can hold; the header is damaged");
      }
      return n;
    }

    void skip(long n) throws IOException {
      need(n);
      position += n;
    }

    @Override
    public void close() {}
  }
}
