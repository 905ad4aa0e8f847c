package dev.llamasweep.aggregation;

import dev.llamasweep.stats.Moments;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.transforms.Combine;

/**
 * n, mean, M2 (Welford), min and max of blocks of samples, mergeable (Chan) so a runner combines
 * partial results before the shuffle. Partial results are merged in a canonical order, so the
 * result does not depend on the order a runner hands them over.
 */
public final class MomentsFn extends Combine.CombineFn<double[], Moments, Moments> {
  @Override
  public Moments createAccumulator() {
    return new Moments();
  }

  @Override
  public Moments addInput(Moments acc, double[] block) {
    for (double x : block) acc.add(x);
    return acc;
  }

  @Override
  public Moments mergeAccumulators(Iterable<Moments> accs) {
    List<Moments> parts = new ArrayList<>();
    for (Moments m : accs) if (m.n() > 0) parts.add(m);
    parts.sort(Moments::canonical);
    Moments out = new Moments();
    for (Moments m : parts) out.merge(m);
    return out;
  }

  @Override
  public Moments extractOutput(Moments acc) {
    return acc;
  }

  @Override
  public org.apache.beam.sdk.coders.Coder<Moments> getAccumulatorCoder(CoderRegistry registry, org.apache.beam.sdk.coders.Coder<double[]> in) {
    return MomentsCoder.INSTANCE;
  }

  @Override
  public org.apache.beam.sdk.coders.Coder<Moments> getDefaultOutputCoder(CoderRegistry registry, org.apache.beam.sdk.coders.Coder<double[]> in) {
    return MomentsCoder.INSTANCE;
  }

  /** n as 8 bytes, then mean, M2, min and max as 8 bytes each. */
  public static final class MomentsCoder extends AtomicCoder<Moments> {
    public static final MomentsCoder INSTANCE = new MomentsCoder();

    @Override
    public void encode(Moments m, OutputStream out) throws IOException {
      DataOutputStream d = new DataOutputStream(out);
      d.writeLong(m.n());
      d.writeDouble(m.n() == 0 ? 0 : m.mean());
      d.writeDouble(m.m2());
      d.writeDouble(m.min());
      d.writeDouble(m.max());
      d.flush();
    }

    @Override
    public Moments decode(InputStream in) throws IOException {
      DataInputStream d = new DataInputStream(in);
      return new Moments(d.readLong(), d.readDouble(), d.readDouble(), d.readDouble(), d.readDouble());
    }

    @Override
    public void verifyDeterministic() {}
  }
}
