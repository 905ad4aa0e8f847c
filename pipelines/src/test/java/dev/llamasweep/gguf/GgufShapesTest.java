package dev.llamasweep.gguf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llamasweep.stats.BytesPerToken;
import dev.llamasweep.stats.ModelShape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The GGUF reader and writer agree on every tensor's bytes, and headers become the right shapes. */
class GgufShapesTest {
  @TempDir Path dir;

  @Test
  void typeTableMatchesGgmlBlockSizes() {
    assertEquals(18, GgmlType.Q4_0.bytes(32));
    assertEquals(144, GgmlType.Q4_K.bytes(256));
    assertEquals(210, GgmlType.Q6_K.bytes(256));
    assertEquals(17, GgmlType.MXFP4.bytes(32));
    assertEquals(66, GgmlType.IQ2_XXS.bytes(256));
    assertEquals(136, GgmlType.IQ4_XS.bytes(256));
    assertEquals(GgmlType.Q8_0, GgmlType.byName("q8_0"));
    assertEquals("q4_K", GgmlType.Q4_K.ggmlName());
    assertNull(GgmlType.byId(4), "Q4_2 was removed from ggml");
  }

  @Test
  void writtenTensorsAreReadBackWithTheirBytes() throws IOException {
    GgufWriter w = new GgufWriter().string("general.architecture", "llama").u32("llama.block_count", 1)
        .u32("llama.embedding_length", 256).u32("llama.attention.head_count", 8).u32("llama.attention.head_count_kv", 2);
    w.tensor("token_embd.weight", GgmlType.Q4_0, GgufWriter.Fill.Q4_0_RANDOM, 1, 256, 100);
    w.tensor("blk.0.attn_norm.weight", GgmlType.F32, GgufWriter.Fill.ONES, 0, 256);
    w.tensor("blk.0.attn_q.weight", GgmlType.Q4_K, GgufWriter.Fill.RANDOM_BLOCKS, 2, 256, 256);
    w.tensor("blk.0.ffn_gate_exps.weight", GgmlType.MXFP4, GgufWriter.Fill.RANDOM_BLOCKS, 3, 256, 64, 4);
    w.tensor("blk.0.attn_k.weight", GgmlType.F16, GgufWriter.Fill.GAUSSIAN, 4, 256, 64);
    Path f = dir.resolve("m.gguf");
    long written = w.write(f);
    // 256×100 Q4_0 = 14,400; 256 F32 = 1,024; 256×256 Q4_K = 36,864; 256×64×4 MXFP4 = 34,816; 256×64 F16 = 32,768
    assertEquals(14_400 + 1_024 + 36_864 + 34_816 + 32_768, written);
    GgufInfo g = GgufInfo.read(f);
    assertEquals(written, g.tensorBytes());
    assertEquals(5, g.tensors().size());
    assertEquals(100, g.tensors().get(0).rows());
    assertEquals(GgmlType.MXFP4, g.tensors().get(3).type());
    assertEquals(3, g.tensors().get(3).ne().length);
    // the data region starts aligned, and every tensor's data follows at aligned offsets
    assertEquals(0, g.dataOffset() % 32);
    assertEquals(g.dataOffset() + 14_400 + 1_024 + 36_864 + 34_816 + 32_768, Files.size(f));

    // a header-only copy (cut after the tensor-info table) reads the same
    Path header = dir.resolve("header.gguf");
    Files.write(header, java.util.Arrays.copyOf(Files.readAllBytes(f), (int) g.dataOffset()));
    GgufInfo h = GgufInfo.read(header);
    assertEquals(g.tensorBytes(), h.tensorBytes());
    assertEquals(2L, h.metadata().get("llama.attention.head_count_kv"));

    ModelShape s = GgufShapes.of(h);
    assertEquals(List.of(2L), s.kvHeads());
    assertEquals(32, s.keyLength());
    // cut inside the tensor table: one sentence naming the file
    Path cut = dir.resolve("cut.gguf");
    Files.write(cut, java.util.Arrays.copyOf(Files.readAllBytes(f), (int) g.dataOffset() - 40));
    GgufInfo.NotGguf e = assertThrows(GgufInfo.NotGguf.class, () -> GgufInfo.read(cut));
    assertTrue(e.getMessage().contains("cut.gguf ends inside its GGUF header"), e.getMessage());
  }

  @Test
  void gemma3SlidesFiveLayersOfEverySix() throws IOException {
    GgufWriter w = new GgufWriter().string("general.architecture", "gemma3").u32("gemma3.block_count", 12)
        .u32("gemma3.embedding_length", 256).u32("gemma3.attention.head_count", 4).u32("gemma3.attention.head_count_kv", 1)
        .u32("gemma3.attention.key_length", 128).u32("gemma3.attention.value_length", 128).u32("gemma3.attention.sliding_window", 512);
    w.tensor("token_embd.weight", GgmlType.F16, GgufWriter.Fill.GAUSSIAN, 1, 256, 10);
    Path f = dir.resolve("g.gguf");
    w.write(f);
    ModelShape s = GgufShapes.of(GgufInfo.read(f));
    List<Boolean> expected = new ArrayList<>();
    for (int i = 0; i < 12; i++) expected.add(i % 6 != 5);  // layers 5 and 11 are global
    assertEquals(expected, s.slidingLayers());
    assertEquals(512, s.slidingWindow());
    // at L = 4096, 10 sliding layers read 512 positions and 2 global ones 4096: 1 head × 256 values × 2 B
    BytesPerToken.Breakdown b = BytesPerToken.of(s, 2, 2, "f16/f16", 4096);
    assertEquals(512.0 * (10 * 512 + 2 * 4096), b.kvBytes(), 1e-9);
    assertTrue(b.tiedOutput(), "gemma ties its output to the embedding table");
  }

  @Test
  void gemma3WithoutAWindowKeyDoesNotSlide() throws IOException {
    GgufWriter w = new GgufWriter().string("general.architecture", "gemma3").u32("gemma3.block_count", 2)
        .u32("gemma3.embedding_length", 64).u32("gemma3.attention.head_count", 4);
    Path f = dir.resolve("g2.gguf");
    w.write(f);
    ModelShape s = GgufShapes.of(GgufInfo.read(f));
    assertEquals(Collections.nCopies(2, false), s.slidingLayers());
    assertEquals(List.of(4L, 4L), s.kvHeads(), "no head_count_kv: one KV head per head");
  }

  @Test
  void recurrentArchitecturesSayWhatIsNotCounted() throws IOException {
    GgufWriter w = new GgufWriter().string("general.architecture", "mamba").u32("mamba.block_count", 2)
        .u32("mamba.embedding_length", 64).u32("mamba.ssm.state_size", 16);
    Path f = dir.resolve("mamba.gguf");
    w.write(f);
    assertTrue(GgufShapes.of(GgufInfo.read(f)).notCovered().contains("recurrent state of mamba"));
  }
}
