package dev.llamasweep.models;

import dev.llamasweep.gguf.GgmlType;
import dev.llamasweep.gguf.GgufInfo;
import dev.llamasweep.gguf.GgufWriter;

import dev.llamasweep.io.Processes;
import dev.llamasweep.catalogue.CatalogueModel;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A catalogue shape ({@link dev.llamasweep.catalogue.Catalogue}) as a GGUF file with random weights. Every
 * tensor's type is the one llama-quantize gives it for the quantisation: the tool itself is asked, with
 * {@code --dry-run} over a sparse file holding the shape in its 16-bit source types (no weight is written
 * or read), so the mix is llama-quant.cpp's own — Q6_K for some attn_v and ffn_down layers of a Q4_K_M,
 * Q8_0 beside MXFP4 experts for MXFP4_MOE, F32 for the router — and the file's tensor bytes are the real
 * file's. The weights are then written directly in those types (finite random blocks, no F32
 * intermediate, no quantisation step).
 */
public final class ShapeModels {
  private ShapeModels() {}

  /** llama-quantize's names of the file types (tools/quantize/quantize.cpp) with llama.h's numbers, for general.file_type. */
  public static final Map<String, Integer> FILE_TYPES = Map.ofEntries(Map.entry("F16", 1), Map.entry("Q4_0", 2), Map.entry("Q4_1", 3),
      Map.entry("Q8_0", 7), Map.entry("Q5_0", 8), Map.entry("Q5_1", 9), Map.entry("Q2_K", 10), Map.entry("Q3_K_S", 11),
      Map.entry("Q3_K_M", 12), Map.entry("Q3_K_L", 13), Map.entry("Q4_K_S", 14), Map.entry("Q4_K_M", 15), Map.entry("Q5_K_S", 16),
      Map.entry("Q5_K_M", 17), Map.entry("Q6_K", 18), Map.entry("IQ4_NL", 25), Map.entry("IQ4_XS", 30), Map.entry("BF16", 32),
      Map.entry("MXFP4_MOE", 38));

  /** "[  12/ 399]   blk.0.attn_v.weight - [ 4096,  1024, 1, 1], type =   bf16, size = 8.000 MiB ->  3.281 MiB (q6_K)" or "… size = 0.016 MiB". */
  private static final Pattern DRY_RUN_LINE =
      Pattern.compile("^\\[\\s*\\d+/\\s*\\d+\\]\\s+(\\S+)\\s+- \\[[^\\]]*\\], type =\\s*(\\S+), size =\\s*[0-9.]+ MiB(?:\\s*->\\s*[0-9.]+ MiB \\((\\S+)\\))?");

  /** The writer for the shape with each tensor in the type {@code types} gives it (every name must be there). */
  static GgufWriter writer(CatalogueModel s, Map<String, GgmlType> types, String quant) {
    return writer(s, types, quant, null);
  }

  /**
   * @param vocabDir llama.cpp's source models/ directory, where the shape's tokenizer file is; null writes "no_vocab"
   *                 (the dry run needs no tokenizer)
   */
  static GgufWriter writer(CatalogueModel s, Map<String, GgmlType> types, String quant, Path vocabDir) {
    GgufWriter w = new GgufWriter().string("general.architecture", s.arch()).string("general.name", "llama-sweep shape of " + s.name());
    for (Map.Entry<String, Object> k : s.keys().entrySet()) {
      String key = s.arch() + "." + k.getKey();
      Object v = k.getValue();
      if (v instanceof Float f) w.f32(key, f);
      else if (v instanceof Boolean b) w.bool(key, b);
      else if (v instanceof String str) w.string(key, str);
      else w.u32(key, ((Number) v).longValue());
    }
    if (quant != null && FILE_TYPES.containsKey(quant)) w.u32("general.file_type", FILE_TYPES.get(quant));
    if (vocabDir != null && s.tokenizer() != null) {
      Path vocab = vocabDir.resolve(s.tokenizer());
      try {
        long n = GgufInfo.read(vocab).vocabSize();
        long want = ((Number) s.keys().get("vocab_size")).longValue();
        if (n != want) {
          throw new Processes.ToolFailure(vocab + " has " + n + " tokens, not the " + want + " of " + s.name() + ": this llama.cpp source carries "
              + "another tokenizer under that name, so the " + s.id() + " shape cannot be written from it.");
        }
        SyntheticModels.copyKeys(vocab, w, k -> k.startsWith("tokenizer."));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    } else {
      // no tokenizer: a vocabulary of vocab_size dummy tokens (llama-vocab.cpp's "no_vocab"), every tensor still exact
      w.string("tokenizer.ggml.model", "no_vocab");
    }
    long seed = s.id().hashCode();
    for (CatalogueModel.Tensor t : s.tensors()) {
      GgmlType type = types.get(t.name());
      if (type == null) throw new IllegalStateException("no type for " + t.name() + " of " + s.id());
      w.tensor(t.name(), type, GgufWriter.Fill.of(t.name(), type), seed++, t.ne());
    }
    return w;
  }

  /** The shape as the converter writes it: matrices in BF16 (every catalogue model's torch_dtype), vectors in F32. */
  static Map<String, GgmlType> sourceTypes(CatalogueModel s) {
    Map<String, GgmlType> out = new LinkedHashMap<>();
    for (CatalogueModel.Tensor t : s.tensors()) out.put(t.name(), t.weight() ? GgmlType.BF16 : GgmlType.F32);
    return out;
  }

  /**
   * Each tensor's type in {@code quant}, as llama-quantize --dry-run of {@code quantize} decides it over a sparse
   * source file written in {@code work}.
   */
  public static Map<String, GgmlType> typeMix(CatalogueModel s, String quant, Path quantize, Path work) {
    try {
      Files.createDirectories(work);
      Path src = work.resolve(".shape-" + s.id() + "-BF16.gguf");
      writer(s, sourceTypes(s), "BF16").writeSparse(src);
      try {
        String out = Processes.check(List.of(quantize.toString(), "--dry-run", src.toString(), quant), work,
            "llama-quantize --dry-run " + quant + " of the " + s.name() + " shape");
        return parseDryRun(out, s);
      } finally {
        Files.deleteIfExists(src);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Map<String, GgmlType> parseDryRun(String output, CatalogueModel s) {
    Map<String, GgmlType> out = new LinkedHashMap<>();
    for (String line : output.split("\n")) {
      Matcher m = DRY_RUN_LINE.matcher(line.strip());
      if (!m.find()) continue;
      out.put(m.group(1), type(m.group(3) != null ? m.group(3) : m.group(2)));
    }
    for (CatalogueModel.Tensor t : s.tensors()) {
      if (!out.containsKey(t.name())) {
        throw new Processes.ToolFailure("llama-quantize --dry-run named no type for " + t.name() + " of the " + s.name() + " shape; it printed:\n"
            + output.lines().limit(30).reduce("", (a, l) -> a + l + "\n"));
      }
    }
    return out;
  }

  /** ggml's type name as llama-quantize prints it ("q4_K", "bf16", "mxfp4") to ours. */
  static GgmlType type(String ggmlName) {
    for (GgmlType t : GgmlType.values()) if (t.name().equalsIgnoreCase(ggmlName)) return t;
    throw new Processes.ToolFailure("llama-quantize --dry-run named the tensor type '" + ggmlName + "', which llama-sweep cannot write; choose another quant.");
  }

  /**
   * The shape in {@code quant} with random weights at {@code out} (its tokenizer from {@code vocabDir}, llama.cpp's
   * source models/, or none when null); the file appears only when complete.
   */
  public static Path write(CatalogueModel s, String quant, Path quantize, Path vocabDir, Path out, PrintStream progress) {
    try {
      Map<String, GgmlType> types = typeMix(s, quant, quantize, out.getParent());
      GgufWriter w = writer(s, types, quant, vocabDir);
      long bytes = w.tensorBytes();
      progress.println(String.format(java.util.Locale.ROOT, "models: writing the %s shape in %s with random weights (%d tensors, %.2f GiB; types from llama-quantize --dry-run)",
          s.name(), quant, s.tensors().size(), bytes / (double) (1L << 30)));
      long total = bytes;  // effectively final for the progress callback
      long[] shown = {0};
      long t0 = System.nanoTime();
      // a line every tenth of a big file (gpt-oss-20b is 12 GB: a minute or two on 2 cores), nothing for a small one
      // typeMix made out's directory; the file appears only when complete
      return w.writeAtomically(out, done -> {
        if (total < (1L << 30) || done * 10 / total == shown[0]) return;
        shown[0] = done * 10 / total;
        progress.println(String.format(java.util.Locale.ROOT, "models:   %s %d%% (%.1f of %.1f GiB, %.0f s)", s.id(), done * 100 / total,
            done / (double) (1L << 30), total / (double) (1L << 30), (System.nanoTime() - t0) / 1e9));
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Only the header of the shape in {@code quant} (for tests and for sharing a shape): the tensor table with its types, no weights. */
  public static long writeHeader(CatalogueModel s, String quant, Path quantize, Path out) {
    try {
      return writer(s, typeMix(s, quant, quantize, out.getParent()), quant).writeHeaderOnly(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
