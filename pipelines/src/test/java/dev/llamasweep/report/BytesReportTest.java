package dev.llamasweep.report;

import dev.llamasweep.results.CellStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llamasweep.TestSpecs;
import dev.llamasweep.execute.CellPlan;
import dev.llamasweep.host.Fact;
import dev.llamasweep.host.HostRecord;
import dev.llamasweep.llamacpp.BenchRecord;
import dev.llamasweep.gguf.GgmlType;
import dev.llamasweep.gguf.GgufInfo;
import dev.llamasweep.gguf.GgufWriter;
import dev.llamasweep.results.CellData;
import dev.llamasweep.results.ModelHeaders;
import dev.llamasweep.results.ResultFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reports with GGUF headers recorded: bytes read per token, walls, and no utilisation above 100%. */
class BytesReportTest {
  @TempDir Path dir;

  /** A header-only GGUF shaped like Qwen3-8B Q4_K_M: 36 layers, n_embd 4096, 32 heads, 8 KV heads of 128, vocabulary 151,936. */
  static Path qwen3Header(Path file) throws IOException {
    GgufWriter w = new GgufWriter().string("general.architecture", "qwen3").u32("qwen3.block_count", 36)
        .u32("qwen3.embedding_length", 4096).u32("qwen3.attention.head_count", 32).u32("qwen3.attention.head_count_kv", 8)
        .u32("qwen3.attention.key_length", 128).u32("qwen3.attention.value_length", 128);
    w.tensor("token_embd.weight", GgmlType.Q4_K, GgufWriter.Fill.RANDOM_BLOCKS, 0, 4096, 151936);
    w.tensor("output.weight", GgmlType.Q6_K, GgufWriter.Fill.RANDOM_BLOCKS, 0, 4096, 151936);
    w.tensor("output_norm.weight", GgmlType.F32, GgufWriter.Fill.ONES, 0, 4096);
    for (int l = 0; l < 36; l++) {
      String b = "blk." + l + ".";
      w.tensor(b + "attn_q.weight", GgmlType.Q4_K, GgufWriter.Fill.RANDOM_BLOCKS, 0, 4096, 4096);
      w.tensor(b + "attn_k.weight", GgmlType.Q4_K, GgufWriter.Fill.RANDOM_BLOCKS, 0, 4096, 1024);
      w.tensor(b + "attn_v.weight", GgmlType.Q6_K, GgufWriter.Fill.RANDOM_BLOCKS, 0, 4096, 1024);
      w.tensor(b + "attn_output.weight", GgmlType.Q4_K, GgufWriter.Fill.RANDOM_BLOCKS, 0, 4096, 4096);
      w.tensor(b + "ffn_gate.weight", GgmlType.Q4_K, GgufWriter.Fill.RANDOM_BLOCKS, 0, 4096, 12288);
      w.tensor(b + "ffn_up.weight", GgmlType.Q4_K, GgufWriter.Fill.RANDOM_BLOCKS, 0, 4096, 12288);
      w.tensor(b + "ffn_down.weight", GgmlType.Q6_K, GgufWriter.Fill.RANDOM_BLOCKS, 0, 12288, 4096);
      w.tensor(b + "attn_norm.weight", GgmlType.F32, GgufWriter.Fill.ONES, 0, 4096);
      w.tensor(b + "ffn_norm.weight", GgmlType.F32, GgufWriter.Fill.ONES, 0, 4096);
    }
    w.writeHeaderOnly(file);
    return file;
  }

  @Test
  void seedProfilesWithTheHeaderCountOneEmbeddingRowAndTheKvCache() throws IOException {
    Path spec = dir.resolve("seed.yaml");
    Files.writeString(spec, """
        name: seed
        host: {memory: {transfer_rate_mts: 5600, bus_width_bits: 128}}
        backends: {vulkan: {bin: /opt/vk, gpu_layers: 99}}
        models: {qwen3-8b: {path: /m/Qwen3-8B-Q4_K_M.gguf}}
        defaults: {repetitions: 3}
        experiments:
          - name: profiles
            grid: {model: [qwen3-8b], backend: [vulkan], profile: [power-saver, performance]}
        """);
    Path data = dir.resolve("data/seed");
    TestSpecs.Planned planned = TestSpecs.plan(spec, data);
    List<CellPlan> plans = planned.plans();
    CellPlan saver = plans.stream().filter(p -> "power-saver".equals(p.params().profile())).findFirst().orElseThrow();
    ResultFiles.write(data, List.of(dev.llamasweep.TestCells.data(saver, CellStatus.OK, null, 10, "power-saver",
        List.of(SeedReportTest.record(0, 128, 9.84, 9.87, 9.90)))));
    Path header = qwen3Header(dir.resolve("qwen3-8b-header.gguf"));
    GgufInfo g = GgufInfo.read(header);
    // token_embd Q4_K: 4096 × 151,936 = 622,329,856 values × 144/256 = 350,060,544 B; one row = 2,304 B
    assertEquals(350_060_544L, g.tensors().get(0).bytes());
    ModelHeaders.write(data.resolve("models.json"), Map.of("qwen3-8b", header), n -> g);
    dev.llamasweep.TestSpecs.report(planned.spec(), plans, data, dir.resolve("reports/seed"));
    String md = Files.readString(dir.resolve("reports/seed/report.md"));

    // the seed's own figures stay, labelled, in their column
    assertTrue(md.contains("5,025,111,736 B = 4.6800 GiB = 5.0251 GB × 9.87 t/s = 49.60 GB/s; 49.60 / 89.6 = 55.4%"), md);
    // bytes read: all tensors but the embedding table, plus one row, plus KV at L = 64.5:
    // 36 layers × 8 heads × (128 + 128) × 2 B = 147,456 B per position × 64.5 = 9,510,912 B
    long read = g.tensorBytes() - 350_060_544L + 2_304 + 9_510_912;
    assertTrue(md.contains(String.format(java.util.Locale.ROOT, "%.4f GB × 9.87 t/s = **%.2f GB/s**", read / 1e9, read * 9.87 / 1e9)), md);
    assertTrue(md.contains("L = 64.5 positions; 36 layers × 4.0 KiB per position (f16/f16)"), md);
    // (5,025,111,736 − 350,060,544 + 2,304) × 9.87 / 89.6 GB/s = 51.5%, from 55.4%
    assertTrue(md.contains("not counting it changes the file-size utilisation from 55.4% to 51.5% (-3.9 points)"), md);
    // summary.csv carries the same figures, each in its named column
    try (var r = Files.newBufferedReader(dir.resolve("reports/seed/summary.csv"))) {
      var rows = org.apache.commons.csv.CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(r).getRecords();
      assertTrue(rows.stream().anyMatch(x -> x.get("bytes_per_token").equals(String.valueOf(read)) && x.get("kv_bytes_per_token").equals("9510912")
          && x.get("theoretical_wall_gb_s").equals("89.6")), rows.toString());
    }
  }

  @Test
  void utilisationAboveTheWallIsExplainedNeverPrinted() throws IOException {
    Path spec = dir.resolve("tiny.yaml");
    Files.writeString(spec, """
        name: tiny
        host: {memory: {transfer_rate_mts: 1000, bus_width_bits: 64}}
        backends: {cpu: {bin: /opt/cpu, gpu_layers: 0}}
        models: {tiny: {path: /m/tiny.gguf}, big: {path: /m/big.gguf}}
        defaults: {repetitions: 3, prompt: 0}
        experiments:
          - name: x
            grid: {model: [tiny, big], backend: [cpu]}
        """);
    Path data = dir.resolve("data/tiny");
    TestSpecs.Planned planned = TestSpecs.plan(spec, data);
    List<CellPlan> plans = planned.plans();
    List<CellData> cd = new ArrayList<>();
    for (CellPlan p : plans) cd.add(dev.llamasweep.TestCells.data(p, CellStatus.OK, null, 1, null, List.of(rec("tiny".equals(p.params().model()) ? 4_000_000 : 400_000_000))));
    ResultFiles.write(data, cd);
    // the spec wall is 1000 MT/s × 64 bit / 8 = 8 GB/s. tiny reads 0.13 MB at 4,000,000 t/s (sits in the cache);
    // big reads 134 MB at 400,000,000 t/s: far beyond any wall, beyond the cache too
    Path tiny = layerModel(dir.resolve("tiny.gguf"), 256);
    Path big = layerModel(dir.resolve("big.gguf"), 8192);
    GgufInfo gt = GgufInfo.read(tiny);
    GgufInfo gb = GgufInfo.read(big);
    ModelHeaders.write(data.resolve("models.json"), Map.of("tiny", tiny, "big", big), n -> n.equals("tiny") ? gt : gb);
    new HostRecord(List.of(Fact.known("last_level_cache", "32 MiB (L3, per cpu0's share)", "sysfs", "level 3, Unified, 32768K")),
        null, "unknown", Map.of()).write(data.resolve("host.json"));
    dev.llamasweep.TestSpecs.report(planned.spec(), plans, data, dir.resolve("reports/tiny"));
    String md = Files.readString(dir.resolve("reports/tiny/report.md"));
    assertTrue(md.contains("fit in the 32 MiB last-level cache, so it is bounded by the cache, not by DRAM"), md);
    assertTrue(md.contains("the run beat it, so the spec's memory figures are wrong for this machine"), md);
    // no utilisation above 100% anywhere in the report or summary.csv
    assertFalse(java.util.regex.Pattern.compile("= (1\\d\\d|[2-9]\\d\\d|\\d{4,})\\.\\d%").matcher(md).find(), md);
    List<String> lines = Files.readAllLines(dir.resolve("reports/tiny/summary.csv"));
    List<String> header = List.of(lines.get(0).split(","));
    for (String line : lines.subList(1, 3)) {
      String[] f = line.split(",", -1);
      for (String column : List.of("utilisation_theoretical", "utilisation_measured")) {
        String ut = f[header.indexOf(column)];
        assertTrue(ut.isEmpty() || Double.parseDouble(ut) <= 1.0, column + ": " + line);
      }
    }
  }

  /** One llama layer of n_embd × n_embd F16 attention and a 64-token F16 embedding. */
  static Path layerModel(Path file, int embd) throws IOException {
    GgufWriter w = new GgufWriter().string("general.architecture", "llama").u32("llama.block_count", 1)
        .u32("llama.embedding_length", embd).u32("llama.attention.head_count", 1);
    w.tensor("token_embd.weight", GgmlType.F16, GgufWriter.Fill.GAUSSIAN, 0, embd, 64);
    w.tensor("output.weight", GgmlType.F16, GgufWriter.Fill.GAUSSIAN, 0, embd, 64);
    w.tensor("blk.0.attn_q.weight", GgmlType.F16, GgufWriter.Fill.GAUSSIAN, 0, embd, embd);
    w.writeHeaderOnly(file);
    return file;
  }

  static BenchRecord rec(double ts) {
    return new BenchRecord("x", 1, "CPU", "", "", "llama ?B F16", 1_000_000, 1, 2, 0, "", "mmap", 0, 16, 0, "",
        List.of(1L, 1L, 1L), List.of(ts * 0.99, ts, ts * 1.01));
  }
}
