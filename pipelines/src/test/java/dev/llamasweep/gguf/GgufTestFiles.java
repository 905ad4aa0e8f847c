package dev.llamasweep.gguf;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes minimal but well-formed GGUF files (header, vocabulary, padding as tensor data) for tests. */
public final class GgufTestFiles {
  private GgufTestFiles() {}

  public static Path write(Path file, List<String> tokens, int tensorDataBytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write("GGUF".getBytes(StandardCharsets.ISO_8859_1));
    u32(out, 3);
    u64(out, tensorDataBytes > 0 ? 1 : 0);  // tensors: one F32 tensor holding the data
    u64(out, 3);          // key-value pairs
    str(out, "general.architecture");
    u32(out, 8);
    str(out, "llama");
    str(out, "llama.context_length");
    u32(out, 4);
    u32(out, 128);
    str(out, "tokenizer.ggml.tokens");
    u32(out, 9);
    u32(out, 8);
    u64(out, tokens.size());
    for (String t : tokens) str(out, t);
    if (tensorDataBytes > 0) {
      str(out, "token_embd.weight");
      u32(out, 1);
      u64(out, tensorDataBytes / 4);
      u32(out, 0);  // F32
      u64(out, 0);
    }
    while (out.size() % 32 != 0) out.write(0);
    out.write(new byte[tensorDataBytes]);
    Files.write(file, out.toByteArray());
    return file;
  }

  /**
   * LLaMA-2-7B's tensor table, all Q4_0 with F32 norms (32 layers, n_embd 4096, n_ff 11008): the shape
   * of the 7B model on the H100 fixture, whose llama-bench model_size it matches to the byte at vocab 32,000.
   */
  public static GgufWriter llama7bTensors(GgufWriter w, long vocab) {
    w.tensor("token_embd.weight", GgmlType.Q4_0, GgufWriter.Fill.Q4_0_RANDOM, 0, 4096, vocab);
    w.tensor("output.weight", GgmlType.Q4_0, GgufWriter.Fill.Q4_0_RANDOM, 0, 4096, vocab);
    for (int l = 0; l < 32; l++) {
      for (String t : new String[] {"attn_q", "attn_k", "attn_v", "attn_output"}) {
        w.tensor("blk." + l + "." + t + ".weight", GgmlType.Q4_0, GgufWriter.Fill.Q4_0_RANDOM, 0, 4096, 4096);
      }
      w.tensor("blk." + l + ".ffn_gate.weight", GgmlType.Q4_0, GgufWriter.Fill.Q4_0_RANDOM, 0, 4096, 11008);
      w.tensor("blk." + l + ".ffn_up.weight", GgmlType.Q4_0, GgufWriter.Fill.Q4_0_RANDOM, 0, 4096, 11008);
      w.tensor("blk." + l + ".ffn_down.weight", GgmlType.Q4_0, GgufWriter.Fill.Q4_0_RANDOM, 0, 11008, 4096);
      w.tensor("blk." + l + ".attn_norm.weight", GgmlType.F32, GgufWriter.Fill.ONES, 0, 4096);
      w.tensor("blk." + l + ".ffn_norm.weight", GgmlType.F32, GgufWriter.Fill.ONES, 0, 4096);
    }
    return w.tensor("output_norm.weight", GgmlType.F32, GgufWriter.Fill.ONES, 0, 4096);
  }

  private static void u32(ByteArrayOutputStream o, long v) {
    o.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) v).array());
  }

  private static void u64(ByteArrayOutputStream o, long v) {
    o.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
  }

  private static void str(ByteArrayOutputStream o, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    u64(o, b.length);
    o.writeBytes(b);
  }
}
