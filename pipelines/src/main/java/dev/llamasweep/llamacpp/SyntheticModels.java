package dev.llamasweep.llamacpp;

import dev.llamasweep.execute.Processes;
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
  }

  private static final int VOCAB = 32000;
  private final Toolchain toolchain;
  private final PrintStream progress;
  private final Shape shape;

  public SyntheticModels(Toolchain toolchain, PrintStream progress, Shape shape) {
    this.toolchain = toolchain;
    this.progress = progress;
    this.shape = shape;
  }

  public Path dir() {
    return toolchain.cache().resolve("models").resolve(Toolchain.COMMIT + "-" + shape.version());
  }

  /** Where the model of this kind ("target" or "draft") and quantisation lives once made. */
  public Path path(String kind, String quant) {
    return dir().resolve("synthetic-" + kind + "-" + quant + ".gguf");
  }

  /** Makes the model if it is not cached yet; the file appears only when complete. */
  public Path ensure(String kind, String quant) {
    Path out = path(kind, quant);
    if (Files.isRegularFile(out)) return out;
    Path bin = toolchain.ensureCpuBuild();
    try {
      Files.createDirectories(dir());
      Path f32 = dir().resolve("synthetic-" + kind + "-F32.gguf");
      if (!Files.isRegularFile(f32)) {
        int layers = kind.equals("target") ? shape.targetLayers() : shape.draftLayers();
        progress.println("models: writing a random-weight " + kind + " (" + layers + " layers, dim " + shape.dim() + ")");
        Path ckpt = dir().resolve(".synthetic-" + kind + ".llama2c.bin");
        writeCheckpoint(ckpt, layers, shape.draftLayers());
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

  /**
   * Writes a llama.cpp-readable llama2.c checkpoint: 7 int32 header fields, then float32 tensors
   * in llama2.c order. Layer i's weights depend only on (seed, i), so the draft's layers are the
   * target's first layers bit for bit; layers at or past {@code keepLayers} get zero wo and w2.
   */
  void writeCheckpoint(Path file, int layers, int keepLayers) throws IOException {
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
          boolean zero = t == 3 && l >= keepLayers;
          w.layerTensor(l, t, (long) d * d, scale, zero);
        }
      }
      w.constant((long) layers * d, 1.0f);                                      // rms_ffn
      for (int t = 4; t < 7; t++) {                                             // w1, w2, w3
        for (int l = 0; l < layers; l++) {
          boolean zero = t == 5 && l >= keepLayers;
          w.layerTensor(l, t, (long) d * h, t == 5 ? (float) (1.0 / Math.sqrt(h)) : scale, zero);
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
