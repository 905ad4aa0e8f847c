package dev.llamasweep.bench;

import dev.llamasweep.host.MemoryWall;
import dev.llamasweep.gguf.GgufInfo;
import dev.llamasweep.gguf.GgufWriter;
import dev.llamasweep.gguf.GgufShapes;
import dev.llamasweep.stats.BytesPerToken;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * make bench, the bytes-per-token targets: reading the header of a multi-GB GGUF (a LLaMA-2-7B-shaped
 * Q4_0 file with the largest real vocabulary llama.cpp ships, 262k tokens; its data region is sparse,
 * which a header read never touches) must take under 100 ms; the measured-wall probe under 30 s.
 * Arguments: WORK_DIR VOCAB_GGUF CACHE_DIR
 */
public final class BytesBench {
  public static void main(String[] args) throws Exception {
    Path work = Path.of(args[0]);
    Path vocab = Path.of(args[1]);
    Path model = work.resolve("llama7b-q4_0.gguf");
    GgufWriter w = new GgufWriter().string("general.architecture", "llama").u32("llama.block_count", 32)
        .u32("llama.embedding_length", 4096).u32("llama.attention.head_count", 32).u32("llama.attention.head_count_kv", 32);
    GgufInfo v = GgufInfo.read(vocab);
    try (FileChannel ch = FileChannel.open(vocab, StandardOpenOption.READ)) {
      for (var e : v.kvRanges().entrySet()) {
        if (!e.getKey().startsWith("tokenizer.")) continue;
        ByteBuffer b = ByteBuffer.allocate((int) (e.getValue()[1] - e.getValue()[0]));
        ch.read(b, e.getValue()[0]);
        w.raw(b.array());
      }
    }
    dev.llamasweep.gguf.GgufTestFiles.llama7bTensors(w, v.vocabSize());
    long dataBytes = w.writeHeaderOnly(model);
    GgufInfo probe = GgufInfo.read(model);
    try (RandomAccessFile f = new RandomAccessFile(model.toFile(), "rw")) {
      f.setLength(probe.dataOffset() + dataBytes);  // the full file size; the data region stays sparse
    }
    long size = Files.size(model);
    long t0 = System.nanoTime();
    GgufInfo first = GgufInfo.read(model);
    double firstMs = (System.nanoTime() - t0) / 1e6;
    double best = Double.MAX_VALUE;
    for (int i = 0; i < 10; i++) {
      long t = System.nanoTime();
      GgufInfo g = GgufInfo.read(model);
      BytesPerToken.of(GgufShapes.of(g), 2, 2, "f16/f16", 64.5);
      best = Math.min(best, (System.nanoTime() - t) / 1e6);
    }
    System.out.printf("GGUF header of a %.2f GB file (%d tensors, %,d-token vocabulary, header %.1f MB): first read %.1f ms in a fresh JVM, "
        + "best of 10 (read + bytes per token) %.1f ms (target < 100 ms)%n", size / 1e9, first.tensors().size(), first.vocabSize(),
        first.dataOffset() / 1e6, firstMs, best);
    Files.delete(model);

    long p0 = System.nanoTime();
    MemoryWall.Measured m = MemoryWall.ensure(work.resolve("data"), Path.of(args[2]), true, System.out);
    System.out.printf("measured-wall probe (compile once, 10 runs of read and triad): %.1f s (target < 30 s): %s%n",
        (System.nanoTime() - p0) / 1e9, m.describe());
  }
}
