package dev.llamasweep.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** llama.cpp's layer assignment (src/llama-model.cpp, load_tensors), worked by hand. */
class LayerSplitTest {
  /** n layers of 1,000 bytes each (two tensors), a 50-row embedding table of 5,000 bytes, an output of 3,000 and its norm of 10. */
  static ModelShape model(int n, boolean tied) {
    List<ModelShape.Tensor> t = new ArrayList<>();
    t.add(new ModelShape.Tensor("token_embd.weight", 5_000, 50));
    for (int i = 0; i < n; i++) {
      t.add(new ModelShape.Tensor("blk." + i + ".attn_q.weight", 400, 10));
      t.add(new ModelShape.Tensor("blk." + i + ".ffn_up.weight", 600, 10));
    }
    if (!tied) t.add(new ModelShape.Tensor("output.weight", 3_000, 50));
    t.add(new ModelShape.Tensor("output_norm.weight", 10, 1));
    return new ModelShape("llama", t, n, IntStream.range(0, n).mapToObj(i -> 1L).toList(), 16, 16, 0, 0, 0, List.of(), 0, 0, 0, null);
  }

  static List<Integer> range(int from, int to) {
    return IntStream.rangeClosed(from, to).boxed().toList();
  }

  @Test
  void anEvenSplitOf16LayersPutsNineOnTheFirstDeviceAndTheRestWithTheOutputOnTheSecond() {
    // 17 layers offloaded (16 + output): il / 17 < 0.5 for il ≤ 8 (8/17 = 0.47), so 0–8 on RPC0, 9–16 (16 = output) on RPC1
    LayerSplit s = LayerSplit.of(model(16, false), List.of("RPC0", "RPC1"), List.of(24e9, 24e9), 99);
    assertEquals(range(0, 8), s.devices().get(0).layers());
    assertEquals(range(9, 16), s.devices().get(1).layers());
    assertEquals(9 * 1000, s.devices().get(0).bytesPerToken(), 1e-9);
    assertEquals(7 * 1000 + 3000 + 10, s.devices().get(1).bytesPerToken(), 1e-9);
    assertEquals(100, s.cpu().bytesPerToken(), 1e-9, "one row of the embedding table: 5,000 / 50");
    assertEquals("RPC1", s.busiest().name());
    assertEquals("0–8", s.devices().get(0).layerRange(16));
    assertEquals("9–15 + output", s.devices().get(1).layerRange(16));
  }

  @Test
  void aTensorSplitOfThreeToOneMovesTheBoundaryToLayerThirteen() {
    // split points 0.75, 1: il / 17 < 0.75 for il ≤ 12 (12/17 = 0.706, 13/17 = 0.765)
    LayerSplit s = LayerSplit.of(model(16, false), List.of("CUDA0", "CUDA1"), List.of(3.0, 1.0), 99);
    assertEquals(range(0, 12), s.devices().get(0).layers());
    assertEquals(range(13, 16), s.devices().get(1).layers());
  }

  @Test
  void fewerGpuLayersKeepTheFirstLayersOnTheCpu() {
    // ngl 8 of 16: i_gpu_start = 17 − 8 = 9, act = 8: layers 9–16 offloaded, (il − 9) / 8 < 0.5 for il ≤ 12
    LayerSplit s = LayerSplit.of(model(16, false), List.of("A", "B"), List.of(1.0, 1.0), 8);
    assertEquals(range(0, 8), s.cpu().layers());
    assertEquals(range(9, 12), s.devices().get(0).layers());
    assertEquals(range(13, 16), s.devices().get(1).layers());
    assertEquals(9 * 1000 + 100, s.cpu().bytesPerToken(), 1e-9);
    assertEquals("0–8", s.cpu().layerRange(16));
  }

  @Test
  void aTiedOutputReadsTheWholeEmbeddingTableOnTheOutputLayersDevice() {
    LayerSplit s = LayerSplit.of(model(4, true), List.of("A"), List.of(1.0), 99);
    assertEquals(range(0, 4), s.devices().get(0).layers());
    assertEquals(4 * 1000 + 5000 + 10, s.devices().get(0).bytesPerToken(), 1e-9);
    assertEquals(100, s.cpu().bytesPerToken(), 1e-9);
  }

  @Test
  void aDeviceWithNoShareGetsNoLayer() {
    LayerSplit s = LayerSplit.of(model(16, false), List.of("A", "B"), List.of(1.0, 0.0), 99);
    assertEquals(range(0, 16), s.devices().get(0).layers());
    assertEquals(List.of(), s.devices().get(1).layers());
    assertEquals("none", s.devices().get(1).layerRange(16));
  }
}
