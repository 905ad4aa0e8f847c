package dev.llamasweep.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bytes per generated token against tensor tables computed by hand (numbers in the comments). */
class BytesPerTokenTest {
  static final double F16 = 2.0;
  static final double Q8_0 = 34.0 / 32;

  /** 2 layers, n_embd 64, 4 heads of 16; attention Q8_0 64×64 = 4096/32×34 = 4352 B; ffn Q4_0 64×128 = 8192/32×18 = 4608 B. */
  static List<ModelShape.Tensor> layers(int n, boolean moe) {
    List<ModelShape.Tensor> t = new ArrayList<>();
    for (int l = 0; l < n; l++) {
      String b = "blk." + l + ".";
      for (String a : List.of("attn_q", "attn_k", "attn_v", "attn_output")) t.add(new ModelShape.Tensor(b + a + ".weight", 4352, 64));
      t.add(new ModelShape.Tensor(b + "attn_norm.weight", 256, 1));
      t.add(new ModelShape.Tensor(b + "ffn_norm.weight", 256, 1));
      if (moe) {
        // 8 experts of 64×128 Q4_0: 65536/32×18 = 36864 B per tensor; router F32 64×8 = 2048 B
        for (String a : List.of("ffn_gate_exps", "ffn_up_exps", "ffn_down_exps")) t.add(new ModelShape.Tensor(b + a + ".weight", 36864, 1024));
        t.add(new ModelShape.Tensor(b + "ffn_gate_inp.weight", 2048, 8));
      } else {
        for (String a : List.of("ffn_gate", "ffn_up", "ffn_down")) t.add(new ModelShape.Tensor(b + a + ".weight", 4608, 128));
      }
    }
    return t;
  }

  static List<ModelShape.Tensor> withEmbeddings(List<ModelShape.Tensor> t, boolean output) {
    List<ModelShape.Tensor> out = new ArrayList<>(t);
    out.add(new ModelShape.Tensor("token_embd.weight", 36000, 1000));   // Q4_0 64×1000: 64000/32×18; one row = 36 B
    out.add(new ModelShape.Tensor("output_norm.weight", 256, 1));
    if (output) out.add(new ModelShape.Tensor("output.weight", 36000, 1000));
    return out;
  }

  static ModelShape shape(List<ModelShape.Tensor> t, long kvHeads, long experts, long used, long window, List<Boolean> sliding) {
    return new ModelShape("llama", t, 2, List.of(kvHeads, kvHeads), 16, 16, experts, used, window, sliding, 0, 0, 0, null);
  }

  @Test
  void denseModelReadsEveryTensorButOneEmbeddingRow() {
    ModelShape m = shape(withEmbeddings(layers(2, false), true), 4, 0, 0, 0, List.of(false, false));
    assertEquals(135_744, m.tensorBytes());  // per layer 4×4352 + 2×256 + 3×4608 = 31,744; ×2 + 36,000 × 2 + 256
    BytesPerToken.Breakdown b = BytesPerToken.of(m, F16, F16, "f16/f16", 100);
    assertEquals(63_488 + 36_000 + 256 + 36, b.denseBytes());  // layers + output + output_norm + one embedding row
    assertEquals(36, b.embeddingRowBytes());
    // KV f16: 4 heads × (16 × 2 + 16 × 2) = 256 B per layer per position; 2 layers × 100 positions
    assertEquals(51_200, b.kvBytes(), 1e-9);
    assertEquals(99_780 + 51_200, b.total(), 1e-9);
  }

  @Test
  void tiedOutputReadsTheWholeEmbeddingTable() {
    ModelShape m = shape(withEmbeddings(layers(2, false), false), 4, 0, 0, 0, List.of(false, false));
    BytesPerToken.Breakdown b = BytesPerToken.of(m, F16, F16, "f16/f16", 0);
    assertTrue(b.tiedOutput());
    assertEquals(63_488 + 36_000 + 256, b.denseBytes());
  }

  @Test
  void groupedQueryAttentionReadsOneKvHeadPerGroup() {
    ModelShape m = shape(withEmbeddings(layers(2, false), true), 1, 0, 0, 0, List.of(false, false));
    // 1 KV head × (16 × 2 + 16 × 2) = 64 B per layer per position; × 2 layers × 1088.5 positions
    double l = BytesPerToken.meanContext(1024, 128);
    assertEquals(1088.5, l, 1e-12);
    assertEquals(64 * 2 * 1088.5, BytesPerToken.of(m, F16, F16, "f16/f16", l).kvBytes(), 1e-9);
  }

  @Test
  void quantizedKvCacheCountsItsBlocks() {
    ModelShape m = shape(withEmbeddings(layers(2, false), true), 4, 0, 0, 0, List.of(false, false));
    // q8_0: 34 bytes per 32 values; 4 heads × (16 + 16) values × 34/32 = 136 B per layer per position
    BytesPerToken.Breakdown b = BytesPerToken.of(m, Q8_0, Q8_0, "q8_0/q8_0", 100);
    assertEquals(136 * 2 * 100, b.kvBytes(), 1e-9);
    // mixed: f16 keys, q8_0 values: 4 × (16 × 2 + 16 × 1.0625) = 196 B
    assertEquals(196 * 2 * 100, BytesPerToken.of(m, F16, Q8_0, "f16/q8_0", 100).kvBytes(), 1e-9);
  }

  @Test
  void mixtureOfExpertsReadsOnlyTheUsedShareOfItsExperts() {
    ModelShape m = shape(withEmbeddings(layers(2, true), true), 4, 8, 2, 0, List.of(false, false));
    // routed experts: 3 × 36,864 × 2 layers = 221,184 B in the file; 2 of 8 used: 55,296 B per token
    BytesPerToken.Breakdown b = BytesPerToken.of(m, F16, F16, "f16/f16", 0);
    assertEquals(221_184, b.expertFileBytes());
    assertEquals(55_296, b.expertBytes(), 1e-9);
    // dense: per layer 4 × 4352 + 2 × 256 + router 2048 = 19,968; × 2 + output 36,000 + norm 256 + row 36
    assertEquals(39_936 + 36_000 + 256 + 36, b.denseBytes());
    assertEquals(76_228 + 55_296, b.total(), 1e-9);
    assertTrue(b.total() < m.tensorBytes() / 2.0, "a token reads well under the file");
  }

  @Test
  void sharedExpertsAreReadInFull() {
    List<ModelShape.Tensor> t = new ArrayList<>(withEmbeddings(layers(2, true), true));
    t.add(new ModelShape.Tensor("blk.0.ffn_up_shexp.weight", 4608, 128));
    ModelShape m = shape(t, 4, 8, 2, 0, List.of(false, false));
    assertEquals(76_228 + 4608, BytesPerToken.of(m, F16, F16, "f16/f16", 0).denseBytes());
  }

  @Test
  void slidingWindowLayersReadAtMostTheWindow() {
    // layer 0 slides with a window of 32, layer 1 is global; at L = 100: 256 × 32 + 256 × 100
    ModelShape m = shape(withEmbeddings(layers(2, false), true), 4, 0, 0, 32, List.of(true, false));
    BytesPerToken.Breakdown b = BytesPerToken.of(m, F16, F16, "f16/f16", 100);
    assertEquals(256 * 32 + 256 * 100, b.kvBytes(), 1e-9);
    assertEquals(1, b.slidingLayers());
  }

  @Test
  void layersWithoutAttentionAndSkippedLayersReadNoKv() {
    ModelShape m = new ModelShape("x", withEmbeddings(layers(2, false), true), 2, List.of(0L, 4L), 16, 16, 0, 0, 0,
        Collections.nCopies(2, false), 0, 0, 0, "the recurrent state");
    BytesPerToken.Breakdown b = BytesPerToken.of(m, F16, F16, "f16/f16", 100);
    assertEquals(256 * 100, b.kvBytes(), 1e-9);
    assertEquals("the recurrent state", b.notCovered());
    // a multi-token-prediction layer (the last one) runs no weights and no KV in generation
    ModelShape mtp = new ModelShape("glm4moe", withEmbeddings(layers(2, false), true), 2, List.of(4L, 4L), 16, 16, 0, 0, 0,
        Collections.nCopies(2, false), 0, 0, 1, null);
    BytesPerToken.Breakdown c = BytesPerToken.of(mtp, F16, F16, "f16/f16", 100);
    assertEquals(256 * 100, c.kvBytes(), 1e-9);
    assertEquals(31_744 + 36_000 + 256 + 36, c.denseBytes());
  }

  @Test
  void multiHeadLatentAttentionCachesTheCompressedWidth() {
    // DeepSeek-style: kv_lora_rank 512 + rope 64 values per layer and position, f16: 1152 B
    ModelShape m = new ModelShape("deepseek2", withEmbeddings(layers(2, false), true), 2, List.of(1L, 1L), 192, 128, 0, 0, 0,
        Collections.nCopies(2, false), 512, 64, 0, null);
    assertEquals(1152 * 2 * 10, BytesPerToken.of(m, F16, F16, "f16/f16", 10).kvBytes(), 1e-9);
  }

  @Test
  void arithmeticIsWrittenOut() {
    ModelShape m = shape(withEmbeddings(layers(2, true), true), 4, 8, 2, 0, List.of(false, false));
    BytesPerToken.Breakdown b = BytesPerToken.of(m, F16, F16, "f16/f16", 64.5);
    assertEquals("weights 0.08 MB + experts 0.22 MB × 2/8 = 0.06 MB + KV 0.03 MB = 0.16 MB", b.arithmetic());
    assertEquals("L = 64.5 positions; 2 layers × 0.3 KiB per position (f16/f16)", b.kvArithmetic());
  }
}
