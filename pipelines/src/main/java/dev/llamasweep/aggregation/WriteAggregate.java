package dev.llamasweep.aggregation;

import dev.llamasweep.results.SummaryRow;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Summary rows → one CSV file, sorted by dataset and then by line (host, cell, test lead each line), so every runner writes the
 * same bytes. Each dataset's rows are sorted where they are grouped (in parallel), the few sorted
 * blocks are put in dataset order at the end, and TextIO writes the file through a temporary file,
 * so no reader sees half of it.
 */
public final class WriteAggregate extends PTransform<PCollection<SummaryRow>, PDone> {
  private final String output;

  public WriteAggregate(String output) {
    this.output = output;
  }

  @Override
  public PDone expand(PCollection<SummaryRow> rows) {
    KvCoder<String, String> kv = KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of());
    return rows
        .apply("KeyByDataset", MapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.strings()))
            .via(r -> KV.of(r.dataset(), r.csvLine())))
        .setCoder(kv)
        .apply("GroupByDataset", GroupByKey.create())
        .apply("SortEachDataset", ParDo.of(new DoFn<KV<String, Iterable<String>>, KV<String, String>>() {
          @ProcessElement
          public void process(@Element KV<String, Iterable<String>> group, OutputReceiver<KV<String, String>> out) {
            out.output(KV.of(group.getKey(), sortedBlock(group.getValue())));
          }
        }))
        .setCoder(kv)
        .apply("DatasetsInOrder", Combine.globally(new SortedBlocks()))
        .apply("WriteCsv", TextIO.write().to(output).withoutSharding().withHeader(SummaryRow.headerLine()));
  }

  /** One dataset's lines, sorted, joined by line breaks. */
  static String sortedBlock(Iterable<String> datasetLines) {
    List<String> lines = new ArrayList<>();
    datasetLines.forEach(lines::add);
    lines.sort(null);
    return String.join("\n", lines);
  }

  /**
   * The whole of aggregate.csv for these rows, as the pipeline writes it (header, each dataset's sorted block in
   * dataset order, TextIO's line break after each element): for a refresh that summarises some cells without a pipeline.
   */
  static String text(List<SummaryRow> rows) {
    java.util.Map<String, List<String>> byDataset = new java.util.HashMap<>();
    for (SummaryRow r : rows) byDataset.computeIfAbsent(r.dataset(), d -> new ArrayList<>()).add(r.csvLine());
    SortedBlocks join = new SortedBlocks();
    List<KV<String, String>> blocks = join.createAccumulator();
    byDataset.forEach((d, lines) -> join.addInput(blocks, KV.of(d, sortedBlock(lines))));
    return SummaryRow.headerLine() + "\n" + join.extractOutput(blocks) + "\n";
  }

  /** One block per dataset, joined in dataset order: the same text whatever order they arrive in. */
  static final class SortedBlocks extends Combine.CombineFn<KV<String, String>, List<KV<String, String>>, String> {
    @Override
    public List<KV<String, String>> createAccumulator() {
      return new ArrayList<>();
    }

    @Override
    public List<KV<String, String>> addInput(List<KV<String, String>> acc, KV<String, String> block) {
      acc.add(block);
      return acc;
    }

    @Override
    public List<KV<String, String>> mergeAccumulators(Iterable<List<KV<String, String>>> accs) {
      List<KV<String, String>> out = new ArrayList<>();
      for (List<KV<String, String>> a : accs) out.addAll(a);
      return out;
    }

    @Override
    public String extractOutput(List<KV<String, String>> acc) {
      List<KV<String, String>> sorted = new ArrayList<>(acc);
      sorted.sort((a, b) -> a.getKey().compareTo(b.getKey()));
      StringBuilder sb = new StringBuilder();
      for (KV<String, String> b : sorted) {
        if (b.getValue().isEmpty()) continue;
        if (sb.length() > 0) sb.append('\n');
        sb.append(b.getValue());
      }
      return sb.toString();
    }

    @Override
    public org.apache.beam.sdk.coders.Coder<List<KV<String, String>>> getAccumulatorCoder(org.apache.beam.sdk.coders.CoderRegistry r,
        org.apache.beam.sdk.coders.Coder<KV<String, String>> in) {
      return ListCoder.of(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()));
    }

    @Override
    public org.apache.beam.sdk.coders.Coder<String> getDefaultOutputCoder(org.apache.beam.sdk.coders.CoderRegistry r,
        org.apache.beam.sdk.coders.Coder<KV<String, String>> in) {
      return StringUtf8Coder.of();
    }
  }
}
