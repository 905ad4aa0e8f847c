package dev.llamasweep.stats;

import java.util.ArrayList;
import java.util.List;

/**
 * What a load generator saw of streamed requests, and the figures a server benchmark reports from it
 * (the way vLLM's benchmark_serving, GuideLLM and AIPerf define them): time to first token (send → the
 * first event carrying a generated token), inter-token latency (the time between events divided by the
 * tokens the later one added: a speculative server sends several at once), end-to-end latency (send →
 * the last event), and per round of N concurrent requests the aggregate output tokens per second (all
 * tokens / from the first send to the last end).
 */
public final class StreamTimings {
  private StreamTimings() {}

  /** One event of a stream: when it arrived (ns on the generator's monotonic clock) and the tokens generated so far. */
  public record Event(long atNs, long tokensSoFar) {}

  /**
   * One request as the generator saw it.
   *
   * @param round the round (repetition) it was sent in
   * @param sentNs when its first byte went out
   * @param events every event in arrival order
   * @param promptTokens the prompt tokens the server evaluated for it (0 when not known)
   */
  public record Request(int round, long sentNs, List<Event> events, long promptTokens) {
    /** A request whose prompt size is not known. */
    public Request(int round, long sentNs, List<Event> events) {
      this(round, sentNs, events, 0);
    }

    public Request {
      events = List.copyOf(events);
      long last = -1;
      long tokens = 0;
      for (Event e : events) {
        if (e.atNs() < sentNs || e.atNs() < last) throw new IllegalArgumentException("events must arrive after the send and in order");
        if (e.tokensSoFar() < tokens) throw new IllegalArgumentException("tokens so far cannot fall: " + tokens + " then " + e.tokensSoFar());
        last = e.atNs();
        tokens = e.tokensSoFar();
      }
    }

    public long tokens() {
      return events.isEmpty() ? 0 : events.get(events.size() - 1).tokensSoFar();
    }

    /** Send to the first event with a generated token, in ms; NaN when none came. */
    public double ttftMs() {
      for (Event e : events) if (e.tokensSoFar() > 0) return (e.atNs() - sentNs) / 1e6;
      return Double.NaN;
    }

    /** Send to the last event, in ms; NaN without events. */
    public double e2eMs() {
      return events.isEmpty() ? Double.NaN : (events.get(events.size() - 1).atNs() - sentNs) / 1e6;
    }

    public long endNs() {
      return events.isEmpty() ? sentNs : events.get(events.size() - 1).atNs();
    }

    /** Per generated token after the first: the gap before its event, shared by the tokens that event added. */
    public List<Double> interTokenMs() {
      List<Double> out = new ArrayList<>();
      Event prev = null;
      for (Event e : events) {
        if (e.tokensSoFar() == 0) continue;
        if (prev != null && e.tokensSoFar() > prev.tokensSoFar()) {
          long added = e.tokensSoFar() - prev.tokensSoFar();
          double each = (e.atNs() - prev.atNs()) / 1e6 / added;
          for (long i = 0; i < added; i++) out.add(each);
        }
        prev = e;
      }
      return out;
    }
  }

  /** A round's aggregate output tokens per second: all its tokens over the time from its first send to its last event. */
  public static double aggregateTokensPerS(List<Request> round) {
    long first = round.stream().mapToLong(Request::sentNs).min().orElseThrow();
    long last = round.stream().mapToLong(Request::endNs).max().orElseThrow();
    long tokens = round.stream().mapToLong(Request::tokens).sum();
    return last > first ? tokens / ((last - first) / 1e9) : Double.NaN;
  }

  /** The distributions of one concurrency level over all its rounds: median, p90 and p99 of each latency. */
  public record Summary(int requests, Estimate aggregateTokensPerS, List<Quantiles> ttftMs, List<Quantiles> interTokenMs, List<Quantiles> e2eMs) {}

  public static final double[] QUANTILES = {0.5, 0.9, 0.99};

  /**
   * The latency distributions of a server cell's requests: each of time to first token, inter-token latency
   * and end-to-end latency at {@link #QUANTILES}, each with its distribution-free interval.
   *
   * @param requests the requests they are over
   */
  public record Latency(int requests, List<Quantiles> ttftMs, List<Quantiles> interTokenMs, List<Quantiles> e2eMs) {
    public Latency {
      ttftMs = List.copyOf(ttftMs);
      interTokenMs = List.copyOf(interTokenMs);
      e2eMs = List.copyOf(e2eMs);
    }

    /** The quantile q of a list (one of {@link #QUANTILES}), or null. */
    public static Quantiles at(List<Quantiles> qs, double q) {
      return qs.stream().filter(x -> x.q() == q).findFirst().orElse(null);
    }
  }

  /** The latencies over every request of these rounds. */
  public static Latency latency(java.util.Collection<List<Request>> rounds) {
    Summary s = summarise(List.copyOf(rounds));
    return new Latency(s.requests(), s.ttftMs(), s.interTokenMs(), s.e2eMs());
  }

  /** Rounds of requests (each round sent at once) summarised: the aggregate t/s per round is the sample. */
  public static Summary summarise(List<List<Request>> rounds) {
    double[] perRound = rounds.stream().mapToDouble(StreamTimings::aggregateTokensPerS).toArray();
    List<Double> ttft = new ArrayList<>();
    List<Double> itl = new ArrayList<>();
    List<Double> e2e = new ArrayList<>();
    int requests = 0;
    for (List<Request> round : rounds) {
      for (Request r : round) {
        requests++;
        if (!Double.isNaN(r.ttftMs())) ttft.add(r.ttftMs());
        itl.addAll(r.interTokenMs());
        if (!Double.isNaN(r.e2eMs())) e2e.add(r.e2eMs());
      }
    }
    return new Summary(requests, Summaries.of(perRound), quantiles(ttft), quantiles(itl), quantiles(e2e));
  }

  private static List<Quantiles> quantiles(List<Double> values) {
    double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
    List<Quantiles> out = new ArrayList<>();
    for (double q : QUANTILES) out.add(Quantiles.of(v, q));
    return out;
  }
}
