package dev.llamasweep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llamasweep.io.Processes;
import dev.llamasweep.gguf.GgufInfo;
import dev.llamasweep.models.ShapeModels;
import dev.llamasweep.build.Toolchain;
import dev.llamasweep.catalogue.CatalogueModel;
import dev.llamasweep.catalogue.Catalogue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The catalogue against the real llama.cpp: every shape's header, typed by the pinned llama-quantize, holds
 * the tensor bytes of the real file (the seed's three within 1% of their published sizes), and every
 * architecture loads and generates in llama-bench.
 */
class CatalogueIT {
  @TempDir Path work;

  /** The seed's published sizes: llama-bench's "4.68 GiB" and "11.27 GiB", and the 0.6B's file of 610 MB (MiB, as ls -h shows it). */
  static final Map<String, double[]> SEED = Map.of(
      "qwen3-8b", new double[] {4.68 * (1L << 30)},
      "gpt-oss-20b", new double[] {11.27 * (1L << 30)},
      "qwen3-0.6b", new double[] {610 * (1L << 20)});

  /** The quantisation each shape is checked in: the seed's for its three, Q4_K_M for the rest. */
  static String quantOf(String id) {
    return switch (id) {
      case "gpt-oss-20b" -> "MXFP4_MOE";
      case "qwen3-0.6b" -> "Q8_0";
      default -> "Q4_K_M";
    };
  }

  @Test
  void headersHoldTheRealFilesTensorBytes() throws Exception {
    Toolchain tc = LlamaCpp.toolchain();
    Path quantize = tc.binDir("cpu").resolve("llama-quantize");
    List<String> table = new ArrayList<>();
    for (CatalogueModel s : Catalogue.ALL) {
      Path header = work.resolve(s.id() + ".gguf");
      long bytes = ShapeModels.writeHeader(s, quantOf(s.id()), quantize, header);
      GgufInfo info = GgufInfo.read(header);
      assertEquals(s.tensors().size(), info.tensors().size(), s.id());
      assertEquals(bytes, info.tensorBytes(), "the header's tensor table says what was written: " + s.id());
      assertTrue(Files.size(header) < 1 << 20, "a header, not weights: " + Files.size(header));
      table.add(String.format(java.util.Locale.ROOT, "%-18s %-9s %8.2f GiB", s.id(), quantOf(s.id()), bytes / (double) (1L << 30)));
      double[] published = SEED.get(s.id());
      if (published != null) {
        double off = bytes / published[0] - 1;
        assertTrue(Math.abs(off) < 0.01, String.format("%s: %d bytes, %.2f%% from the published %.0f", s.id(), bytes, off * 100, published[0]));
      }
    }
    System.err.println("catalogue tensor bytes (llama-quantize --dry-run's types):\n" + String.join("\n", table));
  }

  /** The fixed cost per token is measured on a shape's skeleton: every architecture's skeleton, made from its header, loads and runs. */
  @Test
  void everyShapesSkeletonRunsOrSaysWhyNot() throws Exception {
    Toolchain tc = LlamaCpp.toolchain();
    Path bin = tc.binDir("cpu");
    dev.llamasweep.models.SyntheticModels models = new dev.llamasweep.models.SyntheticModels(tc, System.err,
        dev.llamasweep.models.SyntheticModels.Shape.DEFAULT);
    List<String> ran = new ArrayList<>();
    for (CatalogueModel s : Catalogue.ALL) {
      Path header = work.resolve(s.id() + ".header.gguf");
      ShapeModels.writeHeader(s, quantOf(s.id()), bin.resolve("llama-quantize"), header);
      Path skeleton;
      try {
        skeleton = models.skeleton(header, ((Number) s.keys().get("block_count")).intValue());
      } catch (dev.llamasweep.models.Skeleton.Unsupported e) {
        assertEquals("deepseek2", s.arch(), "only latent attention has no skeleton here: " + e.getMessage());
        continue;
      }
      Processes.check(List.of(bin.resolve("llama-bench").toString(), "-m", skeleton.toString(), "-p", "0", "-n", "4", "-r", "1", "-t", "2",
          "-o", "jsonl"), work, "llama-bench on the skeleton of " + s.id());
      ran.add(s.id());
    }
    assertEquals(Catalogue.ALL.size() - 1, ran.size(), ran.toString());
  }

  @Test
  void everyArchitectureLoadsAndGeneratesInLlamaBench() throws Exception {
    Toolchain tc = LlamaCpp.toolchain();
    Path bin = tc.binDir("cpu");
    ObjectMapper json = new ObjectMapper();
    for (CatalogueModel full : Catalogue.ALL) {
      CatalogueModel s = reduced(full, 2, 4096, 4);
      Path file = work.resolve(s.id() + ".gguf");
      ShapeModels.write(s, quantOf(full.id()), bin.resolve("llama-quantize"), null, file, System.err);
      String out = Processes.check(List.of(bin.resolve("llama-bench").toString(), "-m", file.toString(), "-p", "8", "-n", "4", "-r", "1",
          "-t", "2", "-o", "jsonl"), work, "llama-bench on the " + s.id() + " shape");
      JsonNode rec = null;
      for (String line : out.split("\n")) if (line.startsWith("{")) rec = json.readTree(line);
      assertTrue(rec != null, s.id() + ": no record in\n" + out);
      assertEquals(s.params(), rec.get("model_n_params").asLong(), s.id() + ": llama.cpp counts the shape's parameters");
      assertEquals(GgufInfo.read(file).tensorBytes(), rec.get("model_size").asLong(), s.id() + ": llama.cpp's model size is the tensor bytes");
      assertTrue(rec.get("avg_ts").asDouble() > 0, s.id());
      Files.delete(file);
    }
    // the catalogue's small shape whole, as a sweep makes it (cached for the sweeps that use it)
    Path q06 = new dev.llamasweep.models.SyntheticModels(tc, System.err, dev.llamasweep.models.SyntheticModels.Shape.DEFAULT).ensure("qwen3-0.6b", "Q8_0");
    String out = Processes.check(List.of(bin.resolve("llama-bench").toString(), "-m", q06.toString(), "-p", "0", "-n", "4", "-r", "1", "-t", "2",
        "-o", "jsonl"), work, "llama-bench on the whole Qwen3-0.6B shape");
    JsonNode rec = json.readTree(out.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElseThrow());
    assertEquals(Catalogue.of("qwen3-0.6b").params(), rec.get("model_n_params").asLong());
    assertTrue(rec.get("model_type").asText().startsWith("qwen3 0.6B Q8_0"), rec.get("model_type").asText());
    // with Qwen's tokenizer (llama.cpp's models/ggml-vocab-qwen2.gguf, 151,936 tokens) the file is the real one's size
    double off = Files.size(q06) / SEED.get("qwen3-0.6b")[0] - 1;
    assertTrue(Math.abs(off) < 0.01, String.format("%d bytes: %.2f%% from the seed's 610 MB", Files.size(q06), off * 100));
  }

  private static final Pattern BLOCK = Pattern.compile("^blk\\.(\\d+)\\.");

  /**
   * The same architecture, keys and widths with fewer layers, a smaller vocabulary and fewer experts: what
   * llama.cpp's loader checks (names, dimensions, types, keys) without gigabytes to write on two cores.
   */
  static CatalogueModel reduced(CatalogueModel s, int layers, int vocab, int experts) {
    long v = ((Number) s.keys().get("vocab_size")).longValue();
    long x = ((Number) s.keys().getOrDefault("expert_count", 0)).longValue();
    List<CatalogueModel.Tensor> tensors = new ArrayList<>();
    for (CatalogueModel.Tensor t : s.tensors()) {
      Matcher m = BLOCK.matcher(t.name());
      if (m.find() && Integer.parseInt(m.group(1)) >= layers) continue;
      long[] ne = t.ne().clone();
      if (t.name().startsWith("token_embd.") || t.name().startsWith("output.")) ne[1] = ne[1] == v ? vocab : ne[1];
      if (x > 0 && (t.name().contains("_exps.") || t.name().contains("ffn_gate_inp."))) {
        if (ne[ne.length - 1] == x) ne[ne.length - 1] = experts;
      }
      tensors.add(new CatalogueModel.Tensor(t.name(), ne, t.weight()));
    }
    Map<String, Object> keys = new LinkedHashMap<>(s.keys());
    keys.put("block_count", layers);
    keys.put("vocab_size", vocab);
    // llama.cpp knows DeepSeek-V2-Lite (q projected directly, no q_lora_rank key) by its 27 layers; a cut says so itself
    if (s.arch().equals("deepseek2") && !keys.containsKey("attention.q_lora_rank")) keys.put("attention.q_lora_rank", 0);
    if (x > 0) {
      keys.put("expert_count", experts);
      keys.put("expert_used_count", Math.min(experts, ((Number) s.keys().get("expert_used_count")).intValue()));
    }
    // a cut vocabulary has no tokenizer of its size: "no_vocab"
    return new CatalogueModel(s.id() + "-L" + layers, s.name(), s.arch(), s.source(), keys, tensors, s.published(), null);
  }
}
