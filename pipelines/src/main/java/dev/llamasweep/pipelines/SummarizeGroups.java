package dev.llamasweep.pipelines;

import dev.llamasweep.results.SummaryRow;
import dev.llamasweep.stats.Moments;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptor;

/** Per key: Welford/Chan moments and the exact median and MAD in one Combine.perKey, then one {@link SummaryRow} per key. */
public final class SummarizeGroups extends PTransform<PCollection<KV<SampleKey, double[]>>, PCollection<SummaryRow>> {
  @Override
  public PCollection<SummaryRow> expand(PCollection<KV<SampleKey, double[]>> blocks) {
    return blocks
        .apply("CombinePerKey", Combine.perKey(new SampleStatsFn()))
        .apply("ToSummaryRow", MapElements.into(TypeDescriptor.of(SummaryRow.class)).via(kv -> {
          SampleStatsFn.Stats s = kv.getValue();
          Moments m = s.moments();
          SampleKey k = kv.getKey();
          return new SummaryRow(k.dataset(), k.host(), k.cell(), k.test(), m.n(), m.mean(), m.sd(), m.min(), m.max(), s.median(), s.mad());
        }))
        .setCoder(SerializableCoder.of(SummaryRow.class));
  }
}
