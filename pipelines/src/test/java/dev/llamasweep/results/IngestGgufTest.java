package dev.llamasweep.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llamasweep.cli.Main;
import dev.llamasweep.gguf.GgufWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ingest --gguf: results from elsewhere get the same bytes model as our own runs. */
class IngestGgufTest {
  @TempDir Path dir;

  /** LLaMA-2-7B's shape (32 layers, n_embd 4096, 32 heads without GQA, n_ff 11008, 32,000 tokens), all Q4_0, header only. */
  static Path llama7bHeader(Path file) throws IOException {
    GgufWriter w = new GgufWriter().string("general.architecture", "llama").u32("llama.block_count", 32)
        .u32("llama.embedding_length", 4096).u32("llama.attention.head_count", 32).u32("llama.attention.head_count_kv", 32);
    dev.llamasweep.gguf.GgufTestFiles.llama7bTensors(w, 32000);
    w.writeHeaderOnly(file);
    return file;
  }

  @Test
  void anH100RunWithAHeaderOnlyGgufGetsBytesReadAgainstTheWall() throws IOException {
    Path jsonl = dir.resolve("h100.jsonl");
    try (var in = getClass().getResourceAsStream("/h100/llama-bench-tg512-during-power-trace.jsonl")) {
      Files.write(jsonl, in.readAllBytes());
    }
    Path header = llama7bHeader(dir.resolve("mha7b.gguf"));
    // the header's tensor bytes equal what llama-bench reported as model_size on the H100, to the byte
    assertEquals(3_791_273_984L, dev.llamasweep.gguf.GgufInfo.read(header).tensorBytes());
    // 2619 MHz × 2 = 5238 MT/s × 5120 bit / 8 = 3352.3 GB/s
    assertEquals(0, Main.execute("ingest", jsonl.toString(), "--name", "h100", "--memory", "5238:5120", "--gguf", header.toString(),
        "--data-root", dir.resolve("data").toString(), "--reports-root", dir.resolve("reports").toString()));
    String md = Files.readString(dir.resolve("reports/h100/report.md"));
    // weights: 32 × (4 × 4096² + 3 × 4096 × 11008) × 18/32 = 3,642,753,024 B, + norms 32 × 2 × 16,384 + 16,384 = 1,064,960,
    // + output 73,728,000 + one embedding row 2,304;
    // KV at L = 0 + (512 + 1) / 2 = 256.5: 32 layers × 32 heads × 256 values × 2 B = 524,288 B per position → 134,479,872 B
    long read = 3_642_753_024L + 1_064_960L + 73_728_000L + 2_304L + 134_479_872L;
    assertTrue(md.contains("L = 256.5 positions; 32 layers × 16.0 KiB per position (f16/f16)"), md);
    double tps = (335.581 + 337.958 + 338.692) / 3;
    double eff = read * tps / 1e9;
    assertTrue(md.contains(String.format(java.util.Locale.ROOT, "%.4f GB × %.2f t/s = **%.2f GB/s**", read / 1e9, tps, eff)), md);
    assertTrue(md.contains(String.format(java.util.Locale.ROOT, "%.2f / 3352.32 = %.1f%%", eff, eff / 3352.32 * 100)), md);

    // a name that matches no record: one sentence, nothing written
    Path other = llama7bHeader(dir.resolve("other.gguf"));
    assertEquals(2, Main.execute("ingest", jsonl.toString(), "--name", "h100b", "--gguf", other.toString(),
        "--data-root", dir.resolve("data").toString(), "--reports-root", dir.resolve("reports").toString()));
    assertFalse(Files.exists(dir.resolve("data/h100b")));
  }

  @Test
  void anMoeRecordWithoutAHeaderNeverGetsTheFileSizeUtilisation() throws IOException {
    Path jsonl = dir.resolve("moe.jsonl");
    Files.writeString(jsonl, "{\"build_commit\":\"80fb11a\",\"build_number\":1,\"backends\":\"CUDA\",\"model_filename\":\"m/q3moe.gguf\","
        + "\"model_type\":\"qwen3moe 30B.A3B Q4_K - Medium\",\"model_size\":17280000000,\"model_n_params\":30500000000,\"n_threads\":8,"
        + "\"n_gpu_layers\":99,\"n_prompt\":0,\"n_gen\":128,\"n_depth\":0,\"samples_ns\":[1,1,1],\"samples_ts\":[350.0,352.7,355.1]}\n");
    assertEquals(0, Main.execute("ingest", jsonl.toString(), "--name", "moe", "--memory", "5238:5120",
        "--data-root", dir.resolve("data").toString(), "--reports-root", dir.resolve("reports").toString()));
    String md = Files.readString(dir.resolve("reports/moe/report.md"));
    assertTrue(md.contains("bytes per token unknown: no GGUF header for q3moe"), md);
    assertTrue(md.contains("no utilisation: bytes per token unknown: no GGUF header for q3moe; an MoE reads only its used experts"), md);
    assertFalse(md.contains("/ 3352.32 = 18"), md);  // 17.28 GB × 352.6 t/s = 6,093 GB/s would read as 182%
  }
}
