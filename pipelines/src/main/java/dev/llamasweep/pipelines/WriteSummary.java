package dev.llamasweep.pipelines;

import dev.llamasweep.results.SummaryRow;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Summary rows → one CSV file, sorted by dataset, host, cell and test, so every runner writes the
 * same bytes. Rows are formatted where they are, sorted partial lists are merged before the last
 * step (the summaries of a corpus are small next to its samples), and TextIO writes the file
 * through a temporary file, so no reader sees half of it.
 */
public final class WriteSummary extends PTransform<PCollection<SummaryRow>, PDone> {
  private final String output;

  public WriteSummary(String output) {
    this.output = output;
  }

  @Override
  public PDone expand(PCollection<SummaryRow> rows) {
    return rows
        .apply("FormatCsvLine", MapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.strings()))
            .via(r -> KV.of(r.sortKey(), r.csvLine())))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()))
        .apply("SortLines", Combine.globally(new SortedLines()))
        .apply("JoinLines", MapElements.into(TypeDescriptors.strings()).via(WriteSummary::join))
        .apply("WriteCsv", TextIO.write().to(output).withoutSharding().withHeader(SummaryRow.headerLine()));
  }

  private static String join(List<KV<String, String>> lines) {
    StringBuilder sb = new StringBuilder();
    for (KV<String, String> l : lines) {
      if (sb.length() > 0) sb.append('\n');
      sb.append(l.getValue());
    }
    return sb.toString();
  }

  /** Lines kept sorted by key; merging sorted partial lists gives the same list in any order. */
  static final class SortedLines extends Combine.CombineFn<KV<String, String>, List<KV<String, String>>, List<KV<String, String>>> {
    @Override
    public List<KV<String, String>> createAccumulator() {
      return new ArrayList<>();
    }

    @Override
    public List<KV<String, String>> addInput(List<KV<String, String>> acc, KV<String, String> line) {
      acc.add(line);
      return acc;
    }

    @Override
    public List<KV<String, String>> mergeAccumulators(Iterable<List<KV<String, String>>> accs) {
      List<KV<String, String>> out = new ArrayList<>();
      for (List<KV<String, String>> a : accs) out.addAll(a);
      return out;
    }

    @Override
    public List<KV<String, String>> extractOutput(List<KV<String, String>> acc) {
      List<KV<String, String>> out = new ArrayList<>(acc);
      out.sort((a, b) -> a.getKey().compareTo(b.getKey()));
      return out;
    }

    @Override
    public org.apache.beam.sdk.coders.Coder<List<KV<String, String>>> getAccumulatorCoder(org.apache.beam.sdk.coders.CoderRegistry r,
        org.apache.beam.sdk.coders.Coder<KV<String, String>> in) {
      return ListCoder.of(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()));
    }

    @Override
    public org.apache.beam.sdk.coders.Coder<List<KV<String, String>>> getDefaultOutputCoder(org.apache.beam.sdk.coders.CoderRegistry r,
        org.apache.beam.sdk.coders.Coder<KV<String, String>> in) {
      return ListCoder.of(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()));
    }
  }
}
