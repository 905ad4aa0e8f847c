package dev.llamasweep.gguf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Writes GGUF v3 files (gguf-py's layout: header, key-values, tensor infos, data aligned to 32 bytes)
 * with random weights, so models of any shape can be made without a quantize step. Throughput does
 * not depend on weight values, but values stay finite and normal so no kernel takes a slow path.
 */
public final class GgufWriter {
  static final int ALIGNMENT = 32;
  private static final short FP16_0_01 = 0x211F;  // 0.01 in IEEE half precision

  /** How a tensor's bytes are made. */
  public enum Fill {
    /** 1.0 in every value (norm weights: F32 only). */
    ONES,
    /** Small random values of the tensor's float type (F32/F16/BF16), scale 0.02. */
    GAUSSIAN,
    /** Any type: per block, random bytes kept in a range where every float field (fp16/bf16/fp32 scales, e8m0) is a normal, modest number. */
    RANDOM_BLOCKS,
    /** Q4_0: a scale of 0.01, then 16 bytes of random nibbles per 32 values. */
    Q4_0_RANDOM;

    /** How a tensor of this name and type is filled: norms of ones, float weights small and random, quantised blocks random. */
    public static Fill of(String name, GgmlType type) {
      return switch (type) {
        case F32, F16, BF16 -> name.endsWith("norm.weight") && type == GgmlType.F32 ? ONES : GAUSSIAN;
        case Q4_0 -> Q4_0_RANDOM;
        default -> RANDOM_BLOCKS;
      };
    }
  }

  private record Kv(byte[] encoded) {}

  private record TensorSpec(String name, GgmlType type, long[] ne, Fill fill, long seed) {
    long bytes() {
      long n = 1;
      for (long d : ne) n *= d;
      return type.bytes(n);
    }
  }

  private final List<Kv> kvs = new ArrayList<>();
  private final List<TensorSpec> tensors = new ArrayList<>();

  public GgufWriter string(String key, String value) {
    Enc e = new Enc().str(key).u32(8).str(value);
    kvs.add(new Kv(e.bytes()));
    return this;
  }

  public GgufWriter u32(String key, long value) {
    kvs.add(new Kv(new Enc().str(key).u32(4).u32(value).bytes()));
    return this;
  }

  public GgufWriter f32(String key, float value) {
    kvs.add(new Kv(new Enc().str(key).u32(6).u32(Float.floatToIntBits(value)).bytes()));
    return this;
  }

  public GgufWriter bool(String key, boolean value) {
    kvs.add(new Kv(new Enc().str(key).u32(7).raw(new byte[] {(byte) (value ? 1 : 0)}).bytes()));
    return this;
  }

  /** A key-value copied byte for byte from another GGUF file (a range from {@link GgufInfo#kvRanges()}). */
  public GgufWriter raw(byte[] encodedKv) {
    kvs.add(new Kv(encodedKv));
    return this;
  }

  /** ne in ggml order: ne[0] is the row length (numpy's last dimension). */
  public GgufWriter tensor(String name, GgmlType type, Fill fill, long seed, long... ne) {
    if (ne[0] % type.blockSize != 0) throw new IllegalArgumentException(name + ": row length " + ne[0] + " is not a multiple of " + type + "'s block of " + type.blockSize);
    tensors.add(new TensorSpec(name, type, ne.clone(), fill, seed));
    return this;
  }

  /** The bytes of tensor data the file will hold (Σ ggml_nbytes, without alignment padding). */
  public long tensorBytes() {
    return tensors.stream().mapToLong(TensorSpec::bytes).sum();
  }

  /** Writes the file; returns the total bytes of tensor data (Σ ggml_nbytes). */
  public long write(Path file) throws IOException {
    return write(file, true, done -> { });
  }

  /**
   * Writes the file beside {@code out} and renames it into place, so the file appears only when complete (a cache
   * never holds half a model); {@code progress} hears the tensor bytes written so far after each tensor.
   */
  public Path writeAtomically(Path out, java.util.function.LongConsumer progress) throws IOException {
    Path tmp = out.resolveSibling("." + out.getFileName() + ".tmp");
    write(tmp, true, progress);
    java.nio.file.Files.move(tmp, out, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    return out;
  }

  public Path writeAtomically(Path out) throws IOException {
    return writeAtomically(out, done -> { });
  }


  /** Writes only the header (the file cut after its tensor-info table), as a user may share a model's shape. */
  public long writeHeaderOnly(Path file) throws IOException {
    return write(file, false);
  }

  /**
   * The header, then a hole as long as the tensor data (a sparse file: no block is written): what
   * llama-quantize --dry-run needs to read every tensor's type and shape without any weights.
   */
  public long writeSparse(Path file) throws IOException {
    long total = write(file, false);
    long dataStart;
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      dataStart = ch.size();
    }
    long offset = 0;
    for (TensorSpec t : tensors) offset = align(offset + t.bytes());
    try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(file.toFile(), "rw")) {
      f.setLength(dataStart + offset);
    }
    return total;
  }

  private long write(Path file, boolean data) throws IOException {
    return write(file, data, done -> { });
  }

  private long write(Path file, boolean data, java.util.function.LongConsumer progress) throws IOException {
    Enc head = new Enc();
    head.raw("GGUF".getBytes(StandardCharsets.ISO_8859_1)).u32(3).u64(tensors.size()).u64(kvs.size());
    for (Kv kv : kvs) head.raw(kv.encoded());
    long offset = 0;
    long total = 0;
    for (TensorSpec t : tensors) {
      head.str(t.name()).u32(t.ne().length);
      for (long d : t.ne()) head.u64(d);
      head.u32(t.type().id).u64(offset);
      offset = align(offset + t.bytes());
      total += t.bytes();
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      byte[] h = head.bytes();
      ByteBuffer buf = ByteBuffer.allocateDirect(1 << 22).order(ByteOrder.LITTLE_ENDIAN);
      // a header can be larger than the buffer (a 262k-token vocabulary is ~15 MB): write it straight out
      ByteBuffer hb = ByteBuffer.wrap(h);
      while (hb.hasRemaining()) ch.write(hb);
      pad(buf, ch, align(h.length) - h.length);
      long written = 0;
      for (TensorSpec t : tensors) {
        if (!data) break;
        fill(buf, ch, t);
        written += t.bytes();
        progress.accept(written);
        pad(buf, ch, align(t.bytes()) - t.bytes());
      }
      drain(buf, ch);
    }
    return total;
  }

  static long align(long v) {
    return (v + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
  }

  private static void pad(ByteBuffer buf, FileChannel ch, long n) throws IOException {
    for (long i = 0; i < n; i++) {
      room(buf, ch, 1);
      buf.put((byte) 0);
    }
  }

  private static void room(ByteBuffer buf, FileChannel ch, int n) throws IOException {
    if (buf.remaining() < n) drain(buf, ch);
  }

  private static void drain(ByteBuffer buf, FileChannel ch) throws IOException {
    buf.flip();
    while (buf.hasRemaining()) ch.write(buf);
    buf.clear();
  }

  private static void fill(ByteBuffer buf, FileChannel ch, TensorSpec t) throws IOException {
    SplittableRandom rnd = new SplittableRandom(t.seed());
    long bytes = t.bytes();
    switch (t.fill()) {
      case ONES -> {
        for (long i = 0; i < bytes / 4; i++) {
          room(buf, ch, 4);
          buf.putFloat(1.0f);
        }
      }
      case GAUSSIAN -> {
        int width = t.type().typeSize;
        for (long i = 0; i < bytes / width; i++) {
          float v = (float) ((rnd.nextDouble() + rnd.nextDouble() + rnd.nextDouble() - 1.5) * 0.04);
          room(buf, ch, width);
          switch (t.type()) {
            case F32 -> buf.putFloat(v);
            case F16 -> buf.putShort(half(v));
            case BF16 -> buf.putShort((short) (Float.floatToIntBits(v) >>> 16));
            default -> throw new IllegalArgumentException(t.name() + ": GAUSSIAN fills float tensors only, not " + t.type());
          }
        }
      }
      case Q4_0_RANDOM -> {
        for (long b = 0; b < bytes / 18; b++) {
          room(buf, ch, 18);
          buf.putShort(FP16_0_01);
          long r1 = rnd.nextLong();
          long r2 = rnd.nextLong();
          buf.putLong(r1);
          buf.putLong(r2);
        }
      }
      case RANDOM_BLOCKS -> {
        // bytes 0x20..0x36: as the high byte of fp16 a normal number in [2^-7, 1); of bf16/fp32 a
        // small normal number; as an e8m0 scale 2^-95..2^-68; as quant nibbles, ordinary codes
        long i = 0;
        for (; i + 8 <= bytes; i += 8) {
          room(buf, ch, 8);
          long x = rnd.nextLong();
          long out = 0;
          for (int k = 0; k < 8; k++) {
            long b = x >>> (8 * k);
            out |= (0x20 + (b & 0x0F) + ((b >>> 4) & 0x07)) << (8 * k);
          }
          buf.putLong(out);
        }
        for (; i < bytes; i++) {
          room(buf, ch, 1);
          buf.put((byte) 0x30);
        }
      }
    }
  }

  /** IEEE half precision of a normal float of modest size (Float.floatToFloat16 needs Java 20). */
  static short half(float v) {
    int f = Float.floatToIntBits(v);
    int sign = (f >>> 16) & 0x8000;
    int exp = ((f >>> 23) & 0xFF) - 127 + 15;
    int mant = (f >>> 13) & 0x3FF;
    if (exp <= 0) return (short) sign;          // too small for a normal half: zero
    if (exp >= 31) return (short) (sign | 0x7BFF); // too large: the largest finite half
    return (short) (sign | (exp << 10) | mant);
  }

  /** Little-endian encoder for header fields. */
  private static final class Enc {
    private final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();

    Enc raw(byte[] b) {
      out.writeBytes(b);
      return this;
    }

    Enc u32(long v) {
      out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) v).array());
      return this;
    }

    Enc u64(long v) {
      out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
      return this;
    }

    Enc str(String s) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      u64(b.length);
      return raw(b);
    }

    byte[] bytes() {
      return out.toByteArray();
    }
  }
}
