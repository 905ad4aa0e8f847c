package dev.llamasweep.llamacpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llamasweep.stats.StreamTimings;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * llama-server's stream as the load generator records it, and each way a stream can be broken. The real
 * recording (resources/llamacpp/server-stream-np2-target.jsonl): the pinned llama-server with the synthetic
 * target, {@code -np 2 -c 1024 -t 2}, two concurrent streamed /completion requests of 12 tokens (greedy,
 * seed 42, no prompt cache) on a 2-core VM, each line timed on arrival with a monotonic clock.
 */
class ServerStreamTest {
  static String request(int round, long sent, String... lines) {
    StringBuilder sb = new StringBuilder("{\"round\": " + round + ", \"request\": 0, \"sent_ns\": " + sent + ", \"status\": 200, \"lines\": [");
    for (int i = 0; i < lines.length; i += 2) {
      if (i > 0) sb.append(", ");
      sb.append("{\"t_ns\": ").append(lines[i]).append(", \"line\": ").append(lines[i + 1]).append('}');
    }
    return sb.append("]}").toString();
  }

  static String data(String json) {
    return "\"data: " + json.replace("\"", "\\\"") + "\"";
  }

  @Test
  void eventsCountTokensAndTheLastOneStops() {
    String r = request(2, 1000, "5000", data("{\"content\":\"a\",\"tokens\":[1],\"stop\":false,\"tokens_predicted\":1}"), "6000", "\"\"",
        "9000", data("{\"content\":\"bc\",\"tokens\":[2,3],\"stop\":false,\"tokens_predicted\":3}"),
        "9500", data("{\"content\":\"\",\"stop\":true,\"tokens_predicted\":3,\"timings\":{\"predicted_n\":3}}"));
    List<StreamTimings.Request> parsed = ServerStream.parse(r, "stdout.jsonl");
    assertEquals(1, parsed.size());
    StreamTimings.Request q = parsed.get(0);
    assertEquals(2, q.round());
    assertEquals(List.of(new StreamTimings.Event(5000, 1), new StreamTimings.Event(9000, 3), new StreamTimings.Event(9500, 3)), q.events());
    assertEquals(0.004, q.ttftMs(), 1e-12);
  }

  @Test
  void aBrokenStreamIsMalformedWithItsLineNeverAShorterRequest() {
    String dropped = request(1, 0, "5", data("{\"stop\":false,\"tokens_predicted\":1}"));
    var e = assertThrows(BenchJsonl.MalformedOutput.class, () -> ServerStream.parse(dropped, "out.jsonl"));
    assertEquals("out.jsonl:1: the stream ended before its last event (no stop: true): the server dropped it.", e.getMessage());
    String garbage = request(1, 0, "5", "\"data: {not json\"");
    e = assertThrows(BenchJsonl.MalformedOutput.class, () -> ServerStream.parse(garbage, "out.jsonl"));
    assertTrue(e.getMessage().startsWith("out.jsonl:1: an event is not JSON"), e.getMessage());
    String error = request(1, 0, "5", data("{\"error\":{\"code\":500,\"message\":\"slot unavailable\"}}"));
    e = assertThrows(BenchJsonl.MalformedOutput.class, () -> ServerStream.parse(error, "out.jsonl"));
    assertEquals("out.jsonl:1: llama-server sent an error: slot unavailable.", e.getMessage());
    String http = "{\"round\": 1, \"sent_ns\": 0, \"status\": 503, \"lines\": []}";
    e = assertThrows(BenchJsonl.MalformedOutput.class, () -> ServerStream.parse(http, "out.jsonl"));
    assertEquals("out.jsonl:1: the request was answered HTTP 503, not 200.", e.getMessage());
    String backwards = request(1, 0, "9", data("{\"stop\":false,\"tokens_predicted\":2}"), "10", data("{\"stop\":true,\"tokens_predicted\":1}"));
    e = assertThrows(BenchJsonl.MalformedOutput.class, () -> ServerStream.parse(backwards, "out.jsonl"));
    assertEquals("out.jsonl:1: tokens so far cannot fall: 2 then 1.", e.getMessage());
  }

  @Test
  void aRecordedRealStreamOfTwoConcurrentRequests() throws Exception {
    // the pinned llama-server (-np 2) answering two streamed /completion requests of 12 tokens at once
    String text = java.nio.file.Files.readString(java.nio.file.Path.of("pipelines/src/test/resources/llamacpp/server-stream-np2-target.jsonl"));
    List<StreamTimings.Request> r = ServerStream.parse(text, "server-stream.jsonl");
    assertEquals(2, r.size());
    assertEquals(13, r.get(0).events().size(), "12 token events and the final one (stop: true, tokens_predicted 12)");
    assertEquals(12, r.get(0).tokens());
    assertEquals(90.015083, r.get(0).ttftMs(), 1e-6);
    assertEquals(46.966989, r.get(1).ttftMs(), 1e-6);
    assertEquals(190.985898, r.get(0).e2eMs(), 1e-6);
    assertEquals(11, r.get(0).interTokenMs().size(), "one gap per token after the first");
    // 24 tokens from the first send to the last event
    assertEquals(125.66372832406716, StreamTimings.aggregateTokensPerS(r), 1e-6);
  }

  static final java.nio.file.Path RECORDED = java.nio.file.Path.of("pipelines/src/test/resources/llamacpp/server-stream-np2-target.jsonl");

  @Test
  void aRoundsSampleIsAllItsTokensFromTheFirstSendToTheLastEvent() throws Exception {
    String text = java.nio.file.Files.readString(RECORDED);
    BenchRecord r = ServerStream.record(text, "rec.jsonl", new ServerStream.Load(2, 12, 1), 1000, "b1-80fb11a");
    // first send 23864954151870 ns, last event 23865145137768 ns: 24 tokens in 0.190985898 s
    assertEquals(List.of(24 / 0.190985898), r.samplesTs());
    assertEquals(List.of(190985898L), r.samplesNs());
    assertEquals("pp13+tg12 @ c2", r.test());
    assertEquals(TestShape.Kind.SERVER, r.kind());
    assertEquals("80fb11a", r.buildCommit());
    assertEquals(1, r.buildNumber());
  }

  @Test
  void aRunThatIsNotTheLoadAskedForIsMalformed() throws Exception {
    String text = java.nio.file.Files.readString(RECORDED);
    var e = assertThrows(BenchJsonl.MalformedOutput.class, () -> ServerStream.record(text, "rec.jsonl", new ServerStream.Load(4, 12, 1), 0, ""));
    assertEquals("rec.jsonl: round 1 holds 2 requests, not the 4 sent at once.", e.getMessage());
    e = assertThrows(BenchJsonl.MalformedOutput.class, () -> ServerStream.record(text, "rec.jsonl", new ServerStream.Load(2, 12, 2), 0, ""));
    assertEquals("rec.jsonl: round 2 holds 0 requests, not the 2 sent at once.", e.getMessage());
    e = assertThrows(BenchJsonl.MalformedOutput.class, () -> ServerStream.record(text, "rec.jsonl", new ServerStream.Load(2, 16, 1), 0, ""));
    assertEquals("rec.jsonl: a request of round 1 generated 12 tokens, not the 16 asked for.", e.getMessage());
  }

  @Test
  void theWarmUpRoundIsKeptButNeverASampleAndEncodeIsWhatParseReads() {
    ServerStream.Recorded warm = new ServerStream.Recorded(ServerStream.WARM_UP_ROUND, 0, 0, 200,
        List.of(new ServerStream.Line(5, "data: {\"stop\":true,\"tokens_predicted\":1}")));
    ServerStream.Recorded one = new ServerStream.Recorded(1, 0, 1000, 200,
        List.of(new ServerStream.Line(1500, "data: {\"stop\":false,\"tokens_predicted\":1,\"tokens_evaluated\":3}"), new ServerStream.Line(1501, ""),
            new ServerStream.Line(3000, "data: {\"stop\":true,\"tokens_predicted\":1,\"tokens_evaluated\":3}")));
    String text = ServerStream.encode(warm) + "\n" + ServerStream.encode(one) + "\n";
    List<StreamTimings.Request> parsed = ServerStream.parse(text, "x");
    assertEquals(2, parsed.size());
    assertEquals(new StreamTimings.Request(1, 1000, List.of(new StreamTimings.Event(1500, 1), new StreamTimings.Event(3000, 1)), 3), parsed.get(1));
    BenchRecord r = ServerStream.record(text, "x", new ServerStream.Load(1, 1, 1), 0, "");
    assertEquals(List.of(1 / 2e-6), r.samplesTs(), "one token from 1000 ns to 3000 ns; the warm-up round is not a sample");
  }
}
