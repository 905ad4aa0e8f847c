package dev.llamasweep.aggregation;

import dev.llamasweep.results.SummaryRow;
import dev.llamasweep.stats.Moments;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.FlatMapElements;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Blocks of samples keyed by (dataset, host, cell, test) → one {@link SummaryRow} per key: n, mean
 * and sd by Welford/Chan, min, max, exact median and MAD. The combine runs per (dataset, host), with
 * each group's own accumulator inside ({@link StatsPerGroupFn} says why), so partial results merge
 * before the shuffle on any runner.
 */
public final class SummarizeGroups extends PTransform<PCollection<KV<SampleKey, double[]>>, PCollection<SummaryRow>> {
  @Override
  public PCollection<SummaryRow> expand(PCollection<KV<SampleKey, double[]>> blocks) {
    return blocks
        .apply("KeyByDatasetAndHost", MapElements
            .into(TypeDescriptors.kvs(TypeDescriptors.strings(), new TypeDescriptor<KV<SampleKey, double[]>>() {}))
            .via(b -> KV.of(b.getKey().dataset() + '\u0000' + b.getKey().host(), b)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), StatsPerGroupFn.blockCoder()))
        .apply("CombinePerKey", Combine.perKey(new StatsPerGroupFn()))
        .apply("ToSummaryRows", FlatMapElements.into(TypeDescriptor.of(SummaryRow.class)).via(SummarizeGroups::rows))
        .setCoder(SummaryRowCoder.of());
  }

  static List<SummaryRow> rows(KV<String, Map<SampleKey, SampleStatsFn.Stats>> host) {
    List<SummaryRow> out = new ArrayList<>();
    host.getValue().forEach((k, s) -> {
      Moments m = s.moments();
      out.add(new SummaryRow(k.dataset(), k.host(), k.cell(), k.test(), m.n(), m.mean(), m.sd(), m.min(), m.max(), s.median(), s.mad()));
    });
    return out;
  }
}
