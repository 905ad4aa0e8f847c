package dev.llamasweep.aggregation;

import dev.llamasweep.results.SummaryRow;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;

/** A summary row's four key strings, n and six doubles: Java serialization (SerializableCoder) cost more than the statistics. */
public final class SummaryRowCoder extends AtomicCoder<SummaryRow> {
  private static final SummaryRowCoder INSTANCE = new SummaryRowCoder();
  private static final StringUtf8Coder S = StringUtf8Coder.of();

  public static SummaryRowCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(SummaryRow r, OutputStream out) throws IOException {
    S.encode(r.dataset(), out);
    S.encode(r.host(), out);
    S.encode(r.cell(), out);
    S.encode(r.test(), out);
    DataOutputStream d = new DataOutputStream(out);
    d.writeLong(r.n());
    d.writeDouble(r.mean());
    d.writeDouble(r.sd());
    d.writeDouble(r.min());
    d.writeDouble(r.max());
    d.writeDouble(r.median());
    d.writeDouble(r.mad());
    d.flush();
  }

  @Override
  public SummaryRow decode(InputStream in) throws IOException {
    String dataset = S.decode(in);
    String host = S.decode(in);
    String cell = S.decode(in);
    String test = S.decode(in);
    DataInputStream d = new DataInputStream(in);
    return new SummaryRow(dataset, host, cell, test, d.readLong(), d.readDouble(), d.readDouble(), d.readDouble(), d.readDouble(),
        d.readDouble(), d.readDouble());
  }

  @Override
  public void verifyDeterministic() {}
}
