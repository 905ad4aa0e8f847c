package dev.llamasweep.aggregation;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * Data directories → one element per (dataset, host, cell, test) holding that group's samples in
 * repetition order. A block per group rather than an element per sample: the runner's cost is per
 * element, and a block is exact (nothing is summarised before the combine).
 */
public final class ReadSampleBlocks extends PTransform<PCollection<String>, PCollection<KV<SampleKey, double[]>>> {
  @Override
  public PCollection<KV<SampleKey, double[]>> expand(PCollection<String> dirs) {
    return dirs
        .apply("ReadSamplesCsv", ParDo.of(new ReadDir()))
        .setCoder(KvCoder.of(SampleKey.Coder.of(), DoublesCoder.of()));
  }

  static final class ReadDir extends DoFn<String, KV<SampleKey, double[]>> {
    @ProcessElement
    public void process(@Element String dir, OutputReceiver<KV<SampleKey, double[]>> out) {
      blocks(Path.of(dir)).forEach(out::output);
    }
  }

  /**
   * A data directory's samples.csv as blocks, one per (cell, test) in the order they first appear, keyed
   * by the directory's name and its host: what the pipeline's first step emits, and what a one-cell
   * refresh ({@link Aggregation#refreshCells}) summarises without a pipeline.
   */
  static List<KV<SampleKey, double[]>> blocks(Path d) {
    String dataset = d.getFileName().toString();
    String host = hostOf(d);
    Path samples = d.resolve("samples.csv");
    List<KV<SampleKey, double[]>> out = new ArrayList<>();
    // absent: nothing yet; there but no regular file: the reading rule's sentence, never a silent skip
    if (!dev.llamasweep.io.InputFiles.present(samples)) return out;
    Map<String, double[]> blocks = new LinkedHashMap<>();
    Map<String, Integer> sizes = new LinkedHashMap<>();
    try {
      dev.llamasweep.results.ResultFiles.readSamples(samples, row -> {
        String key = row.cell() + '\u0000' + row.test();
        double[] b = blocks.get(key);
        int n = sizes.getOrDefault(key, 0);
        if (b == null) b = new double[8];
        if (n == b.length) b = java.util.Arrays.copyOf(b, n * 2);
        b[n] = row.tokensPerS();
        blocks.put(key, b);
        sizes.put(key, n + 1);
      });
    } catch (IllegalArgumentException e) {
      // the sentence alone, without the codec's exception as its cause: a runner's error handling prints the deepest cause
      throw new IllegalArgumentException(e.getMessage() + "; nothing was aggregated.");
    }
    blocks.forEach((k, b) -> {
      int i = k.indexOf('\u0000');
      out.add(KV.of(new SampleKey(dataset, host, k.substring(0, i), k.substring(i + 1)), java.util.Arrays.copyOf(b, sizes.get(k))));
    });
    return out;
  }

  /**
   * The host's stable id from host.json (its one codec, {@link dev.llamasweep.host.HostRecord#read}); a
   * directory without one, or whose host.json cannot be read (the report says so), is its own host.
   */
  static String hostOf(Path dir) {
    dev.llamasweep.host.HostRecord h = dev.llamasweep.host.HostRecord.read(dir.resolve("host.json"));
    return h != null && h.identity() != null && h.identity().id() != null && !h.identity().id().isEmpty() ? h.identity().id() : "unknown";
  }
}
