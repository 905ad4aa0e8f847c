package dev.llamasweep.catalogue;

import dev.llamasweep.catalogue.CatalogueModel.Published;
import dev.llamasweep.catalogue.CatalogueModel.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The catalogue of popular models' shapes ({@code synthetic: qwen3-8b} in a spec). Each figure is the
 * model's published config.json (the URL in {@link CatalogueModel#source()}); the tensor names and
 * dimensions are the ones llama.cpp's loader asks for (src/models/&lt;arch&gt;.cpp of the pinned source),
 * which is what convert_hf_to_gguf.py writes. The tokenizer is the one llama.cpp's source carries for the
 * family where its size is the model's (Qwen, Llama 3, DeepSeek), so a server can tokenize a prompt and a draft
 * pairs with its target; elsewhere a "no_vocab" vocabulary of the model's exact size (llama-bench needs no text).
 */
public final class Catalogue {
  private Catalogue() {}

  private static final String HF = "https://huggingface.co/";

  /**
   * Part of a written shape's file name: a change to what a shape's file holds (its tensors, keys or tokenizer)
   * changes it, so a file cached before is not reused.
   */
  public static final String VERSION = "s2";

  /** Qwen2's tokenizer, which Qwen3 kept: 151,936 entries, as llama.cpp's source carries it (models/ggml-vocab-qwen2.gguf). */
  private static final String QWEN_TOKENIZER = "ggml-vocab-qwen2.gguf";

  public static final List<CatalogueModel> ALL = List.of(
      // Qwen3 dense: explicit head_dim 128 (so 16 × 128 = 2048 ≠ 1024 for the 0.6B), q/k norms, tied embeddings up to 4B
      qwen3("qwen3-0.6b", "Qwen3-0.6B", 28, 1024, 3072, 16, 8, true,
          new Published(0.6e9, 0.6e9, 1, true, HF + "Qwen/Qwen3-0.6B")),
      qwen3("qwen3-8b", "Qwen3-8B", 36, 4096, 12288, 32, 8, false,
          new Published(8.2e9, 8.2e9, 2, true, HF + "Qwen/Qwen3-8B")),
      qwen3("qwen3-14b", "Qwen3-14B", 40, 5120, 17408, 40, 8, false,
          new Published(14.8e9, 14.8e9, 3, true, HF + "Qwen/Qwen3-14B")),
      qwen3moe("qwen3-30b-a3b", "Qwen3-30B-A3B", 48, 2048, 32, 4, 128, 8, 768,
          new Published(30.5e9, 3.3e9, 2, true, HF + "Qwen/Qwen3-30B-A3B")),
      llama31("llama-3.1-8b", "Llama-3.1-8B", 32, 4096, 14336, 32, 8,
          new Published(8.0e9, 8.0e9, 2, true, HF + "meta-llama/Llama-3.1-8B")),
      gptOss("gpt-oss-20b", "gpt-oss-20b", 24, 2880, 64, 8, 64, 32, 4, 2880,
          new Published(21e9, 3.6e9, 2, false, HF + "openai/gpt-oss-20b")),
      gemma3("gemma-3-12b", "Gemma-3-12B", 48, 3840, 15360, 16, 8, 256,
          // the card's 12B counts the 0.4B SigLIP vision tower, which is not in the text model's GGUF
          new Published(11.8e9, 11.8e9, 2, true, HF + "google/gemma-3-12b-it")),
      deepseekV2Lite(new Published(15.7e9, 2.4e9, 2, false, HF + "deepseek-ai/DeepSeek-V2-Lite")));

  /**
   * The quantisations a catalogue shape can be written in: llama-quantize's file types (tools/quantize/quantize.cpp)
   * whose tensors llama-sweep writes directly (every K-quant, the legacy 32-blocks, MXFP4 for experts, 16-bit).
   */
  public static final List<String> QUANTS = List.of("Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q8_0", "Q2_K", "Q3_K_S", "Q3_K_M", "Q3_K_L", "Q4_K_S",
      "Q4_K_M", "Q5_K_S", "Q5_K_M", "Q6_K", "MXFP4_MOE", "F16", "BF16");

  /** The shape with this catalogue id, or null. */
  public static CatalogueModel of(String id) {
    return ALL.stream().filter(s -> s.id().equals(id)).findFirst().orElse(null);
  }

  public static List<String> ids() {
    return ALL.stream().map(CatalogueModel::id).toList();
  }

  /** Tensors in the converter's spirit: weights by the loader's names, F32 for every vector. */
  private static final class Table {
    final List<Tensor> tensors = new ArrayList<>();

    Table weight(String name, long... ne) {
      tensors.add(new Tensor(name, ne, true));
      return this;
    }

    Table vector(String name, long... ne) {
      tensors.add(new Tensor(name, ne, false));
      return this;
    }
  }

  private static Map<String, Object> common(int ctx, int layers, int embd, int ff, int heads, int kvHeads, int headDim, int vocab, float ropeBase, float eps) {
    Map<String, Object> k = new LinkedHashMap<>();
    k.put("context_length", ctx);
    k.put("embedding_length", embd);
    k.put("block_count", layers);
    k.put("feed_forward_length", ff);
    k.put("attention.head_count", heads);
    k.put("attention.head_count_kv", kvHeads);
    k.put("attention.key_length", headDim);
    k.put("attention.value_length", headDim);
    k.put("rope.dimension_count", headDim);
    k.put("rope.freq_base", ropeBase);
    k.put("attention.layer_norm_rms_epsilon", eps);
    k.put("vocab_size", vocab);
    return k;
  }

  /** An MoE's keys: experts in all, used per token, and each expert's feed-forward width. */
  private static Map<String, Object> withExperts(Map<String, Object> k, int experts, int used, int expertFf) {
    k.put("expert_count", experts);
    k.put("expert_used_count", used);
    k.put("expert_feed_forward_length", expertFf);
    return k;
  }

  /** Embedding, final norm and (unless tied) the output, as every architecture here has them. */
  private static Table head(int embd, int vocab, boolean tied) {
    Table t = new Table().weight("token_embd.weight", embd, vocab).vector("output_norm.weight", embd);
    if (!tied) t.weight("output.weight", embd, vocab);
    return t;
  }

  private static void attention(Table t, String b, int embd, int heads, int kvHeads, int headDim) {
    t.weight(b + "attn_q.weight", embd, (long) heads * headDim)
        .weight(b + "attn_k.weight", embd, (long) kvHeads * headDim)
        .weight(b + "attn_v.weight", embd, (long) kvHeads * headDim)
        .weight(b + "attn_output.weight", (long) heads * headDim, embd);
  }

  /** A Qwen3 layer's attention (dense and MoE alike): its norm, q/k/v/o, the per-head q and k norms, then the FFN's norm. */
  private static void qwenAttention(Table t, String b, int embd, int heads, int kvHeads, int headDim) {
    t.vector(b + "attn_norm.weight", embd);
    attention(t, b, embd, heads, kvHeads, headDim);
    t.vector(b + "attn_k_norm.weight", headDim).vector(b + "attn_q_norm.weight", headDim).vector(b + "ffn_norm.weight", embd);
  }

  private static void denseFfn(Table t, String b, int embd, int ff) {
    t.weight(b + "ffn_gate.weight", embd, ff).weight(b + "ffn_up.weight", embd, ff).weight(b + "ffn_down.weight", ff, embd);
  }

  private static void experts(Table t, String b, int embd, int expertFf, int experts) {
    t.weight(b + "ffn_gate_exps.weight", embd, expertFf, experts)
        .weight(b + "ffn_up_exps.weight", embd, expertFf, experts)
        .weight(b + "ffn_down_exps.weight", expertFf, embd, experts);
  }

  /** Qwen3 dense (config.json: hidden_size, intermediate_size, num_hidden_layers, num_attention_heads, num_key_value_heads, head_dim 128, vocab_size 151936, rope_theta 1e6, rms_norm_eps 1e-6, max_position_embeddings 40960). */
  static CatalogueModel qwen3(String id, String name, int layers, int embd, int ff, int heads, int kvHeads, boolean tied, Published p) {
    int headDim = 128;
    int vocab = 151936;
    Table t = head(embd, vocab, tied);
    for (int l = 0; l < layers; l++) {
      String b = "blk." + l + ".";
      qwenAttention(t, b, embd, heads, kvHeads, headDim);
      denseFfn(t, b, embd, ff);
    }
    return new CatalogueModel(id, name, "qwen3", HF + "Qwen/" + name + "/blob/main/config.json",
        common(40960, layers, embd, ff, heads, kvHeads, headDim, vocab, 1e6f, 1e-6f), t.tensors, p, QWEN_TOKENIZER);
  }

  /** Qwen3-30B-A3B (config.json: 48 layers, hidden 2048, 32 heads, 4 KV heads, head_dim 128, 128 experts, 8 per token, moe_intermediate_size 768, every layer sparse). */
  static CatalogueModel qwen3moe(String id, String name, int layers, int embd, int heads, int kvHeads, int experts, int used, int expertFf, Published p) {
    int headDim = 128;
    int vocab = 151936;
    Table t = head(embd, vocab, false);
    for (int l = 0; l < layers; l++) {
      String b = "blk." + l + ".";
      qwenAttention(t, b, embd, heads, kvHeads, headDim);
      // the router stays F32: the converter keeps it so and llama-quantize never quantises it
      t.vector(b + "ffn_gate_inp.weight", embd, experts);
      experts(t, b, embd, expertFf, experts);
    }
    Map<String, Object> k = withExperts(common(40960, layers, embd, 6144, heads, kvHeads, headDim, vocab, 1e6f, 1e-6f), experts, used, expertFf);
    return new CatalogueModel(id, name, "qwen3moe", HF + "Qwen/" + name + "/blob/main/config.json", k, t.tensors, p, QWEN_TOKENIZER);
  }

  /** Llama 3.1 (config.json: 32 layers, hidden 4096, intermediate 14336, 32 heads, 8 KV heads, vocab 128256, rope_theta 500000, llama3 rope scaling, which the converter stores as rope_freqs). */
  static CatalogueModel llama31(String id, String name, int layers, int embd, int ff, int heads, int kvHeads, Published p) {
    int headDim = embd / heads;
    int vocab = 128256;
    Table t = head(embd, vocab, false);
    t.vector("rope_freqs.weight", headDim / 2);
    for (int l = 0; l < layers; l++) {
      String b = "blk." + l + ".";
      t.vector(b + "attn_norm.weight", embd);
      attention(t, b, embd, heads, kvHeads, headDim);
      t.vector(b + "ffn_norm.weight", embd);
      denseFfn(t, b, embd, ff);
    }
    return new CatalogueModel(id, name, "llama", HF + "meta-llama/" + name + "/blob/main/config.json",
        common(131072, layers, embd, ff, heads, kvHeads, headDim, vocab, 500000f, 1e-5f), t.tensors, p, "ggml-vocab-llama-bpe.gguf");
  }

  /**
   * gpt-oss (config.json: 24 layers, hidden 2880, 64 heads of 64, 8 KV heads, 32 local experts, 4 per
   * token, intermediate 2880, vocab 201088, sliding_window 128 on every other layer, rope_theta 150000):
   * biases on attention and experts, attention sinks, a norm after attention.
   */
  static CatalogueModel gptOss(String id, String name, int layers, int embd, int heads, int kvHeads, int headDim, int experts, int used, int expertFf,
      Published p) {
    int vocab = 201088;
    Table t = head(embd, vocab, false);
    for (int l = 0; l < layers; l++) {
      String b = "blk." + l + ".";
      t.vector(b + "attn_norm.weight", embd).vector(b + "post_attention_norm.weight", embd);
      attention(t, b, embd, heads, kvHeads, headDim);
      t.vector(b + "attn_q.bias", (long) heads * headDim).vector(b + "attn_k.bias", (long) kvHeads * headDim)
          .vector(b + "attn_v.bias", (long) kvHeads * headDim).vector(b + "attn_output.bias", embd).vector(b + "attn_sinks.weight", heads);
      t.vector(b + "ffn_gate_inp.weight", embd, experts).vector(b + "ffn_gate_inp.bias", experts);
      experts(t, b, embd, expertFf, experts);
      t.vector(b + "ffn_gate_exps.bias", expertFf, experts).vector(b + "ffn_up_exps.bias", expertFf, experts).vector(b + "ffn_down_exps.bias", embd, experts);
    }
    Map<String, Object> k = withExperts(common(131072, layers, embd, expertFf, heads, kvHeads, headDim, vocab, 150000f, 1e-5f), experts, used,
        expertFf);
    k.put("attention.sliding_window", 128);
    return new CatalogueModel(id, name, "gpt-oss", HF + "openai/" + name + "/blob/main/config.json", k, t.tensors, p, null);
  }

  /**
   * Gemma 3 text model (config.json text_config: 48 layers, hidden 3840, intermediate 15360, 16 heads of 256,
   * 8 KV heads, vocab 262208, sliding_window 1024 on five layers of six, tied embeddings): norms before
   * and after attention and the FFN, q/k norms.
   */
  static CatalogueModel gemma3(String id, String name, int layers, int embd, int ff, int heads, int kvHeads, int headDim, Published p) {
    int vocab = 262208;
    Table t = head(embd, vocab, true);
    for (int l = 0; l < layers; l++) {
      String b = "blk." + l + ".";
      t.vector(b + "attn_norm.weight", embd);
      attention(t, b, embd, heads, kvHeads, headDim);
      t.vector(b + "post_attention_norm.weight", embd).vector(b + "attn_k_norm.weight", headDim).vector(b + "attn_q_norm.weight", headDim)
          .vector(b + "ffn_norm.weight", embd);
      denseFfn(t, b, embd, ff);
      t.vector(b + "post_ffw_norm.weight", embd);
    }
    Map<String, Object> k = common(131072, layers, embd, ff, heads, kvHeads, headDim, vocab, 1e6f, 1e-6f);
    k.put("attention.sliding_window", 1024);
    k.put("attention.sliding_window_pattern", 6);
    k.put("rope.freq_base_swa", 10000f);
    return new CatalogueModel(id, name, "gemma3", HF + "google/gemma-3-12b-it/blob/main/config.json", k, t.tensors, p, null);
  }

  /**
   * DeepSeek-V2-Lite, the latent-attention MoE (config.json: 27 layers, hidden 2048, 16 heads, kv_lora_rank
   * 512, no q_lora (the Lite model projects q directly), qk_nope_head_dim 128, qk_rope_head_dim 64, v_head_dim
   * 128, 64 routed experts of moe_intermediate_size 1408, 6 per token, 2 shared, the first layer dense with
   * intermediate_size 10944, vocab 102400). MLA as today's converter writes it: K and V up-projections split per
   * head (attn_k_b, attn_v_b), one KV head of 512 + 64 in the cache.
   */
  static CatalogueModel deepseekV2Lite(Published p) {
    int layers = 27, embd = 2048, heads = 16, kvLora = 512, nope = 128, rope = 64, vHead = 128, experts = 64, used = 6, shared = 2,
        expertFf = 1408, denseFf = 10944, vocab = 102400;
    Table t = head(embd, vocab, false);
    for (int l = 0; l < layers; l++) {
      String b = "blk." + l + ".";
      t.vector(b + "attn_norm.weight", embd).vector(b + "attn_kv_a_norm.weight", kvLora);
      t.weight(b + "attn_q.weight", embd, (long) heads * (nope + rope))
          .weight(b + "attn_kv_a_mqa.weight", embd, kvLora + rope)
          .weight(b + "attn_k_b.weight", nope, kvLora, heads)
          .weight(b + "attn_v_b.weight", kvLora, vHead, heads)
          .weight(b + "attn_output.weight", (long) heads * vHead, embd);
      t.vector(b + "ffn_norm.weight", embd);
      if (l < 1) {
        denseFfn(t, b, embd, denseFf);
      } else {
        t.vector(b + "ffn_gate_inp.weight", embd, experts);
        experts(t, b, embd, expertFf, experts);
        t.weight(b + "ffn_gate_shexp.weight", embd, (long) expertFf * shared).weight(b + "ffn_up_shexp.weight", embd, (long) expertFf * shared)
            .weight(b + "ffn_down_shexp.weight", (long) expertFf * shared, embd);
      }
    }
    Map<String, Object> k = withExperts(common(163840, layers, embd, denseFf, heads, 1, 0, vocab, 10000f, 1e-6f), experts, used, expertFf);
    k.put("attention.key_length", kvLora + rope);
    k.put("attention.value_length", kvLora);
    k.put("attention.key_length_mla", nope + rope);
    k.put("attention.value_length_mla", vHead);
    k.put("rope.dimension_count", rope);
    k.put("attention.kv_lora_rank", kvLora);
    k.put("leading_dense_block_count", 1);
    k.put("expert_shared_count", shared);
    k.put("expert_weights_scale", 1.0f);
    return new CatalogueModel("deepseek-v2-lite", "DeepSeek-V2-Lite", "deepseek2", HF + "deepseek-ai/DeepSeek-V2-Lite/blob/main/config.json",
        k, t.tensors, p, "ggml-vocab-deepseek-llm.gguf");
  }
}
