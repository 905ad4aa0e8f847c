package dev.llamasweep.aggregation;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.util.VarInt;

/** A block of samples (a double[]): its length, then each value's 8 bytes. Deterministic. */
public final class DoublesCoder extends AtomicCoder<double[]> {
  private static final DoublesCoder INSTANCE = new DoublesCoder();

  public static DoublesCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(double[] v, OutputStream out) throws IOException {
    VarInt.encode(v.length, out);
    DataOutputStream d = new DataOutputStream(out);
    for (double x : v) d.writeDouble(x);
    d.flush();
  }

  @Override
  public double[] decode(InputStream in) throws IOException {
    int n = VarInt.decodeInt(in);
    DataInputStream d = new DataInputStream(in);
    double[] v = new double[n];
    for (int i = 0; i < n; i++) v[i] = d.readDouble();
    return v;
  }

  @Override
  public void verifyDeterministic() {}
}
