package dev.llamasweep.gguf;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * ggml's tensor types with their block size (values per block) and block bytes, as in the pinned
 * llama.cpp's {@code type_traits} table (ggml/src/ggml.c; block sizes from ggml-common.h). A tensor
 * of n values takes n / blockSize × typeSize bytes, exactly as {@code ggml_nbytes} counts it.
 */
public enum GgmlType {
  F32(0, 1, 4), F16(1, 1, 2), Q4_0(2, 32, 18), Q4_1(3, 32, 20), Q5_0(6, 32, 22), Q5_1(7, 32, 24),
  Q8_0(8, 32, 34), Q8_1(9, 32, 36), Q2_K(10, 256, 84), Q3_K(11, 256, 110), Q4_K(12, 256, 144),
  Q5_K(13, 256, 176), Q6_K(14, 256, 210), Q8_K(15, 256, 292), IQ2_XXS(16, 256, 66), IQ2_XS(17, 256, 74),
  IQ3_XXS(18, 256, 98), IQ1_S(19, 256, 50), IQ4_NL(20, 32, 18), IQ3_S(21, 256, 110), IQ2_S(22, 256, 82),
  IQ4_XS(23, 256, 136), I8(24, 1, 1), I16(25, 1, 2), I32(26, 1, 4), I64(27, 1, 8), F64(28, 1, 8),
  IQ1_M(29, 256, 56), BF16(30, 1, 2), TQ1_0(34, 256, 54), TQ2_0(35, 256, 66), MXFP4(39, 32, 17),
  NVFP4(40, 64, 36), Q1_0(41, 128, 18), Q2_0(42, 64, 18);

  public final int id;
  public final int blockSize;
  public final int typeSize;

  private static final Map<Integer, GgmlType> BY_ID = new HashMap<>();
  static {
    for (GgmlType t : values()) BY_ID.put(t.id, t);
  }

  GgmlType(int id, int blockSize, int typeSize) {
    this.id = id;
    this.blockSize = blockSize;
    this.typeSize = typeSize;
  }

  /** The type with this GGUF id, or null for an id this build of llama.cpp does not know. */
  public static GgmlType byId(long id) {
    return BY_ID.get((int) id);
  }

  /** The type llama-bench names so ({@code type_k: "q8_0"}), or null. */
  public static GgmlType byName(String name) {
    if (name == null) return null;
    for (GgmlType t : values()) {
      if (t.name().equalsIgnoreCase(name.trim())) return t;
    }
    return null;
  }

  /** Bytes of n values of this type (n a multiple of the block size, as ggml requires). */
  public long bytes(long values) {
    return values / blockSize * typeSize;
  }

  /** Bytes per value: 2 for f16, 34/32 = 1.0625 for q8_0. */
  public double bytesPerValue() {
    return (double) typeSize / blockSize;
  }

  /** llama.cpp's own spelling: q4_K, iq2_xxs, f16. */
  public String ggmlName() {
    String n = name().toLowerCase(Locale.ROOT);
    return n.endsWith("_k") ? n.substring(0, n.length() - 1) + "K" : n;
  }
}
