package dev.llamasweep.catalogue;

import java.util.List;
import java.util.Map;

/**
 * A real model's exact shape without its weights: the GGUF metadata llama.cpp needs to load it as that
 * architecture and every tensor's name and dimensions, as convert_hf_to_gguf.py writes them from the
 * model's published config. Speed does not depend on weight values, so random weights in this shape
 * measure what the real model would measure.
 *
 * @param id        the catalogue name a spec uses ({@code synthetic: qwen3-8b})
 * @param name      the model's own name ("Qwen3-8B")
 * @param arch      llama.cpp's architecture name (general.architecture)
 * @param source    where each hyper-parameter comes from: the model's published config
 * @param keys      the architecture's GGUF keys without the "arch." prefix: Integer/Long as u32, Float as f32,
 *                  Boolean as bool, String as string
 * @param tensors   every tensor, in the order the converter writes them
 * @param published what the model's card publishes, to check the shape against
 * @param tokenizer the file of llama.cpp's source (models/) whose tokenizer is the model's, with exactly its vocabulary
 *                  size, or null: then a "no_vocab" vocabulary of the model's size (llama-bench needs no text; a server does)
 */
public record CatalogueModel(String id, String name, String arch, String source, Map<String, Object> keys, List<Tensor> tensors,
    Published published, String tokenizer) {

  /**
   * A tensor: its GGUF name and ggml dimensions (ne[0] is the row length). {@code weight} marks a matrix the
   * converter writes in the model's 16-bit type and llama-quantize may quantise; the rest (norms, biases,
   * sinks, the rope factors) are F32, as the converter writes every 1-D tensor.
   */
  public record Tensor(String name, long[] ne, boolean weight) {
    public long elements() {
      long n = 1;
      for (long d : ne) n *= d;
      return n;
    }
  }

  /**
   * What the model card says, with the precision it says it in: {@code params} total parameters and
   * {@code activeParams} those a token uses (MoE; equal to params for a dense model), to {@code digits}
   * significant digits (cut or rounded: "3.3B" for 3.35B); {@code activeCountsEmbedding} when the card counts the input embedding among the
   * active ones (Qwen's does; OpenAI's and DeepSeek's do not); the card's URL.
   */
  public record Published(double params, double activeParams, int digits, boolean activeCountsEmbedding, String card) {}

  /** Σ elements over the tensors: the parameter count llama-bench reports (a tied output counted once). */
  public long params() {
    return tensors.stream().mapToLong(Tensor::elements).sum();
  }

  /**
   * The parameters one token reads: every tensor except the input embedding (a row of it is looked up;
   * read whole only where the output is tied to it and there is no output tensor), each expert tensor
   * counted for the experts a token uses out of the experts there are.
   */
  public long activeParams() {
    long experts = ((Number) keys.getOrDefault("expert_count", 0)).longValue();
    long used = ((Number) keys.getOrDefault("expert_used_count", 0)).longValue();
    boolean tied = tensors.stream().noneMatch(t -> t.name().equals("output.weight"));
    long n = 0;
    for (Tensor t : tensors) {
      if (t.name().equals("token_embd.weight") && !tied) continue;
      n += t.name().contains("_exps.") && experts > 0 ? t.elements() / experts * used : t.elements();
    }
    return n;
  }

  /** The input embedding's parameters. */
  public long embeddingParams() {
    return tensors.stream().filter(t -> t.name().equals("token_embd.weight")).mapToLong(Tensor::elements).sum();
  }
}
