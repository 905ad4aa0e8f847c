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
  public record Tensor(String name, long bytes, long rows) {}

  public long tensorBytes() {
    return tensors.stream().mapToLong(Tensor::bytes).sum();
  }

  public boolean isMoe() {
    return expertCount > 0 && expertUsed > 0;
  }
}
