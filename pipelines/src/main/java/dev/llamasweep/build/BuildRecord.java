package dev.llamasweep.build;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llamasweep.spec.BuildOptions;
import dev.llamasweep.spec.CpuFeature;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * What a backend built from the pinned source really is: the options asked for and the ones it was
 * built with (they differ when a crashing CPU feature was routed around, and {@code turnedOff} says
 * why, with the evidence), llama.cpp's own system info line, and the self-test it passed or failed.
 * Kept in host.json beside the backend's devices, shown in the report's backends table.
 */
public record BuildRecord(String kind, BuildOptions requested, BuildOptions used, String dir, String systemInfo,
    SelfTest.Result selfTest, List<String> turnedOff, Release release) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A record from before llama.cpp versions were an axis: the pinned release built it. */
  public BuildRecord(String kind, BuildOptions requested, BuildOptions used, String dir, String systemInfo, SelfTest.Result selfTest,
      List<String> turnedOff) {
    this(kind, requested, used, dir, systemInfo, selfTest, turnedOff, Release.PINNED);
  }

  public boolean routed() {
    return !turnedOff.isEmpty();
  }

  /** The CPU features llama.cpp reports as on ("AVX2 AVX512 AMX_INT8 …", the "= 1" entries of its CPU line), or null when unknown. */
  public String cpuFeatures() {
    if (systemInfo == null) return null;
    int cpu = systemInfo.indexOf("CPU :");
    if (cpu < 0) return null;
    String line = systemInfo.substring(cpu + 5);
    int end = line.indexOf(" : ");
    if (end > 0) line = line.substring(0, line.lastIndexOf('|', end) + 1);
    List<String> on = new ArrayList<>();
    for (String part : line.split("\\|")) {
      String[] kv = part.split("=");
      if (kv.length == 2 && kv[1].strip().equals("1")) on.add(kv[0].strip());
    }
    return String.join(" ", on);
  }

  public ObjectNode toJson() {
    ObjectNode n = JSON.createObjectNode();
    n.put("kind", kind).put("dir", dir);
    n.set("requested", options(requested));
    n.set("used", options(used));
    if (systemInfo != null) n.put("system_info", systemInfo);
    n.put("self_test", selfTest.summary());
    n.set("self_test_runs", SelfTest.toJson(selfTest));
    n.set("turned_off", JSON.valueToTree(turnedOff));
    n.set("llama_cpp", release.toJson());
    return n;
  }

  public static BuildRecord fromJson(JsonNode n) {
    List<SelfTest.Probe> probes = new ArrayList<>();
    n.path("self_test_runs").forEach(p -> probes.add(SelfTest.probeOf(p)));
    return new BuildRecord(n.path("kind").asText(), options(n.path("requested")), options(n.path("used")), n.path("dir").asText(),
        n.hasNonNull("system_info") ? n.get("system_info").asText() : null, new SelfTest.Result(probes), SelfTest.strings(n.path("turned_off")),
        n.has("llama_cpp") ? Release.fromJson(n.get("llama_cpp")) : Release.PINNED);
  }

  private static ObjectNode options(BuildOptions o) {
    ObjectNode n = JSON.createObjectNode();
    n.set("features_off", JSON.valueToTree(o.sortedOff().stream().map(f -> f.key).toList()));
    n.set("cmake", JSON.valueToTree(o.cmake()));
    n.set("kept_on", JSON.valueToTree(java.util.Arrays.stream(CpuFeature.values()).filter(o.keptOn()::contains).map(f -> f.key).toList()));
    return n;
  }

  private static BuildOptions options(JsonNode n) {
    Set<CpuFeature> off = EnumSet.noneOf(CpuFeature.class);
    n.path("features_off").forEach(f -> CpuFeature.byKey(f.asText()).ifPresent(off::add));
    Set<CpuFeature> on = EnumSet.noneOf(CpuFeature.class);
    n.path("kept_on").forEach(f -> CpuFeature.byKey(f.asText()).ifPresent(on::add));
    return new BuildOptions(off, SelfTest.strings(n.path("cmake")), on);
  }
}
