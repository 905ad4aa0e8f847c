package dev.llamasweep.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llamasweep.llamacpp.BenchJsonl;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A cell's rpc.jsonl: one line per rpc-server endpoint each time the cell's llama-bench ran (once, or once
 * per round), written before llama-bench connected: the endpoint, whether the harness started it, the
 * protocol version it answered, each device's memory, the device lines it printed (a server started here),
 * and the round trips of a command it answers at once. Its one codec.
 */
public final class RpcProbes {
  public static final String FILE = "rpc.jsonl";

  private RpcProbes() {}

  /**
   * One endpoint as probed.
   *
   * @param server the server's place in llama-bench's --rpc list (its devices are RPC&lt;n&gt; in that order)
   * @param started whether the harness started this server for the cell (else someone runs it)
   * @param freeBytes each device's free memory as the server reported it (what llama.cpp's default split divides by)
   * @param deviceLines "CPU: AMD EPYC (24105 MiB, 24105 MiB free)", as a server started here printed them
   * @param roundTripNanos each round trip of a one-word command, in order
   */
  public record Probe(int server, String endpoint, boolean started, String version, List<Long> freeBytes, List<Long> totalBytes,
      List<String> deviceLines, List<Long> roundTripNanos) {
    public Probe {
      freeBytes = List.copyOf(freeBytes);
      totalBytes = List.copyOf(totalBytes);
      deviceLines = List.copyOf(deviceLines);
      roundTripNanos = List.copyOf(roundTripNanos);
    }
  }

  public static String encode(Probe p) {
    ObjectNode n = RawStore.JSON.createObjectNode();
    n.put("server", p.server());
    n.put("endpoint", p.endpoint());
    n.put("started", p.started());
    n.put("version", p.version());
    ArrayNode devices = n.putArray("devices");
    for (int i = 0; i < p.freeBytes().size(); i++) {
      ObjectNode d = devices.addObject();
      d.put("index", i);
      d.put("free_bytes", p.freeBytes().get(i));
      d.put("total_bytes", p.totalBytes().get(i));
      if (i < p.deviceLines().size()) d.put("line", p.deviceLines().get(i));
    }
    ArrayNode rtt = n.putArray("round_trip_ns");
    p.roundTripNanos().forEach(rtt::add);
    try {
      return RawStore.JSON.writeValueAsString(n);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Every line of the file; a line that is not a probe is {@link BenchJsonl.MalformedOutput} naming the file and line. */
  public static List<Probe> parse(String text, String source) {
    List<Probe> out = new ArrayList<>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].isBlank()) continue;
      String where = source + ":" + (i + 1);
      JsonNode n;
      try {
        n = RawStore.JSON.readTree(lines[i]);
      } catch (IOException e) {
        throw new BenchJsonl.MalformedOutput(where + ": a line is not JSON");
      }
      if (n == null || !n.path("server").canConvertToInt() || n.path("server").asInt() < 0 || !n.path("endpoint").isTextual() || !n.path("devices").isArray() || !n.path("round_trip_ns").isArray()) {
        throw new BenchJsonl.MalformedOutput(where + ": a probe needs server, endpoint, devices and round_trip_ns");
      }
      List<Long> free = new ArrayList<>();
      List<Long> total = new ArrayList<>();
      List<String> lines2 = new ArrayList<>();
      for (JsonNode d : n.path("devices")) {
        if (!d.path("free_bytes").canConvertToLong() || !d.path("total_bytes").canConvertToLong() || d.path("free_bytes").asLong() < 0) {
          throw new BenchJsonl.MalformedOutput(where + ": field devices holds a device without free_bytes and total_bytes");
        }
        free.add(d.path("free_bytes").asLong());
        total.add(d.path("total_bytes").asLong());
        if (d.path("line").isTextual()) lines2.add(d.path("line").asText());
      }
      List<Long> rtt = new ArrayList<>();
      for (JsonNode r : n.path("round_trip_ns")) {
        if (!r.canConvertToLong() || r.asLong() <= 0) throw new BenchJsonl.MalformedOutput(where + ": field round_trip_ns holds " + r + ", not a positive count of ns");
        rtt.add(r.asLong());
      }
      out.add(new Probe(n.path("server").asInt(), n.path("endpoint").asText(), n.path("started").asBoolean(), n.path("version").asText(""), free, total, lines2, rtt));
    }
    return out;
  }
}
