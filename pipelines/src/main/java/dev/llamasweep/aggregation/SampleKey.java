package dev.llamasweep.aggregation;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;

/** What one summary is about: a dataset (a data directory), the host it ran on, a cell and one of its tests. */
public record SampleKey(String dataset, String host, String cell, String test) {

  /** A deterministic coder (four UTF-8 strings), as a key of a shuffle must have. */
  public static final class Coder extends AtomicCoder<SampleKey> {
    private static final Coder INSTANCE = new Coder();
    private static final StringUtf8Coder S = StringUtf8Coder.of();

    public static Coder of() {
      return INSTANCE;
    }

    @Override
    public void encode(SampleKey k, OutputStream out) throws IOException {
      S.encode(k.dataset(), out);
      S.encode(k.host(), out);
      S.encode(k.cell(), out);
      S.encode(k.test(), out);
    }

    @Override
    public SampleKey decode(InputStream in) throws IOException {
      return new SampleKey(S.decode(in), S.decode(in), S.decode(in), S.decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
