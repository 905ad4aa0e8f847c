package dev.llamasweep.llamacpp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llamasweep.stats.StreamTimings;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A streamed llama-server /completion as the load generator records it, one JSON line per request:
 * {@code {"round": 1, "request": 0, "sent_ns": …, "status": 200, "lines": [{"t_ns": …, "line": "data: {…}"}, …]}}
 * — every line of the response with the generator's monotonic clock when it arrived. Each {@code data:}
 * event of llama-server's own format (tools/server: {@code tokens_predicted} counts the tokens so far,
 * the last event has {@code "stop": true} and the timings) becomes a {@link StreamTimings.Event}. A request
 * that answered an error, sent something that is not JSON, or ended before its last event is malformed,
 * with its line: never a shorter request.
 */
public final class ServerStream {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ServerStream() {}

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
      }
      if (!stopped) throw new BenchJsonl.MalformedOutput(where + ": the stream ended before its last event (no stop: true): the server dropped it.");
      try {
        out.add(new StreamTimings.Request(n.path("round").asInt(), sent, events));
      } catch (IllegalArgumentException e) {
        throw new BenchJsonl.MalformedOutput(where + ": " + e.getMessage() + ".");
      }
    }
    return out;
  }
}
