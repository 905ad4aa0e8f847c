package dev.llamasweep.stats;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Bytes that generating one token actually reads from memory, from a model's tensor table:
 *
 * <ul>
 *   <li>dense weights: every tensor but the token-embedding table (one row of it is read) and the
 *       routed experts; shared experts and the router count in full. A model without an
 *       {@code output.weight} ties its output to the embedding table, which is then read whole;
 *   <li>routed experts: their bytes × used / count (llama.cpp's mul_mat_id reads each chosen expert's
 *       slice once per token);
 *   <li>KV cache: Σ over attention layers of n_kv_head × (key_length × bytes per K value + value_length ×
 *       bytes per V value) × L, where L is the context the token attends to, and a sliding-window
 *       layer attends to min(L, window).
 * </ul>
 *
 * Pure arithmetic: the tensor table comes from the GGUF header, the KV types from the run.
 */
public final class BytesPerToken {
  private static final Pattern LAYER = Pattern.compile("^blk\\.(\\d+)\\.");

  private BytesPerToken() {}

  /** The parts and their total, with every input kept so the report can write the arithmetic out. */
  public record Breakdown(long denseBytes, long embeddingRowBytes, boolean tiedOutput, long expertFileBytes,
      long expertUsed, long expertCount, double expertBytes, double kvBytes, double contextLength,
      double kvBytesPerPosition, int attentionLayers, int slidingLayers, long slidingWindow, String kvTypes,
      String notCovered) {

    public double weightBytes() {
      return denseBytes + expertBytes;
    }

    public double total() {
      return denseBytes + expertBytes + kvBytes;
    }

    public boolean isMoe() {
      return expertCount > 0;
    }

    /** "dense 120.31 MB + experts 226.49 MB × 4/32 = 28.31 MB + KV 0.41 MB = 149.03 MB". */
    public String arithmetic() {
      StringBuilder s = new StringBuilder();
      s.append("weights ").append(mb(denseBytes));
      if (isMoe()) {
        s.append(" + experts ").append(mb(expertFileBytes)).append(" × ").append(expertUsed).append('/').append(expertCount)
            .append(" = ").append(mb(expertBytes));
      }
      s.append(" + KV ").append(mb(kvBytes)).append(" = ").append(mb(total()));
      return s.toString();
    }

    /** "L = 1024 + (128 + 1) / 2 = 1088.5; 16 layers × 64.0 KiB per position (f16/f16)". */
    public String kvArithmetic() {
      if (attentionLayers == 0) return "no attention layer";
      StringBuilder s = new StringBuilder();
      s.append(String.format(Locale.ROOT, "L = %s positions; %d layers × %s per position (%s)",
          trim(contextLength), attentionLayers, kib(kvBytesPerPosition / Math.max(1, attentionLayers)), kvTypes));
      if (slidingLayers > 0) s.append(String.format(Locale.ROOT, ", %d of them see at most %d (sliding window)", slidingLayers, slidingWindow));
      return s.toString();
    }
  }

  /**
   * @param kBytesPerValue bytes per cached key value (2 for f16, 34/32 for q8_0)
   * @param contextLength the mean number of positions a generated token attends to
   */
  public static Breakdown of(ModelShape m, double kBytesPerValue, double vBytesPerValue, String kvTypes, double contextLength) {
    boolean tied = m.tensors().stream().noneMatch(t -> t.name().equals("output.weight"));
    long dense = 0;
    long rowBytes = 0;
    long experts = 0;
    int lastLayer = m.layers() - m.skippedLayers();
    for (ModelShape.Tensor t : m.tensors()) {
      int layer = layerOf(t.name());
      if (layer >= lastLayer) continue;  // multi-token-prediction layers do not run in generation
      if (isEmbedding(t.name()) && !(tied && t.name().equals("token_embd.weight"))) {
        long row = t.rows() > 0 ? t.bytes() / t.rows() : t.bytes();
        rowBytes += row;
        dense += row;
      } else if (m.isMoe() && isRoutedExpert(t.name())) {
        experts += t.bytes();
      } else {
        dense += t.bytes();
      }
    }
    double expertRead = m.isMoe() ? (double) experts * m.expertUsed() / m.expertCount() : 0;
    if (!m.isMoe()) {
      dense += experts;
      experts = 0;
    }

    double perPosition = 0;
    double kv = 0;
    int attention = 0;
    int sliding = 0;
    for (int il = 0; il < lastLayer; il++) {
      long heads = il < m.kvHeads().size() ? m.kvHeads().get(il) : 0;
      if (heads <= 0) continue;
      attention++;
      double layerBytes = m.mlaKvRank() > 0
          ? (m.mlaKvRank() + m.mlaRopeDim()) * kBytesPerValue
          : heads * (m.keyLength() * kBytesPerValue + m.valueLength() * vBytesPerValue);
      boolean swa = il < m.slidingLayers().size() && m.slidingLayers().get(il) && m.slidingWindow() > 0;
      if (swa) sliding++;
      perPosition += layerBytes;
      kv += layerBytes * (swa ? Math.min(contextLength, m.slidingWindow()) : contextLength);
    }
    return new Breakdown(dense, rowBytes, tied, experts, m.isMoe() ? m.expertUsed() : 0, m.isMoe() ? m.expertCount() : 0,
        expertRead, kv, contextLength, perPosition, attention, sliding, m.slidingWindow(), kvTypes, m.notCovered());
  }

  /**
   * The mean number of positions a token of a tg test attends to: after {@code depth} tokens, the i-th
   * generated token (i = 1..n) sees depth + i positions, so the mean is depth + (n + 1) / 2.
   */
  public static double meanContext(long depth, long generated) {
    return depth + (generated + 1) / 2.0;
  }

  static boolean isEmbedding(String name) {
    return name.equals("token_embd.weight") || name.equals("per_layer_token_embd.weight");
  }

  /** Routed experts hold one slice per expert: ffn_gate_exps, ffn_up_exps, ffn_down_exps, ffn_gate_up_exps (and their biases and scales). */
  static boolean isRoutedExpert(String name) {
    return name.contains("_exps.") || name.endsWith("_exps");
  }

  static int layerOf(String name) {
    Matcher m = LAYER.matcher(name);
    return m.find() ? Integer.parseInt(m.group(1)) : -1;
  }

  /** Decimal megabytes with two decimals, as the report writes them. */
  public static String mb(double bytes) {
    return String.format(Locale.ROOT, "%,.2f MB", bytes / 1e6);
  }

  static String kib(double bytes) {
    return String.format(Locale.ROOT, "%,.1f KiB", bytes / 1024);
  }

  static String trim(double v) {
    return v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.1f", v);
  }

}
