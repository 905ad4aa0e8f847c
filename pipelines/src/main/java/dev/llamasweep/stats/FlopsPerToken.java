package dev.llamasweep.stats;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Floating-point work per token from the GGUF tensor table: every weight matrix a token multiplies by
 * costs 2 FLOPs per weight (a multiply and an add; routed experts at used/count of their weights), and
 * attention costs 2 FLOPs per query value per attended position for the scores plus the same per value
 * for the weighted sum. Prompt processing runs these as matrix products, so its speed is bound by
 * compute: achieved FLOP/s = FLOPs per token × pp t/s, set against the backend's measured matrix-product rate.
 * Norms, activations and softmax are left out (a few FLOPs per value, under 1% of the matmuls).
 */
public final class FlopsPerToken {
  private static final Pattern LAYER = Pattern.compile("^blk\\.(\\d+)\\.");

  private FlopsPerToken() {}

  /**
   * @param matmul FLOPs of the weight matrices per token
   * @param attention FLOPs of attention per token at the mean context
   * @param contextLength the mean number of positions a token attends to
   */
  public record Breakdown(double matmul, double attention, double contextLength) {
    public double total() {
      return matmul + attention;
    }

    /** "2 × 120.3 M weights = 240.6 MFLOP + attention 4.2 MFLOP at L = 256.5 = 244.8 MFLOP". */
    public String arithmetic() {
      return String.format(Locale.ROOT, "2 × %s weights = %s + attention %s at L = %s = %s", count(matmul / 2), flop(matmul), flop(attention),
          BytesPerToken.trim(contextLength), flop(total()));
    }
  }

  /** The work per token of a model at a mean context, or null when its header lacks tensor widths or uses latent attention. */
  public static Breakdown of(ModelShape m, double contextLength) {
    if (m.mlaKvRank() > 0) return null;
    boolean tied = m.tensors().stream().noneMatch(t -> t.name().equals("output.weight"));
    int lastLayer = m.layers() - m.skippedLayers();
    double matmul = 0;
    double attention = 0;
    for (ModelShape.Tensor t : m.tensors()) {
      if (t.elements() < 0) return null;
      if (t.dims() < 2) continue;
      int layer = layerOf(t.name());
      if (layer >= lastLayer) continue;
      if (BytesPerToken.isEmbedding(t.name())) {
        // an embedding is a lookup, not a product; a tied output multiplies by the same table
        if (tied && t.name().equals("token_embd.weight")) matmul += 2.0 * t.elements();
        continue;
      }
      double share = m.isMoe() && BytesPerToken.isRoutedExpert(t.name()) ? (double) m.expertUsed() / m.expertCount() : 1;
      matmul += 2.0 * t.elements() * share;
    }
    for (int il = 0; il < lastLayer; il++) {
      long heads = il < m.kvHeads().size() ? m.kvHeads().get(il) : 0;
      if (heads <= 0 || m.keyLength() <= 0) continue;
      double q = queryWidth(m, il, heads);
      if (q <= 0) continue;
      boolean swa = il < m.slidingLayers().size() && m.slidingLayers().get(il) && m.slidingWindow() > 0;
      double positions = swa ? Math.min(contextLength, m.slidingWindow()) : contextLength;
      double queryHeads = q / m.keyLength();
      attention += 2 * q * positions + 2 * queryHeads * m.valueLength() * positions;
    }
    return new Breakdown(matmul, attention, contextLength);
  }

  /** A layer's query width (heads × key length): the rows of its attn_q, or of a fused attn_qkv less the keys and values. */
  private static double queryWidth(ModelShape m, int layer, long kvHeads) {
    String prefix = "blk." + layer + ".";
    for (ModelShape.Tensor t : m.tensors()) {
      if (t.name().equals(prefix + "attn_q.weight")) return t.rows();
      if (t.name().equals(prefix + "attn_qkv.weight")) return t.rows() - kvHeads * (m.keyLength() + m.valueLength());
    }
    return 0;
  }

  private static int layerOf(String name) {
    Matcher x = LAYER.matcher(name);
    return x.find() ? Integer.parseInt(x.group(1)) : -1;
  }

  /** "244.8 MFLOP", "13.4 GFLOP". */
  public static String flop(double f) {
    if (f >= 1e12) return String.format(Locale.ROOT, "%.2f TFLOP", f / 1e12);
    if (f >= 1e9) return String.format(Locale.ROOT, "%.2f GFLOP", f / 1e9);
    return String.format(Locale.ROOT, "%.1f MFLOP", f / 1e6);
  }

  private static String count(double n) {
    if (n >= 1e9) return String.format(Locale.ROOT, "%.2f G", n / 1e9);
    return String.format(Locale.ROOT, "%.1f M", n / 1e6);
  }
}
