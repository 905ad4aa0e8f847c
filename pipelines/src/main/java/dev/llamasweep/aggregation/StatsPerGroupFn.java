package dev.llamasweep.aggregation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.MapCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.values.KV;

/**
 * The statistics of every (dataset, host, cell, test) group of one host's data, as one mergeable
 * accumulator: a map from each group's key to its {@link SampleStatsFn.Stats} (Welford/Chan moments
 * and sorted samples), merged group by group with {@link SampleStatsFn}. Combined per (dataset,
 * host) rather than per group because the DirectRunner evaluates each key of a shuffle as a bundle
 * of its own (about 1 ms a key on this machine: 20 s for the 20,000 groups of a million samples),
 * while a host is the unit a corpus grows by and the one that spreads over Flink workers.
 */
public final class StatsPerGroupFn extends Combine.CombineFn<KV<SampleKey, double[]>, Map<SampleKey, SampleStatsFn.Stats>,
    Map<SampleKey, SampleStatsFn.Stats>> {
  private final SampleStatsFn stats = new SampleStatsFn();

  @Override
  public Map<SampleKey, SampleStatsFn.Stats> createAccumulator() {
    return new HashMap<>();
  }

  @Override
  public Map<SampleKey, SampleStatsFn.Stats> addInput(Map<SampleKey, SampleStatsFn.Stats> acc, KV<SampleKey, double[]> block) {
    SampleStatsFn.Stats s = acc.get(block.getKey());
    acc.put(block.getKey(), stats.addInput(s == null ? stats.createAccumulator() : s, block.getValue()));
    return acc;
  }

  @Override
  public Map<SampleKey, SampleStatsFn.Stats> mergeAccumulators(Iterable<Map<SampleKey, SampleStatsFn.Stats>> accs) {
    Map<SampleKey, List<SampleStatsFn.Stats>> parts = new HashMap<>();
    for (Map<SampleKey, SampleStatsFn.Stats> a : accs) {
      a.forEach((k, v) -> parts.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
    }
    Map<SampleKey, SampleStatsFn.Stats> out = new HashMap<>();
    parts.forEach((k, v) -> out.put(k, v.size() == 1 ? v.get(0) : stats.mergeAccumulators(v)));
    return out;
  }

  @Override
  public Map<SampleKey, SampleStatsFn.Stats> extractOutput(Map<SampleKey, SampleStatsFn.Stats> acc) {
    return acc;
  }

  @Override
  public org.apache.beam.sdk.coders.Coder<Map<SampleKey, SampleStatsFn.Stats>> getAccumulatorCoder(CoderRegistry r,
      org.apache.beam.sdk.coders.Coder<KV<SampleKey, double[]>> in) {
    return MapCoder.of(SampleKey.Coder.of(), SampleStatsFn.StatsCoder.INSTANCE);
  }

  @Override
  public org.apache.beam.sdk.coders.Coder<Map<SampleKey, SampleStatsFn.Stats>> getDefaultOutputCoder(CoderRegistry r,
      org.apache.beam.sdk.coders.Coder<KV<SampleKey, double[]>> in) {
    return MapCoder.of(SampleKey.Coder.of(), SampleStatsFn.StatsCoder.INSTANCE);
  }

  static KvCoder<SampleKey, double[]> blockCoder() {
    return KvCoder.of(SampleKey.Coder.of(), DoublesCoder.of());
  }
}
