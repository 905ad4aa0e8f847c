package dev.llamasweep.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The server statistics on hand-computed streams: TTFT, inter-token latency, end-to-end, aggregate t/s, quantiles and their intervals. */
class StreamTimingsTest {
  static final long MS = 1_000_000;

  /** Sent at 0; tokens at 10 ms (1), 15 (2), 25 (4: two at once, as a speculative step sends them), and the final event at 30 (still 4). */
  static final StreamTimings.Request ONE = new StreamTimings.Request(1, 0, List.of(new StreamTimings.Event(10 * MS, 1),
      new StreamTimings.Event(15 * MS, 2), new StreamTimings.Event(25 * MS, 4), new StreamTimings.Event(30 * MS, 4)));

  @Test
  void aRequestsLatencies() {
    assertEquals(10, ONE.ttftMs(), 1e-12);
    assertEquals(30, ONE.e2eMs(), 1e-12);
    assertEquals(4, ONE.tokens());
    // 5 ms for the second token; the 10 ms before the event that added two is 5 ms each; the final event adds none
    assertEquals(List.of(5.0, 5.0, 5.0), ONE.interTokenMs());
    assertTrue(Double.isNaN(new StreamTimings.Request(1, 0, List.of()).ttftMs()), "no token came: no TTFT");
    assertThrows(IllegalArgumentException.class, () -> new StreamTimings.Request(1, 5 * MS, List.of(new StreamTimings.Event(MS, 1))));
    assertThrows(IllegalArgumentException.class, () -> new StreamTimings.Request(1, 0,
        List.of(new StreamTimings.Event(2 * MS, 3), new StreamTimings.Event(3 * MS, 2))));
  }

  @Test
  void aRoundsAggregateIsAllItsTokensOverItsSpan() {
    StreamTimings.Request two = new StreamTimings.Request(1, MS, List.of(new StreamTimings.Event(20 * MS, 3), new StreamTimings.Event(41 * MS, 6)));
    // 4 + 6 tokens from the first send (0) to the last event (41 ms)
    assertEquals(10 / 0.041, StreamTimings.aggregateTokensPerS(List.of(ONE, two)), 1e-9);
    StreamTimings.Summary s = StreamTimings.summarise(List.of(List.of(ONE, two), List.of(ONE, two)));
    assertEquals(4, s.requests());
    assertEquals(2, s.aggregateTokensPerS().n());
    assertEquals(10 / 0.041, s.aggregateTokensPerS().mean(), 1e-9);
    // TTFTs 10, 19, 10, 19: median 14.5
    assertEquals(14.5, s.ttftMs().get(0).value(), 1e-12);
  }

  @Test
  void quantilesAndTheirDistributionFreeIntervals() {
    double[] v = IntStream.rangeClosed(1, 100).asDoubleStream().toArray();
    Quantiles median = Quantiles.of(v, 0.5);
    assertEquals(50.5, median.value(), 1e-12);
    // 100 × 0.5 ± 1.96 × √25 = 50 ± 9.8: the 40th and the 61st order statistics
    assertEquals(40, median.low());
    assertEquals(61, median.high());
    Quantiles p90 = Quantiles.of(v, 0.9);
    assertEquals(90.1, p90.value(), 1e-9);
    // 90 ± 1.96 × 3 = 90 ± 5.88: the 84th and the 97th
    assertEquals(84, p90.low());
    assertEquals(97, p90.high());
    Quantiles p99 = Quantiles.of(v, 0.99);
    assertEquals(99.01, p99.value(), 1e-9);
    assertFalse(p99.intervalKnown(), "100 requests cannot bound a p99 from above: unknown, not the maximum");
    assertTrue(Double.isNaN(Quantiles.of(new double[0], 0.5).value()));
  }
}
