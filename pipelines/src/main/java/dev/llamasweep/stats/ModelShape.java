package dev.llamasweep.stats;

import java.util.List;

/**
 * What the bytes-per-token arithmetic needs to know about a model: its tensors with their byte sizes,
 * and the hyper-parameters that decide how much of them, and of the KV cache, one generated token
 * reads. Made from a GGUF header (llamacpp) or by hand in tests; no I/O here.
 *
 * @param kvHeads KV heads per layer (0 for a layer without attention, such as a recurrent one)
 * @param slidingLayers per layer, whether its attention sees only the last {@code slidingWindow} tokens
 * @param mlaKvRank the compressed KV width of multi-head latent attention (DeepSeek-style), 0 if none
 * @param skippedLayers trailing layers that generation does not run (multi-token-prediction heads)
 * @param notCovered why part of what a token reads is not counted (a recurrent state), or null
 */
public record ModelShape(String architecture, List<Tensor> tensors, int layers, List<Long> kvHeads,
    long keyLength, long valueLength, long expertCount, long expertUsed, long slidingWindow,
    List<Boolean> slidingLayers, long mlaKvRank, long mlaRopeDim, int skippedLayers, String notCovered) {

  /** One tensor: its GGUF name, bytes, and rows (the size of its second dimension, the vocabulary for an embedding). */
  public record Tensor(String name, long bytes, long rows, long width, int dims, String type) {
    /** Without its width, dimensions and type (a header read before they were kept): FLOPs are then unknown. */
    public Tensor(String name, long bytes, long rows) {
      this(name, bytes, rows, -1, -1, null);
    }

    /** Values in the tensor (its first dimension × its rows), or -1 when the width is unknown. */
    public long elements() {
      return width < 0 ? -1 : width * rows;
    }
  }

  public long tensorBytes() {
    return tensors.stream().mapToLong(Tensor::bytes).sum();
  }

  /** The type most weight-matrix bytes are in (q4_K, as ggml spells it): what the model's matrix products mostly multiply by; null when unknown. */
  public String mainWeightType() {
    java.util.Map<String, Long> bytes = new java.util.HashMap<>();
    for (Tensor t : tensors) {
      if (t.type() != null && t.dims() >= 2 && !t.name().equals("token_embd.weight")) bytes.merge(t.type(), t.bytes(), Long::sum);
    }
    return bytes.entrySet().stream().max(java.util.Map.Entry.comparingByValue()).map(java.util.Map.Entry::getKey).orElse(null);
  }

  /**
   * The size of the weight matrix a token typically reads at once: the bytes-weighted median of the
   * per-layer matrices (a routed expert tensor counts one expert's slice, what one expert's product
   * reads); 0 when the header has no per-layer matrices with dimensions.
   */
  public double typicalMatrixBytes() {
    List<double[]> reads = new java.util.ArrayList<>();
    for (Tensor t : tensors) {
      if (!t.name().startsWith("blk.") || t.dims() < 2) continue;
      boolean expert = isMoe() && t.dims() >= 3 && t.name().contains("_exps");
      double one = expert ? (double) t.bytes() / expertCount : t.bytes();
      reads.add(new double[] {one, t.bytes() * (expert ? (double) expertUsed / expertCount : 1)});
    }
    if (reads.isEmpty()) return 0;
    reads.sort(java.util.Comparator.comparingDouble(r -> r[0]));
    double total = reads.stream().mapToDouble(r -> r[1]).sum();
    double seen = 0;
    for (double[] r : reads) {
      seen += r[1];
      if (seen >= total / 2) return r[0];
    }
    return reads.get(reads.size() - 1)[0];
  }

  public boolean isMoe() {
    return expertCount > 0 && expertUsed > 0;
  }
}
