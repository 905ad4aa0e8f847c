package dev.llamasweep.aggregation;

import dev.llamasweep.stats.Summaries;
import java.util.Arrays;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.transforms.Combine;

/**
 * The exact median and median absolute deviation of a group's samples: the accumulator is the
 * samples themselves, kept sorted (groups are a cell's repetitions: small), so merging is exact
 * and independent of order. Output {median, MAD}.
 */
public final class MedianMadFn extends Combine.CombineFn<double[], double[], double[]> {
  @Override
  public double[] createAccumulator() {
    return new double[0];
  }

  @Override
  public double[] addInput(double[] acc, double[] block) {
    return merged(acc, block);
  }

  @Override
  public double[] mergeAccumulators(Iterable<double[]> accs) {
    double[] out = new double[0];
    for (double[] a : accs) out = merged(out, a);
    return out;
  }

  private static double[] merged(double[] a, double[] b) {
    double[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    Arrays.sort(out);
    return out;
  }

  @Override
  public double[] extractOutput(double[] acc) {
    return new double[] {Summaries.median(acc), Summaries.mad(acc)};
  }

  @Override
  public org.apache.beam.sdk.coders.Coder<double[]> getAccumulatorCoder(CoderRegistry registry, org.apache.beam.sdk.coders.Coder<double[]> in) {
    return DoublesCoder.of();
  }

  @Override
  public org.apache.beam.sdk.coders.Coder<double[]> getDefaultOutputCoder(CoderRegistry registry, org.apache.beam.sdk.coders.Coder<double[]> in) {
    return DoublesCoder.of();
  }
}
