package dev.llamasweep.llamacpp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llamasweep.stats.StreamTimings;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A streamed llama-server /completion as the load generator records it, one JSON line per request:
 * {@code {"round": 1, "request": 0, "sent_ns": …, "status": 200, "lines": [{"t_ns": …, "line": "data: {…}"}, …]}}
 * — every line of the response with the generator's monotonic clock when it arrived. Each {@code data:}
 * event of llama-server's own format (tools/server: {@code tokens_predicted} counts the tokens so far,
 * the last event has {@code "stop": true} and the timings) becomes a {@link StreamTimings.Event}. A request
 * that answered an error, sent something that is not JSON, or ended before its last event is malformed,
 * with its line: never a shorter request. This class is the file's one codec: {@link #encode} writes a
 * line, {@link #parse} reads it.
 */
public final class ServerStream {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The round sent first to warm the server's slots up; kept in the raw output, never a sample. */
  public static final int WARM_UP_ROUND = 0;

  private ServerStream() {}

  /** One line of a response body and when it arrived (ns on the generator's monotonic clock). */
  public record Line(long tNs, String text) {}

  /** One request as sent and answered: its round, its index in the round, when it went out, the HTTP status, every line. */
  public record Recorded(int round, int request, long sentNs, int status, List<Line> lines) {
    public Recorded {
      lines = List.copyOf(lines);
    }
  }

  /** The raw output's line for one request (no line break). */
  public static String encode(Recorded r) {
    ObjectNode n = JSON.createObjectNode();
    n.put("round", r.round());
    n.put("request", r.request());
    n.put("sent_ns", r.sentNs());
    n.put("status", r.status());
    ArrayNode lines = n.putArray("lines");
    for (Line l : r.lines()) lines.addObject().put("t_ns", l.tNs()).put("line", l.text());
    try {
      return JSON.writeValueAsString(n);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static List<StreamTimings.Request> parse(String text, String source) {
    List<StreamTimings.Request> out = new ArrayList<>();
    for (BenchJsonl.Line l : BenchJsonl.lines(text, source, s -> s)) {
      JsonNode n = l.json();
      String where = l.where();
      if (n.path("status").asInt(0) != 200) {
        throw new BenchJsonl.MalformedOutput(where + ": the request was answered HTTP " + n.path("status").asText("?") + ", not 200.");
      }
      long sent = n.path("sent_ns").asLong(Long.MIN_VALUE);
      if (sent == Long.MIN_VALUE) throw new BenchJsonl.MalformedOutput(where + ": the field sent_ns is missing.");
      List<StreamTimings.Event> events = new ArrayList<>();
      boolean stopped = false;
      long prompt = 0;
      for (JsonNode line : n.path("lines")) {
        String text1 = line.path("line").asText("");
        if (!text1.startsWith("data: ")) continue;
        JsonNode event;
        try {
          event = JSON.readTree(text1.substring(6));
        } catch (IOException e) {
          throw new BenchJsonl.MalformedOutput(where + ": an event is not JSON: " + dev.llamasweep.io.Text.shown(text1) + ".");
        }
        if (event == null || !event.isObject()) throw new BenchJsonl.MalformedOutput(where + ": an event is not a JSON object.");
        if (event.has("error")) {
          throw new BenchJsonl.MalformedOutput(where + ": llama-server sent an error: " + event.get("error").path("message").asText(event.get("error").toString()) + ".");
        }
        if (stopped) throw new BenchJsonl.MalformedOutput(where + ": an event came after the last one (stop: true).");
        JsonNode predicted = event.get("tokens_predicted");
        if (predicted == null || !predicted.canConvertToLong()) throw new BenchJsonl.MalformedOutput(where + ": an event has no tokens_predicted.");
        events.add(new StreamTimings.Event(line.path("t_ns").asLong(), predicted.asLong()));
        stopped = event.path("stop").asBoolean(false);
        if (event.path("tokens_evaluated").canConvertToLong()) prompt = event.path("tokens_evaluated").asLong();
      }
      if (!stopped) throw new BenchJsonl.MalformedOutput(where + ": the stream ended before its last event (no stop: true): the server dropped it.");
      try {
        out.add(new StreamTimings.Request(n.path("round").asInt(), sent, events, prompt));
      } catch (IllegalArgumentException e) {
        throw new BenchJsonl.MalformedOutput(where + ": " + e.getMessage() + ".");
      }
    }
    return out;
  }

  /** What a server cell asked for: N requests at once, each generating {@code generate} tokens, in {@code rounds} rounds after the warm-up. */
  public record Load(long concurrency, long generate, long rounds) {
    /** What a server cell's parameters ask for. */
    public static Load of(dev.llamasweep.spec.Params p) {
      return new Load(p.concurrency(), p.generate(), p.repetitions());
    }
  }

  /**
   * A server cell's raw output, checked against what it asked for, as its rounds (warm-up set aside): every
   * round 1..R with exactly N requests, each of exactly the tokens asked for; anything else is malformed.
   */
  public static Map<Integer, List<StreamTimings.Request>> rounds(String text, String source, Load load) {
    Map<Integer, List<StreamTimings.Request>> rounds = new TreeMap<>();
    for (StreamTimings.Request r : parse(text, source)) {
      if (r.round() == WARM_UP_ROUND) continue;
      if (r.round() < 1 || r.round() > load.rounds()) {
        throw new BenchJsonl.MalformedOutput(source + ": holds round " + r.round() + ", not one of the 1 to " + load.rounds() + " asked for.");
      }
      if (r.tokens() != load.generate()) {
        throw new BenchJsonl.MalformedOutput(source + ": a request of round " + r.round() + " generated " + r.tokens() + " tokens, not the "
            + load.generate() + " asked for.");
      }
      rounds.computeIfAbsent(r.round(), k -> new ArrayList<>()).add(r);
    }
    for (int i = 1; i <= load.rounds(); i++) {
      int n = rounds.getOrDefault(i, List.of()).size();
      if (n != load.concurrency()) {
        throw new BenchJsonl.MalformedOutput(source + ": round " + i + " holds " + n + " requests, not the " + load.concurrency() + " sent at once.");
      }
    }
    return rounds;
  }

  /**
   * The cell's record: one sample per round, the round's aggregate output tokens per second (all its tokens
   * from its first send to its last event), its shape the prompt and generated tokens of each of N requests.
   *
   * @param build llama-server's build_info, e.g. "b1-80fb11a"
   */
  public static BenchRecord record(String text, String source, Load load, long modelBytes, String build) {
    Map<Integer, List<StreamTimings.Request>> rounds = rounds(text, source, load);
    List<Long> ns = new ArrayList<>();
    List<Double> ts = new ArrayList<>();
    long prompt = 0;
    for (List<StreamTimings.Request> round : rounds.values()) {
      long first = round.stream().mapToLong(StreamTimings.Request::sentNs).min().orElseThrow();
      long last = round.stream().mapToLong(StreamTimings.Request::endNs).max().orElseThrow();
      double t = StreamTimings.aggregateTokensPerS(round);
      if (!(t > 0) || Double.isInfinite(t)) throw new BenchJsonl.MalformedOutput(source + ": a round took no time, so it has no throughput.");
      ns.add(last - first);
      ts.add(t);
      prompt = round.get(0).promptTokens();
    }
    ServerCompletion.Build b = ServerCompletion.build(build);
    return new BenchRecord(b.commit(), b.number(), "", "", "", "", modelBytes, 0, -1, -1, "", "", prompt, load.generate(), 0, "",
        List.copyOf(ns), List.copyOf(ts), List.of(), List.of(), "f16", "f16", -1, Double.NaN, 0, load.concurrency());
  }
}
