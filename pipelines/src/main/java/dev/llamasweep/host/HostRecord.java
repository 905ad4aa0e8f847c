package dev.llamasweep.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llamasweep.io.AtomicFiles;
import dev.llamasweep.build.BuildRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** data/&lt;spec&gt;/host.json: the host facts with evidence, the peak and how it was found, and each backend's devices. */
public record HostRecord(List<Fact> facts, Double peakGBs, String peakHow, Map<String, BackendDevices> backends, HostIdentity identity,
    Map<String, BuildRecord> builds, String problem) {
  public HostRecord(List<Fact> facts, Double peakGBs, String peakHow, Map<String, BackendDevices> backends) {
    this(facts, peakGBs, peakHow, backends, null, Map.of(), null);
  }

  public HostRecord(List<Fact> facts, Double peakGBs, String peakHow, Map<String, BackendDevices> backends, HostIdentity identity) {
    this(facts, peakGBs, peakHow, backends, identity, Map.of(), null);
  }

  public HostRecord(List<Fact> facts, Double peakGBs, String peakHow, Map<String, BackendDevices> backends, HostIdentity identity,
      Map<String, BuildRecord> builds) {
    this(facts, peakGBs, peakHow, backends, identity, builds, null);
  }

  /**
   * A host.json that is there but cannot be read (empty, cut, not JSON, a link to nothing): no fact is
   * known, and {@link #problem} says why, so every figure that needs a fact can say so instead of
   * falling back to another wall.
   */
  public static HostRecord unreadable(String why) {
    return new HostRecord(List.of(), null, "unknown: " + why, Map.of(), null, Map.of(), why);
  }

  /** Whether the facts were read (false for {@link #unreadable}). */
  public boolean readable() {
    return problem == null;
  }

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public void write(Path file) {
    ObjectNode root = JSON.createObjectNode();
    if (identity != null) {
      ObjectNode h = root.putObject("host");
      h.put("id", identity.id());
      h.put("label", identity.label());
      h.put("basis", identity.basis());
    }
    ArrayNode fs = root.putArray("facts");
    for (Fact f : facts) {
      ObjectNode n = fs.addObject();
      n.put("name", f.name());
      if (f.isKnown()) n.put("value", f.value()); else n.put("unknown", f.unknownBecause());
      n.put("source", f.source());
      if (f.raw() != null) n.put("raw", f.raw());
      if (f.number() != null) {
        n.put("number", f.number());
        n.put("unit", f.unit());
      }
    }
    if (peakGBs != null) root.put("peak_gb_s", peakGBs); else root.putNull("peak_gb_s");
    root.put("peak_how", peakHow);
    ObjectNode bs = root.putObject("backends");
    backends.forEach((name, b) -> {
      ObjectNode n = bs.putObject(name);
      n.put("command", b.command());
      if (b.output() != null) n.put("output", b.output());
      n.set("devices", JSON.valueToTree(b.devices()));
      n.put("gpu_intended", b.gpuIntended());
      if (b.flag() != null) n.put("flag", b.flag());
      BuildRecord build = builds.get(name);
      if (build != null) n.set("build", build.toJson());
    });
    AtomicFiles.write(file, w -> w.write(JSON.writeValueAsString(root)));
  }

  /** The fact naming the last-level cache cpu0 sees; its number is in bytes. */
  public static final String LAST_LEVEL_CACHE = "last_level_cache";

  /**
   * host.json, or null where the dataset has none (an ingested one: its wall is given); a file that is
   * there but cannot be read is {@link #unreadable} with the sentence why.
   */
  public static HostRecord read(Path file) {
    if (!dev.llamasweep.io.InputFiles.present(file)) return null;
    try {
      // the reading rule's own JSON reader: empty, cut or not JSON is its sentence, with the line
      JsonNode root = dev.llamasweep.io.InputFiles.json(file, dev.llamasweep.io.InputFiles.Kind.RECORD);
      if (!root.isObject() || (!root.has("facts") && !root.has("host"))) {
        return unreadable(file + " is not a host record (no facts in it)");
      }
      List<Fact> facts = new ArrayList<>();
      for (JsonNode n : root.path("facts")) {
        String name = n.path("name").asText();
        String value = n.hasNonNull("value") ? n.get("value").asText() : null;
        Double number = n.hasNonNull("number") ? n.get("number").asDouble() : null;
        String unit = n.hasNonNull("unit") ? n.get("unit").asText() : null;
        if (number == null && value != null && name.equals(LAST_LEVEL_CACHE)) {
          // a host.json written before facts kept their numbers holds the size only in its text: "32 MiB (L3, …)"
          java.util.regex.Matcher m = java.util.regex.Pattern.compile("^(\\d+) MiB").matcher(value);
          if (m.find()) {
            number = (double) (Long.parseLong(m.group(1)) << 20);
            unit = "bytes";
          }
        }
        facts.add(new Fact(name, value, n.path("source").asText(), n.hasNonNull("raw") ? n.get("raw").asText() : null,
            n.hasNonNull("unknown") ? n.get("unknown").asText() : null, number, unit));
      }
      Map<String, BackendDevices> backends = new LinkedHashMap<>();
      Map<String, BuildRecord> builds = new LinkedHashMap<>();
      root.path("backends").fields().forEachRemaining(e -> {
        JsonNode n = e.getValue();
        if (n.hasNonNull("build")) builds.put(e.getKey(), BuildRecord.fromJson(n.get("build")));
        List<String> devices = new ArrayList<>();
        n.path("devices").forEach(d -> devices.add(d.asText()));
        backends.put(e.getKey(), new BackendDevices(e.getKey(), n.path("command").asText(), n.path("output").asText(null), devices,
            n.path("gpu_intended").asBoolean(), n.hasNonNull("flag") ? n.get("flag").asText() : null));
      });
      return new HostRecord(facts, root.hasNonNull("peak_gb_s") ? root.get("peak_gb_s").asDouble() : null,
          root.path("peak_how").asText(""), backends, root.has("host")
              ? new HostIdentity(root.path("host").path("id").asText(), root.path("host").path("label").asText(), root.path("host").path("basis").asText())
              : null, builds);
    } catch (dev.llamasweep.io.InputFiles.Unreadable e) {
      return unreadable(e.getMessage().replaceAll("\\.$", ""));
    } catch (RuntimeException e) {
      return unreadable(file + " is not a host record (" + e.getMessage() + ")");
    }
  }
}
