package dev.llamasweep.models;

import dev.llamasweep.gguf.GgmlType;
import dev.llamasweep.gguf.GgufInfo;
import dev.llamasweep.gguf.GgufWriter;

import dev.llamasweep.io.Processes;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.SplittableRandom;
import java.security.MessageDigest;

/**
 * Real GGUF models with random weights, made with llama.cpp's own tools: a llama2.c checkpoint is
 * written here, converted with llama-convert-llama2c-to-ggml (copying the real 32000-token vocabulary
 * that ships with llama.cpp) and quantized with llama-quantize. Throughput does not depend on the
 * weight values, so these measure the machine as a real model of the same shape would.
 *
 * <p>The pair agrees: the draft is the target's first {@link Shape#draftLayers} layers, and the
 * target's later layers have zeroed output projections (attention wo and feed-forward w2). A
 * zeroed output projection adds nothing to the residual stream, so those layers pass it through
 * unchanged and the target computes exactly the draft's function, at the target's cost.
 */
public final class SyntheticModels {
  /** The shape of the synthetic pair; version it when it changes so cached files are not reused. */
  public record Shape(int dim, int hiddenDim, int heads, int targetLayers, int draftLayers, int seqLen, long seed, String version) {
    public static final Shape DEFAULT = new Shape(1024, 2816, 16, 16, 1, 4096, 20260224L, "v3");
    /**
     * The build self-test's model: two layers whose widths are multiples of 256, so every quantized
     * type's kernels (llama.cpp's AMX ones need rows of 32 and K-quant blocks of 256) take it; seconds to run.
     */
    public static final Shape SELF_TEST = new Shape(256, 768, 4, 2, 1, 512, 20261202L, "selftest1");
  }

  private static final int VOCAB = 32000;
  private final ModelTools toolchain;
  private final PrintStream progress;
  private final Shape shape;

  /** The build whose converter and quantizer make the models; null: the toolchain's {@link ModelTools#modelToolsBin()}. */
  private final Path toolsBin;

  public SyntheticModels(ModelTools toolchain, PrintStream progress, Shape shape) {
    this(toolchain, progress, shape, null);
  }

  private SyntheticModels(ModelTools toolchain, PrintStream progress, Shape shape, Path toolsBin) {
    this.toolchain = toolchain;
    this.progress = progress;
    this.shape = shape;
    this.toolsBin = toolsBin;
  }

  /** The same models made with the tools of one build (a build's self-test uses its own, before it is known to work). */
  public SyntheticModels withTools(Path bin) {
    return new SyntheticModels(toolchain, progress, shape, bin);
  }

  public Path dir() {
    return toolchain.cache().resolve("models").resolve(dev.llamasweep.spec.LlamaCppVersion.PINNED_COMMIT + "-" + shape.version());
  }

  /** Where the model of this kind ("target" or "draft") and quantisation lives once made. */
  public Path path(String kind, String quant) {
    if (dev.llamasweep.catalogue.Catalogue.of(kind) != null) {
      return dir().resolve("shape-" + kind + "-" + quant + "-" + dev.llamasweep.catalogue.Catalogue.VERSION + ".gguf");
    }
    return dir().resolve("synthetic-" + kind + "-" + quant + ".gguf");
  }

  /**
   * The shapes written directly as Q4_0 GGUF from Java (no converter, no quantize step): a GQA dense
   * model (4 query heads share each KV head) and a mixture-of-experts model whose file is several
   * times what one token reads. Version a shape when it changes so cached files are not reused.
   */
  public record Direct(String kind, int dim, int heads, int kvHeads, int layers, int ff, int experts, int expertsUsed, String version) {
    public static final Direct GQA = new Direct("gqa", 1024, 16, 4, 16, 2816, 0, 0, "d1");
    public static final Direct MOE = new Direct("moe", 1024, 16, 4, 8, 512, 32, 4, "d1");

    /** LLaMA-2-7B's shape (32 layers, dim 4096, 32 heads with their own KV heads, ff 11008): 3.8 GB, for GPUs whose memory it tests. */
    public static final Direct DENSE_7B = new Direct("dense7b", 4096, 32, 32, 32, 11008, 0, 0, "d1");
    /** A larger MoE for GPUs: 16 layers, dim 2048, 32 experts of which 4 run per token, GQA 16/4: 1.8 GB, about a seventh read per token. */
    public static final Direct MOE_LARGE = new Direct("moe-large", 2048, 16, 4, 16, 1024, 32, 4, "d1");

    public static Direct of(String kind) {
      return switch (kind) {
        case "gqa" -> GQA;
        case "moe" -> MOE;
        case "dense7b" -> DENSE_7B;
        case "moe-large" -> MOE_LARGE;
        default -> null;
      };
    }
  }

  /** Makes the model if it is not cached yet; the file appears only when complete. */
  public Path ensure(String kind, String quant) {
    Path out = path(kind, quant);
    if (Files.isRegularFile(out)) return out;
    Direct direct = Direct.of(kind);
    if (direct != null) return writeDirect(direct, out);
    Path bin = toolsBin != null ? toolsBin : toolchain.modelToolsBin();
    dev.llamasweep.catalogue.CatalogueModel catalogued = dev.llamasweep.catalogue.Catalogue.of(kind);
    if (catalogued != null) {
      return ShapeModels.write(catalogued, quant, bin.resolve("llama-quantize"), toolchain.ensureSource().resolve("models"), out, progress);
    }
    try {
      Files.createDirectories(dir());
      Path f32 = dir().resolve("synthetic-" + kind + "-F32.gguf");
      if (!Files.isRegularFile(f32)) {
        double epsilon = dev.llamasweep.spec.AcceptanceCalibration.perturbationOf(kind);
        boolean target = !Double.isNaN(epsilon);
        int layers = target ? shape.targetLayers() : shape.draftLayers();
        progress.println("models: writing a random-weight " + kind + " (" + layers + " layers, dim " + shape.dim()
            + (epsilon > 0 ? ", the later layers' output projections at " + epsilon + " of their scale" : "") + ")");
        Path ckpt = dir().resolve(".synthetic-" + kind + ".llama2c.bin");
        writeCheckpoint(ckpt, layers, shape.draftLayers(), target ? epsilon : 0);
        Path tmp = dir().resolve(".synthetic-" + kind + "-F32.gguf.tmp");
        Processes.check(List.of(bin.resolve("llama-convert-llama2c-to-ggml").toString(),
            "--copy-vocab-from-model", toolchain.source().resolve("models/ggml-vocab-llama-spm.gguf").toString(),
            "--llama2c-model", ckpt.toString(), "--llama2c-output-model", tmp.toString()), dir(), "converting the synthetic " + kind);
        GgufInfo.patchUint32(tmp, "llama.context_length", shape.seqLen());
        Files.move(tmp, f32, StandardCopyOption.ATOMIC_MOVE);
        Files.deleteIfExists(ckpt);
      }
      if (quant.equals("F32")) return f32;
      progress.println("models: quantizing the " + kind + " to " + quant);
      Path tmp = dir().resolve(".synthetic-" + kind + "-" + quant + ".gguf.tmp");
      Processes.check(List.of(bin.resolve("llama-quantize").toString(), f32.toString(), tmp.toString(), quant),
          dir(), "llama-quantize " + quant + " of the synthetic " + kind);
      Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Path writeDirect(Direct d, Path out) {
    Path vocab = toolchain.ensureSource().resolve("models/ggml-vocab-llama-spm.gguf");
    try {
      Files.createDirectories(dir());
      progress.println("models: writing a random-weight " + d.kind() + " model (" + d.layers() + " layers, dim " + d.dim()
          + (d.experts() > 0 ? ", " + d.experts() + " experts, " + d.expertsUsed() + " used per token" : ", " + d.kvHeads() + " KV heads for " + d.heads() + " heads")
          + ", Q4_0)");
      GgufWriter w = llamaHeader(vocab, "llama-sweep synthetic " + d.kind(), d.dim(), d.heads(), d.kvHeads(), d.layers(), d.ff(), shape.seqLen());
      if (d.experts() > 0) {
        w.u32("llama.expert_count", d.experts()).u32("llama.expert_used_count", d.expertsUsed());
      }
      long seed = shape.seed() ^ d.kind().hashCode();
      int kv = d.dim() / d.heads() * d.kvHeads();
      w.tensor("token_embd.weight", GgmlType.Q4_0, GgufWriter.Fill.Q4_0_RANDOM, seed, d.dim(), VOCAB);
      w.tensor("output_norm.weight", GgmlType.F32, GgufWriter.Fill.ONES, 0, d.dim());
      w.tensor("output.weight", GgmlType.Q4_0, GgufWriter.Fill.Q4_0_RANDOM, seed + 1, d.dim(), VOCAB);
      for (int l = 0; l < d.layers(); l++) {
        String b = "blk." + l + ".";
        long s0 = seed * 1_000_003L + l * 64L;
        w.tensor(b + "attn_norm.weight", GgmlType.F32, GgufWriter.Fill.ONES, 0, d.dim());
        w.tensor(b + "attn_q.weight", GgmlType.Q4_0, GgufWriter.Fill.Q4_0_RANDOM, s0 + 1, d.dim(), d.dim());
        w.tensor(b + "attn_k.weight", GgmlType.Q4_0, GgufWriter.Fill.Q4_0_RANDOM, s0 + 2, d.dim(), kv);
        w.tensor(b + "attn_v.weight", GgmlType.Q4_0, GgufWriter.Fill.Q4_0_RANDOM, s0 + 3, d.dim(), kv);
        w.tensor(b + "attn_output.weight", GgmlType.Q4_0, GgufWriter.Fill.Q4_0_RANDOM, s0 + 4, d.dim(), d.dim());
        w.tensor(b + "ffn_norm.weight", GgmlType.F32, GgufWriter.Fill.ONES, 0, d.dim());
        if (d.experts() > 0) {
          // numpy [n_expert, n_ff, n_embd] is ggml ne [n_embd, n_ff, n_expert]; down is [n_ff, n_embd, n_expert]
          w.tensor(b + "ffn_gate_inp.weight", GgmlType.F32, GgufWriter.Fill.GAUSSIAN, s0 + 5, d.dim(), d.experts());
          w.tensor(b + "ffn_gate_exps.weight", GgmlType.Q4_0, GgufWriter.Fill.Q4_0_RANDOM, s0 + 6, d.dim(), d.ff(), d.experts());
          w.tensor(b + "ffn_up_exps.weight", GgmlType.Q4_0, GgufWriter.Fill.Q4_0_RANDOM, s0 + 7, d.dim(), d.ff(), d.experts());
          w.tensor(b + "ffn_down_exps.weight", GgmlType.Q4_0, GgufWriter.Fill.Q4_0_RANDOM, s0 + 8, d.ff(), d.dim(), d.experts());
        } else {
          w.tensor(b + "ffn_gate.weight", GgmlType.Q4_0, GgufWriter.Fill.Q4_0_RANDOM, s0 + 6, d.dim(), d.ff());
          w.tensor(b + "ffn_up.weight", GgmlType.Q4_0, GgufWriter.Fill.Q4_0_RANDOM, s0 + 7, d.dim(), d.ff());
          w.tensor(b + "ffn_down.weight", GgmlType.Q4_0, GgufWriter.Fill.Q4_0_RANDOM, s0 + 8, d.ff(), d.dim());
        }
      }
      return w.writeAtomically(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The llama architecture's keys and the real vocabulary's tokenizer keys, copied byte for byte. */
  static GgufWriter llamaHeader(Path vocab, String name, int dim, int heads, int kvHeads, int layers, int ff, int context) throws IOException {
    GgufWriter w = new GgufWriter().string("general.architecture", "llama").string("general.name", name)
        .u32("llama.context_length", context).u32("llama.embedding_length", dim).u32("llama.block_count", layers)
        .u32("llama.feed_forward_length", ff).u32("llama.rope.dimension_count", dim / heads)
        .u32("llama.attention.head_count", heads).u32("llama.attention.head_count_kv", kvHeads)
        .f32("llama.attention.layer_norm_rms_epsilon", 1e-5f).u32("general.file_type", 2);
    copyKeys(vocab, w, k -> k.startsWith("tokenizer."));
    return w;
  }

  static void copyKeys(Path from, GgufWriter w, java.util.function.Predicate<String> which) throws IOException {
    GgufInfo info = GgufInfo.read(from);
    try (FileChannel ch = FileChannel.open(from, StandardOpenOption.READ)) {
      for (var e : info.kvRanges().entrySet()) {
        if (!which.test(e.getKey())) continue;
        ByteBuffer b = ByteBuffer.allocate((int) (e.getValue()[1] - e.getValue()[0]));
        ch.read(b, e.getValue()[0]);
        w.raw(b.array());
      }
    }
  }

  /**
   * A model with exactly the tensor table and metadata of a real model's GGUF header (a header-only
   * copy is enough), with random weights, so a user can measure a model they have not downloaded.
   * Cached by the header's hash.
   */
  public Path like(Path header) {
    try {
      GgufInfo info = GgufInfo.read(header);
      Path out = likePath(header, info);
      if (Files.isRegularFile(out)) return out;
      Files.createDirectories(dir());
      progress.println("models: writing random weights with the tensor table of " + header + " (" + info.tensors().size()
          + " tensors, " + String.format(java.util.Locale.ROOT, "%.2f GB", info.tensorBytes() / 1e9) + ")");
      GgufWriter w = new GgufWriter();
      copyKeys(header, w, k -> !k.equals("general.alignment"));
      long seed = shape.seed();
      for (GgufInfo.Tensor t : info.tensors()) {
        w.tensor(t.name(), t.type(), GgufWriter.Fill.of(t.name(), t.type()), seed++, t.ne());
      }
      return w.writeAtomically(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The skeleton of a model with {@code layers} layers ({@link Skeleton}): made once from the model's
   * header and cached by the header's hash and the layer count.
   */
  public Path skeleton(Path model, int layers) throws IOException, Skeleton.Unsupported {
    GgufInfo info = GgufInfo.read(model);
    String hash = likePath(model, info).getFileName().toString().replaceFirst("^like-", "").replaceFirst("\\.gguf$", "");
    Path out = dir().resolve("skeleton-" + hash + "-L" + layers + "-" + Skeleton.VERSION + ".gguf");
    if (Files.isRegularFile(out)) return out;
    Skeleton.Plan plan = Skeleton.plan(info, layers);
    Files.createDirectories(dir());
    progress.println("models: writing the " + layers + "-layer skeleton of " + model.getFileName() + " (" + plan.tensors().size() + " tensors, "
        + String.format(java.util.Locale.ROOT, "%.1f MB", plan.tensorBytes() / 1e6) + ")");
    return Skeleton.write(model, info, plan, out, shape.seed());
  }

  /** Where the model shaped like this header lives once made: keyed by the hash of the header bytes. */
  public Path likePath(Path header, GgufInfo info) throws IOException {
    {
      MessageDigest md = dev.llamasweep.io.Hashes.sha256();
      try (var in = Files.newInputStream(header)) {
        md.update(in.readNBytes((int) Math.min(info.dataOffset(), Integer.MAX_VALUE - 8)));
      }
      return dir().resolve("like-" + dev.llamasweep.io.Hashes.hex(md).substring(0, 16) + ".gguf");
    }
  }

  /**
   * Writes a llama.cpp-readable llama2.c checkpoint: 7 int32 header fields, then float32 tensors
   * in llama2.c order. Layer i's weights depend only on (seed, i), so the draft's layers are the
   * target's first layers bit for bit; layers at or past {@code keepLayers} get wo and w2 at {@code epsilon}
   * of their scale (zero for the target that agrees).
   */
  void writeCheckpoint(Path file, int layers, int keepLayers) throws IOException {
    writeCheckpoint(file, layers, keepLayers, 0);
  }

  void writeCheckpoint(Path file, int layers, int keepLayers, double epsilon) throws IOException {
    int d = shape.dim();
    int h = shape.hiddenDim();
    int headSize = d / shape.heads();
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer header = ByteBuffer.allocate(7 * 4).order(ByteOrder.LITTLE_ENDIAN);
      // positive vocab size = the output classifier shares the token embedding
      for (int v : new int[] {d, h, layers, shape.heads(), shape.heads(), VOCAB, shape.seqLen()}) header.putInt(v);
      header.flip();
      ch.write(header);
      Writer w = new Writer(ch);
      w.gaussian(new SplittableRandom(shape.seed()), (long) VOCAB * d, 1.0f);  // token embeddings
      w.constant((long) layers * d, 1.0f);                                      // rms_att
      float scale = (float) (1.0 / Math.sqrt(d));
      // wq, wk, wv, wo: one block per tensor kind, layer by layer inside it
      for (int t = 0; t < 4; t++) {
        for (int l = 0; l < layers; l++) {
          boolean quiet = t == 3 && l >= keepLayers;
          w.layerTensor(l, t, (long) d * d, quiet ? (float) (scale * epsilon) : scale, quiet && epsilon == 0);
        }
      }
      w.constant((long) layers * d, 1.0f);                                      // rms_ffn
      for (int t = 4; t < 7; t++) {                                             // w1, w2, w3
        for (int l = 0; l < layers; l++) {
          boolean quiet = t == 5 && l >= keepLayers;
          float s5 = t == 5 ? (float) (1.0 / Math.sqrt(h)) : scale;
          w.layerTensor(l, t, (long) d * h, quiet ? (float) (s5 * epsilon) : s5, quiet && epsilon == 0);
        }
      }
      w.constant(d, 1.0f);                                                      // rms_final
      w.constant((long) shape.seqLen() * headSize, 0.0f);                       // freq_cis (skipped by the reader)
      w.flush();
    }
  }

  private final class Writer {
    private final FileChannel ch;
    private final ByteBuffer buf = ByteBuffer.allocateDirect(1 << 22).order(ByteOrder.LITTLE_ENDIAN);

    Writer(FileChannel ch) { this.ch = ch; }

    void layerTensor(int layer, int tensor, long n, float scale, boolean zero) throws IOException {
      if (zero) {
        constant(n, 0.0f);
      } else {
        gaussian(new SplittableRandom(shape.seed() * 31 + layer * 7919L + tensor), n, scale);
      }
    }

    void gaussian(SplittableRandom rnd, long n, float scale) throws IOException {
      for (long i = 0; i < n; i++) {
        // sum of uniforms: cheap, bounded, and close enough to normal for random weights
        float v = (float) ((rnd.nextDouble() + rnd.nextDouble() + rnd.nextDouble() - 1.5) * 2.0) * scale;
        put(v);
      }
    }

    void constant(long n, float v) throws IOException {
      for (long i = 0; i < n; i++) put(v);
    }

    private void put(float v) throws IOException {
      if (!buf.hasRemaining()) flush();
      buf.putFloat(v);
    }

    void flush() throws IOException {
      buf.flip();
      while (buf.hasRemaining()) ch.write(buf);
      buf.clear();
    }
  }
}
