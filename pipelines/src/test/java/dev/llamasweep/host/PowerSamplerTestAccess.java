package dev.llamasweep.host;

import dev.llamasweep.llamacpp.BenchRecord;
import java.time.Instant;
import java.util.List;

/** Lets tests in other packages summarise a recorded trace as the sampler does. */
public final class PowerSamplerTestAccess {
  private PowerSamplerTestAccess() {}

  public static PowerRecord summarize(List<PowerTrace.Sample> s, List<BenchRecord> records, Instant start, Instant end) {
    return PowerSummary.summarize(s, records, start, end);
  }
}
