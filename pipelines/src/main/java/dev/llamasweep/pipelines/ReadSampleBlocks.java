package dev.llamasweep.pipelines;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

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
      Path d = Path.of(dir);
      String dataset = d.getFileName().toString();
      String host = hostOf(d);
      Path samples = d.resolve("samples.csv");
      if (!Files.isRegularFile(samples)) return;
      Map<String, double[]> blocks = new LinkedHashMap<>();
      Map<String, Integer> sizes = new LinkedHashMap<>();
      try (Reader r = Files.newBufferedReader(samples)) {
        for (CSVRecord rec : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(r)) {
          String key = rec.get("cell") + '\u0000' + rec.get("test");
          double v;
          try {
            v = Double.parseDouble(rec.get("tokens_per_s"));
          } catch (RuntimeException e) {
            throw new IllegalArgumentException(samples + ":" + (rec.getRecordNumber() + 1) + ": field 'tokens_per_s' is not a number ('"
                + (rec.isMapped("tokens_per_s") && rec.isSet("tokens_per_s") ? rec.get("tokens_per_s") : "") + "'); nothing was aggregated.");
          }
          double[] b = blocks.get(key);
          int n = sizes.getOrDefault(key, 0);
          if (b == null) b = new double[8];
          if (n == b.length) b = java.util.Arrays.copyOf(b, n * 2);
          b[n] = v;
          blocks.put(key, b);
          sizes.put(key, n + 1);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("reading " + samples, e);
      }
      blocks.forEach((k, b) -> {
        int i = k.indexOf('\u0000');
        out.output(KV.of(new SampleKey(dataset, host, k.substring(0, i), k.substring(i + 1)), java.util.Arrays.copyOf(b, sizes.get(k))));
      });
    }
  }

  /** The host's stable id from host.json; a directory without one (an old sweep) is its own host. */
  static String hostOf(Path dir) {
    Path h = dir.resolve("host.json");
    if (Files.isRegularFile(h)) {
      try {
        JsonNode n = new ObjectMapper().readTree(h.toFile());
        if (n.path("host").hasNonNull("id")) return n.path("host").path("id").asText();
      } catch (IOException e) {
        throw new UncheckedIOException("reading " + h, e);
      }
    }
    return "unknown";
  }
}
