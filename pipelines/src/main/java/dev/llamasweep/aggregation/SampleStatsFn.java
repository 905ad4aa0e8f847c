package dev.llamasweep.aggregation;

import dev.llamasweep.stats.Moments;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.transforms.Combine;

/**
 * A group's statistics in one accumulator: the Welford/Chan moments of {@link MomentsFn} and the
 * sorted samples of {@link MedianMadFn} (for the exact median and MAD), each merged by its own fn.
 */
public final class SampleStatsFn extends Combine.CombineFn<double[], SampleStatsFn.Stats, SampleStatsFn.Stats> {
  private final MomentsFn moments = new MomentsFn();
  private final MedianMadFn medianMad = new MedianMadFn();

  /** Moments and the sorted samples of one group. */
  public record Stats(Moments moments, double[] sorted) {
    public double median() {
      return new MedianMadFn().extractOutput(sorted)[0];
    }

    public double mad() {
      return new MedianMadFn().extractOutput(sorted)[1];
    }
  }

  @Override
  public Stats createAccumulator() {
    return new Stats(moments.createAccumulator(), medianMad.createAccumulator());
  }

  @Override
  public Stats addInput(Stats acc, double[] block) {
    return new Stats(moments.addInput(acc.moments(), block), medianMad.addInput(acc.sorted(), block));
  }

  @Override
  public Stats mergeAccumulators(Iterable<Stats> accs) {
    List<Moments> ms = new ArrayList<>();
    List<double[]> ss = new ArrayList<>();
    for (Stats s : accs) {
      ms.add(s.moments());
      ss.add(s.sorted());
    }
    return new Stats(moments.mergeAccumulators(ms), medianMad.mergeAccumulators(ss));
  }

  @Override
  public Stats extractOutput(Stats acc) {
    return acc;
  }

  @Override
  public org.apache.beam.sdk.coders.Coder<Stats> getAccumulatorCoder(CoderRegistry registry, org.apache.beam.sdk.coders.Coder<double[]> in) {
    return StatsCoder.INSTANCE;
  }

  @Override
  public org.apache.beam.sdk.coders.Coder<Stats> getDefaultOutputCoder(CoderRegistry registry, org.apache.beam.sdk.coders.Coder<double[]> in) {
    return StatsCoder.INSTANCE;
  }

  /** The moments, then the sorted samples. Deterministic. */
  public static final class StatsCoder extends AtomicCoder<Stats> {
    public static final StatsCoder INSTANCE = new StatsCoder();

    @Override
    public void encode(Stats s, OutputStream out) throws IOException {
      MomentsFn.MomentsCoder.INSTANCE.encode(s.moments(), out);
      DoublesCoder.of().encode(s.sorted(), out);
    }

    @Override
    public Stats decode(InputStream in) throws IOException {
      return new Stats(MomentsFn.MomentsCoder.INSTANCE.decode(in), DoublesCoder.of().decode(in));
    }

    @Override
    public void verifyDeterministic() {}

    @Override
    public boolean consistentWithEquals() {
      return false;
    }
  }
}
