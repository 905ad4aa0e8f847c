package dev.llamasweep.models;

import dev.llamasweep.gguf.GgmlType;
import dev.llamasweep.gguf.GgufInfo;
import dev.llamasweep.gguf.GgufTestFiles;
import dev.llamasweep.gguf.GgufWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Skeletons keep a model's layers, heads, experts and types and shrink its widths: shapes checked on the headers of dense, GQA, MoE and SWA models. */
class SkeletonTest {
  @TempDir Path dir;

  static GgufWriter header(String arch, long embd, long heads, long kv, long hd, long ff, int layers) {
    GgufWriter w = new GgufWriter().string("general.architecture", arch).u32(arch + ".block_count", layers)
        .u32(arch + ".embedding_length", embd).u32(arch + ".attention.head_count", heads).u32(arch + ".attention.head_count_kv", kv);
    if (ff > 0) w.u32(arch + ".feed_forward_length", ff);
    if (hd != embd / heads) w.u32(arch + ".attention.key_length", hd).u32(arch + ".attention.value_length", hd);
    return w;
  }

  GgufInfo read(GgufWriter w, String name) throws Exception {
    Path p = dir.resolve(name + ".gguf");
    w.writeHeaderOnly(p);
    return GgufInfo.read(p);
  }

  static Map<String, String> shapes(Skeleton.Plan p, int layer) {
    return p.tensors().stream().filter(t -> !t.name().startsWith("blk.") || t.name().startsWith("blk." + layer + "."))
        .collect(Collectors.toMap(t -> t.name().replaceFirst("^blk\\.\\d+\\.", ""), t -> Arrays.toString(t.ne()) + " " + t.type()));
  }

  @Test
  void aDenseLlamaKeepsItsLayersHeadsAndTypesAndReadsAFewMegabytes() throws Exception {
    GgufInfo info = read(GgufTestFiles.llama7bTensors(header("llama", 4096, 32, 32, 128, 11008, 32), 32000), "llama7b");
    Skeleton.Plan p = Skeleton.plan(info, 32);
    assertEquals(128, p.headDim(), "heads keep their width: the same attention kernels run");
    assertEquals(2, p.heads(), "2 heads of 128 = 256");
    Map<String, String> s = shapes(p, 31);
    assertEquals("[256, 256] Q4_0", s.get("attn_q.weight"));
    assertEquals("[256, 256] Q4_0", s.get("ffn_down.weight"));
    assertEquals("[256, 32000] Q4_0", s.get("output.weight"), "the vocabulary stays: the tokenizer is the model's");
    assertEquals(32 * 9 + 3, p.tensors().size());
    assertTrue(p.tensorBytes() < 20_000_000, "a few MB instead of 3.8 GB: " + p.tensorBytes());
    assertEquals(Map.of("llama.block_count", 32L, "llama.embedding_length", 256L, "llama.feed_forward_length", 256L,
        "llama.attention.head_count", 2L, "llama.attention.head_count_kv", 2L, "llama.attention.key_length", 128L,
        "llama.attention.value_length", 128L), p.overrides());
    // half and twice the layers: the same layer, repeated
    assertEquals(16 * 9 + 3, Skeleton.plan(info, 16).tensors().size());
    Skeleton.Plan twice = Skeleton.plan(info, 64);
    assertEquals(64 * 9 + 3, twice.tensors().size());
    assertEquals("[256, 256] Q4_0", shapes(twice, 63).get("attn_output.weight"));
  }

  @Test
  void gqaWithHeadNormsAndKQuantsKeepsWholeBlocks() throws Exception {
    // Qwen3-8B's shape: 36 layers, 4096 wide, 32 heads of 128 sharing 8 KV heads, per-head q/k norms, Q4_K with Q6_K
    GgufWriter w = header("qwen3", 4096, 32, 8, 128, 12288, 36);
    w.tensor("token_embd.weight", GgmlType.Q4_K, GgufWriter.Fill.RANDOM_BLOCKS, 0, 4096, 151936);
    w.tensor("output.weight", GgmlType.Q6_K, GgufWriter.Fill.RANDOM_BLOCKS, 0, 4096, 151936);
    for (int l = 0; l < 36; l++) {
      String b = "blk." + l + ".";
      w.tensor(b + "attn_q.weight", GgmlType.Q4_K, GgufWriter.Fill.RANDOM_BLOCKS, 0, 4096, 4096);
      w.tensor(b + "attn_k.weight", GgmlType.Q4_K, GgufWriter.Fill.RANDOM_BLOCKS, 0, 4096, 1024);
      w.tensor(b + "attn_v.weight", GgmlType.Q6_K, GgufWriter.Fill.RANDOM_BLOCKS, 0, 4096, 1024);
      w.tensor(b + "attn_output.weight", GgmlType.Q4_K, GgufWriter.Fill.RANDOM_BLOCKS, 0, 4096, 4096);
      w.tensor(b + "attn_q_norm.weight", GgmlType.F32, GgufWriter.Fill.ONES, 0, 128);
      w.tensor(b + "attn_k_norm.weight", GgmlType.F32, GgufWriter.Fill.ONES, 0, 128);
      w.tensor(b + "ffn_down.weight", GgmlType.Q6_K, GgufWriter.Fill.RANDOM_BLOCKS, 0, 12288, 4096);
    }
    Skeleton.Plan p = Skeleton.plan(read(w, "qwen3-8b"), 36);
    Map<String, String> s = shapes(p, 0);
    assertEquals("[256, 512] Q4_K", s.get("attn_q.weight"), "4 query heads of 128 sharing 1 KV head: the model's ratio");
    assertEquals("[256, 128] Q4_K", s.get("attn_k.weight"), "1 KV head of 128");
    assertEquals("[512, 256] Q4_K", s.get("attn_output.weight"));
    assertEquals("[128] F32", s.get("attn_q_norm.weight"), "per-head norms keep the head's width");
    assertEquals("[256, 256] Q6_K", s.get("ffn_down.weight"));
    assertEquals("[256, 151936] Q6_K", s.get("output.weight"));
  }

  @Test
  void anMoeWhoseHeadsAreWiderThanItsEmbeddingKeepsItsExperts() throws Exception {
    // Qwen3-30B-A3B's shape: 2048 wide, 32 heads of 128 (4096 > 2048), 4 KV heads, 128 experts of 768, 8 used
    GgufWriter w = header("qwen3moe", 2048, 32, 4, 128, 0, 48).u32("qwen3moe.expert_count", 128).u32("qwen3moe.expert_used_count", 8)
        .u32("qwen3moe.expert_feed_forward_length", 768);
    w.tensor("token_embd.weight", GgmlType.Q8_0, GgufWriter.Fill.RANDOM_BLOCKS, 0, 2048, 151936);
    for (int l = 0; l < 48; l++) {
      String b = "blk." + l + ".";
      w.tensor(b + "attn_q.weight", GgmlType.Q8_0, GgufWriter.Fill.RANDOM_BLOCKS, 0, 2048, 4096);
      w.tensor(b + "attn_k.weight", GgmlType.Q8_0, GgufWriter.Fill.RANDOM_BLOCKS, 0, 2048, 512);
      w.tensor(b + "attn_output.weight", GgmlType.Q8_0, GgufWriter.Fill.RANDOM_BLOCKS, 0, 4096, 2048);
      w.tensor(b + "ffn_gate_inp.weight", GgmlType.F32, GgufWriter.Fill.GAUSSIAN, 0, 2048, 128);
      w.tensor(b + "ffn_up_exps.weight", GgmlType.Q8_0, GgufWriter.Fill.RANDOM_BLOCKS, 0, 2048, 768, 128);
      w.tensor(b + "ffn_down_exps.weight", GgmlType.Q8_0, GgufWriter.Fill.RANDOM_BLOCKS, 0, 768, 2048, 128);
    }
    Skeleton.Plan p = Skeleton.plan(read(w, "qwen3-30b-a3b"), 48);
    Map<String, String> s = shapes(p, 47);
    assertEquals("[256, 1024] Q8_0", s.get("attn_q.weight"), "8 query heads of 128 per KV head, as in the model");
    assertEquals("[256, 128] Q8_0", s.get("attn_k.weight"));
    assertEquals("[1024, 256] Q8_0", s.get("attn_output.weight"));
    assertEquals("[256, 128] F32", s.get("ffn_gate_inp.weight"), "every expert stays");
    assertEquals("[256, 256, 128] Q8_0", s.get("ffn_up_exps.weight"));
    assertEquals("[256, 256, 128] Q8_0", s.get("ffn_down_exps.weight"));
    assertEquals(256L, p.overrides().get("qwen3moe.expert_feed_forward_length"));
  }

  @Test
  void slidingWindowModelsWithWideHeadsKeepTheirWindowAndAHeadWidthThatFillsBlocks() throws Exception {
    // Gemma-3-12B's shape: 3840 wide, 16 heads of 256, 8 KV heads, sliding-window attention (the window is a scalar key)
    GgufWriter w = header("gemma3", 3840, 16, 8, 256, 15360, 48).u32("gemma3.attention.sliding_window", 1024);
    w.tensor("token_embd.weight", GgmlType.Q4_K, GgufWriter.Fill.RANDOM_BLOCKS, 0, 3840, 262144);
    for (int l = 0; l < 48; l++) {
      String b = "blk." + l + ".";
      w.tensor(b + "attn_q.weight", GgmlType.Q4_K, GgufWriter.Fill.RANDOM_BLOCKS, 0, 3840, 4096);
      w.tensor(b + "attn_output.weight", GgmlType.Q4_K, GgufWriter.Fill.RANDOM_BLOCKS, 0, 4096, 3840);
      w.tensor(b + "ffn_up.weight", GgmlType.Q4_K, GgufWriter.Fill.RANDOM_BLOCKS, 0, 3840, 15360);
    }
    GgufInfo info = read(w, "gemma3-12b");
    Skeleton.Plan p = Skeleton.plan(info, 48);
    assertEquals(256, p.headDim(), "heads of 256 stay 256");
    assertEquals(2, p.heads());
    assertEquals(1, p.kvHeads());
    assertEquals("[512, 256] Q4_K", shapes(p, 0).get("attn_output.weight"));
    assertEquals(1024L, info.integer("gemma3.attention.sliding_window", 0), "the window is the model's, untouched");
  }

  @Test
  void aShapeThatCannotBeShrunkSaysWhy() throws Exception {
    GgufInfo info = read(new GgufWriter().string("general.architecture", "mystery").u32("mystery.block_count", 2), "mystery");
    Skeleton.Unsupported e = assertThrows(Skeleton.Unsupported.class, () -> Skeleton.plan(info, 2));
    assertEquals("the header has no mystery.embedding_length", e.getMessage());
  }
}
