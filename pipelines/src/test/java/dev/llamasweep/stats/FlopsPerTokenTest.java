package dev.llamasweep.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** FLOPs per token against tensor tables computed by hand (numbers in the comments). */
class FlopsPerTokenTest {
  /** n_embd 64, 4 query heads of 16, 2 KV heads of 16: q 64×64, k and v 64×32, output 64×64; ffn 64×128 ×3. */
  static List<ModelShape.Tensor> layer(int l, boolean moe) {
    String b = "blk." + l + ".";
    List<ModelShape.Tensor> t = new ArrayList<>();
    t.add(new ModelShape.Tensor(b + "attn_q.weight", 0, 64, 64, 2, "q8_0"));
    t.add(new ModelShape.Tensor(b + "attn_k.weight", 0, 32, 64, 2, "q8_0"));
    t.add(new ModelShape.Tensor(b + "attn_v.weight", 0, 32, 64, 2, "q8_0"));
    t.add(new ModelShape.Tensor(b + "attn_output.weight", 0, 64, 64, 2, "q8_0"));
    t.add(new ModelShape.Tensor(b + "attn_norm.weight", 0, 1, 64, 1, "f32"));
    if (moe) {
      // 8 experts of 64×128, 2 used: 3 × 65536 × 2/8 weights multiplied; the router 64×8
      for (String a : List.of("ffn_gate_exps", "ffn_up_exps", "ffn_down_exps")) t.add(new ModelShape.Tensor(b + a + ".weight", 0, 1024, 64, 3, "q4_0"));
      t.add(new ModelShape.Tensor(b + "ffn_gate_inp.weight", 0, 8, 64, 2, "f32"));
    } else {
      for (String a : List.of("ffn_gate", "ffn_up", "ffn_down")) t.add(new ModelShape.Tensor(b + a + ".weight", 0, 128, 64, 2, "q4_0"));
    }
    return t;
  }

  static ModelShape shape(boolean moe, boolean output, long window, List<Boolean> sliding) {
    List<ModelShape.Tensor> t = new ArrayList<>(layer(0, moe));
    t.addAll(layer(1, moe));
    t.add(new ModelShape.Tensor("token_embd.weight", 0, 1000, 64, 2, "q4_0"));
    if (output) t.add(new ModelShape.Tensor("output.weight", 0, 1000, 64, 2, "q6_K"));
    return new ModelShape("llama", t, 2, List.of(2L, 2L), 16, 16, moe ? 8 : 0, moe ? 2 : 0, window, sliding, 0, 0, 0, null);
  }

  @Test
  void denseModelMultipliesEveryMatrixOnceAndAttendsToItsContext() {
    FlopsPerToken.Breakdown f = FlopsPerToken.of(shape(false, true, 0, List.of(false, false)), 100);
    // per layer: q 4096 + k 2048 + v 2048 + o 4096 + ffn 3 × 8192 = 36864 weights; ×2 layers + output 64000 = 137728; × 2 FLOPs
    assertEquals(2.0 * 137_728, f.matmul(), 1e-9);
    // attention per layer: scores 2 × 64 × 100 + weighted sum 2 × 4 heads × 16 × 100 = 25600; × 2 layers
    assertEquals(51_200, f.attention(), 1e-9);
    assertEquals(2.0 * 137_728 + 51_200, f.total(), 1e-9);
  }

  @Test
  void tiedOutputMultipliesByTheEmbeddingTableAndExpertsCountAtUsedOverCount() {
    FlopsPerToken.Breakdown f = FlopsPerToken.of(shape(true, false, 0, List.of(false, false)), 1);
    // per layer: attention 12288 + experts 3 × 65536 × 2/8 = 49152 + router 512 = 61952; ×2 + tied output 64000 = 187904
    assertEquals(2.0 * 187_904, f.matmul(), 1e-9);
  }

  @Test
  void slidingLayersAttendToTheirWindowOnly() {
    FlopsPerToken.Breakdown f = FlopsPerToken.of(shape(false, true, 10, List.of(true, false)), 100);
    assertEquals(256.0 * 10 + 256.0 * 100, f.attention(), 1e-9);
  }

  @Test
  void aHeaderWithoutWidthsOrWithLatentAttentionHasNoFigure() {
    List<ModelShape.Tensor> t = List.of(new ModelShape.Tensor("blk.0.attn_q.weight", 10, 64));
    assertNull(FlopsPerToken.of(new ModelShape("llama", t, 1, List.of(1L), 16, 16, 0, 0, 0, List.of(false), 0, 0, 0, null), 1));
    assertNull(FlopsPerToken.of(new ModelShape("deepseek2", layer(0, false), 1, List.of(1L), 16, 16, 0, 0, 0, List.of(false), 512, 64, 0, null), 1));
  }

  @Test
  void theMainWeightTypeIsWhereMostMatrixBytesAre() {
    List<ModelShape.Tensor> t = List.of(new ModelShape.Tensor("blk.0.attn_q.weight", 100, 64, 64, 2, "q8_0"),
        new ModelShape.Tensor("blk.0.ffn_up.weight", 300, 64, 64, 2, "q4_K"), new ModelShape.Tensor("token_embd.weight", 1000, 64, 64, 2, "q6_K"),
        new ModelShape.Tensor("blk.0.attn_norm.weight", 5000, 1, 64, 1, "f32"));
    assertEquals("q4_K", new ModelShape("llama", t, 1, List.of(1L), 16, 16, 0, 0, 0, List.of(false), 0, 0, 0, null).mainWeightType());
  }
}
