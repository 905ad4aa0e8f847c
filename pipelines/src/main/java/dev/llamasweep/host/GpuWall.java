package dev.llamasweep.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llamasweep.io.AtomicFiles;
import dev.llamasweep.io.Processes;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An NVIDIA GPU's memory walls, with the evidence for each figure. nvidia-smi gives the name,
 * memory, maximum memory clock, power limit, driver, compute capability and PCIe link, but no
 * memory bus width; the CUDA runtime does ({@code cudaDevAttrGlobalMemoryBusWidth}, with the memory
 * clock), through a tiny probe built with the toolkit's nvcc that also measures what a read kernel
 * gets. Theoretical wall = memory clock × 2 (double data rate) × bus width / 8: an H100 80GB HBM3 is
 * 2619 MHz × 2 × 5120 bit / 8 = 3352.3 GB/s. Kept in data/&lt;spec&gt;/walls/cuda&lt;i&gt;/ like the system RAM's wall.
 */
public final class GpuWall {
  private static final ObjectMapper JSON = new ObjectMapper();
  public static final String NVIDIA_QUERY = "name,memory.total,clocks.max.memory,clocks.max.sm,power.limit,driver_version,compute_cap,"
      + "pcie.link.gen.max,pcie.link.width.max";

  private GpuWall() {}

  /** One GPU's wall: the theoretical one with its arithmetic, the measured one, and the facts behind them. */
  /** The probe's facts of reads by size: launched one kernel at a time, and captured in a CUDA graph. */
  static final String STREAM_READ = "CUDA runtime read_gb_s_at_";
  static final String GRAPH_READ = "CUDA runtime read_graph_gb_s_at_";

  public record Wall(String memory, String name, Integer busWidthBits, Double memoryClockMhz, Double theoreticalGBs, String theoreticalHow,
      Double readGBs, String readHow, Map<String, String> facts, String unknownBecause) {
    /**
     * What reads of a buffer this size reach: the graph-launched reads at the models' own matrix sizes
     * (exact at a measured size) where the probe made them, else the stream-launched reads by size,
     * interpolated; null when not measured.
     */
    public Double readAt(double bytes) {
      java.util.TreeMap<Long, Double> graph = bySize(GRAPH_READ);
      return MemoryWall.interpolate(graph.isEmpty() ? bySize(STREAM_READ) : graph, bytes);
    }

    /** Whether reads at this size were graph-launched at exactly this size (not interpolated). */
    public boolean graphMeasuredAt(long bytes) {
      return bySize(GRAPH_READ).containsKey(bytes & ~15L);
    }

    /** The sizes the graph-launched reads were made at. */
    public java.util.Set<Long> graphSizes() {
      return bySize(GRAPH_READ).keySet();
    }

    private java.util.TreeMap<Long, Double> bySize(String prefix) {
      java.util.TreeMap<Long, Double> bySize = new java.util.TreeMap<>();
      facts.forEach((k, v) -> {
        if (k.startsWith(prefix) && number(v) != null) bySize.put(Long.parseLong(k.substring(prefix.length())), number(v));
      });
      return bySize;
    }
  }

  /** nvidia-smi's --query-gpu CSV (with its header line) as one map per GPU: field → value without units ("2619 MHz" → "2619 MHz" kept). */
  public static List<Map<String, String>> parseQuery(String csv) {
    List<Map<String, String>> out = new ArrayList<>();
    List<String> lines = csv.lines().filter(l -> !l.isBlank()).toList();
    if (lines.isEmpty()) return out;
    String[] header = lines.get(0).split(",\\s*");
    for (int i = 0; i < header.length; i++) header[i] = header[i].replaceAll("\\s*\\[.*]$", "").trim();
    for (String l : lines.subList(1, lines.size())) {
      String[] v = l.split(",\\s*");
      Map<String, String> m = new LinkedHashMap<>();
      for (int i = 0; i < header.length && i < v.length; i++) m.put(header[i], v[i].trim());
      out.add(m);
    }
    return out;
  }

  /** The number in "2619 MHz" / "700.00 W" / "81559 MiB"; null for "[N/A]" and the like. */
  public static Double number(String v) {
    if (v == null) return null;
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("^([0-9]+(?:\\.[0-9]+)?)").matcher(v.trim());
    return m.find() ? Double.parseDouble(m.group(1)) : null;
  }

  /** The probe's "key value" lines. */
  public static Map<String, String> parseProbe(String out) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String l : out.split("\\R")) {
      int sp = l.indexOf(' ');
      if (sp > 0) m.put(l.substring(0, sp), l.substring(sp + 1).trim());
    }
    return m;
  }

  /** The wall from nvidia-smi's row and the probe's output (either may be null); pure, for tests. */
  public static Wall of(int index, Map<String, String> smi, Map<String, String> probe, String probeCommand) {
    Map<String, String> facts = new LinkedHashMap<>();
    if (smi != null) smi.forEach((k, v) -> facts.put("nvidia-smi " + k, v));
    if (probe != null) probe.forEach((k, v) -> facts.put("CUDA runtime " + k, v));
    String name = probe != null && probe.containsKey("name") ? probe.get("name") : smi != null ? smi.get("name") : "GPU " + index;
    Integer bus = probe != null && number(probe.get("bus_width_bits")) != null ? number(probe.get("bus_width_bits")).intValue() : null;
    Double clockMhz = probe != null && number(probe.get("memory_clock_khz")) != null ? number(probe.get("memory_clock_khz")) / 1000.0 : null;
    String clockSource = "CUDA runtime cudaDevAttrMemoryClockRate";
    if (clockMhz == null && smi != null && number(smi.get("clocks.max.memory")) != null) {
      clockMhz = number(smi.get("clocks.max.memory"));
      clockSource = "nvidia-smi clocks.max.memory";
    }
    Double theoretical = null;
    String how = null;
    String unknown = null;
    if (bus != null && clockMhz != null && bus > 0 && clockMhz > 0) {
      theoretical = dev.llamasweep.stats.Bandwidth.peakGBs(clockMhz * 2, bus);
      how = String.format(Locale.ROOT, "%s MHz × 2 × %d bit / 8 = **%.1f GB/s** (memory clock: %s; bus width: CUDA runtime "
          + "cudaDevAttrGlobalMemoryBusWidth)", trim(clockMhz), bus, theoretical, clockSource);
    } else {
      unknown = bus == null ? "the memory bus width is unknown (nvidia-smi does not report it; the CUDA probe did not run)" : "the memory clock is unknown";
    }
    Double read = probe != null ? number(probe.get("read_best_gb_s")) : null;
    String readHow = read == null ? null : String.format(Locale.ROOT, "read kernel of `%s` over %s MiB, best of %s", probeCommand,
        number(probe.get("read_bytes")) == null ? "?" : String.valueOf((long) (number(probe.get("read_bytes")) / 1048576)), probe.get("runs"));
    return new Wall("cuda" + index, name, bus, clockMhz, theoretical, how, read, readHow, facts, unknown);
  }

  private static String trim(double v) {
    return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
  }

  /**
   * Measures every NVIDIA GPU once per host (nvidia-smi, then the probe built with nvcc into the
   * cache) into data/&lt;spec&gt;/walls/cuda&lt;i&gt;/; nothing when nvidia-smi is absent.
   */
  public static List<Wall> ensure(Path dataDir, Path cache, boolean force, PrintStream progress) {
    return ensure(dataDir, cache, force, progress, java.util.Set.of());
  }

  /**
   * @param matrixBytes the models' own weight-matrix sizes (each model's typical matrix), read graph-launched
   *     at exactly those sizes; a kept measurement that lacks one is measured again
   */
  public static List<Wall> ensure(Path dataDir, Path cache, boolean force, PrintStream progress, java.util.Set<Long> matrixBytes) {
    java.util.SortedSet<Long> sizes = new java.util.TreeSet<>();
    for (long b : matrixBytes) if (b >= 4096) sizes.add(b & ~15L);
    List<Wall> out = new ArrayList<>();
    Processes.Captured q = Processes.captureWithExit(List.of("nvidia-smi", "--query-gpu=" + NVIDIA_QUERY, "--format=csv"), null, 30);
    if (q == null || q.exit() != 0) return out;
    List<Map<String, String>> gpus = parseQuery(q.output());
    Path exe = null;
    String why = null;
    try {
      exe = compile(cache);
    } catch (RuntimeException e) {
      why = e.getMessage();
    }
    for (int i = 0; i < gpus.size(); i++) {
      Path dir = dataDir.resolve("walls").resolve("cuda" + i);
      Wall old = read(dir);
      if (!force && old != null && old.readGBs() != null && old.readAt(1 << 20) != null && old.graphSizes().containsAll(sizes)
          && String.valueOf(old.facts().get("nvidia-smi name")).equals(gpus.get(i).get("name"))) {
        out.add(old);
        continue;
      }
      Map<String, String> probe = null;
      List<String> argv = new ArrayList<>(List.of(exe == null ? "gpuprobe" : exe.toString(), String.valueOf(i), "20"));
      for (long b : sizes) argv.add(String.valueOf(b));
      String command = exe == null ? "" : String.join(" ", argv);
      String output = "";
      if (exe != null) {
        progress.println("llama-sweep: measuring what GPU " + i + " (" + gpus.get(i).get("name") + ") memory delivers (CUDA read kernel, best of 20"
            + (sizes.isEmpty() ? "" : "; and graph-launched at the models' matrix sizes " + sizes) + ")");
        Processes.Captured c = Processes.captureWithExit(argv, null, 120);
        output = c == null ? "" : c.output();
        if (c != null && c.exit() == 0) probe = parseProbe(c.output());
        else why = c == null ? "the GPU probe did not finish within 120 s" : "the GPU probe failed: " + c.output().strip();
      }
      Wall w = of(i, gpus.get(i), probe, command);
      if (w.theoreticalGBs() == null && why != null) w = new Wall(w.memory(), w.name(), w.busWidthBits(), w.memoryClockMhz(), null, null,
          w.readGBs(), w.readHow(), w.facts(), w.unknownBecause() + ": " + why);
      write(dir, w, command, output, q.output());
      out.add(w);
    }
    return out;
  }

  static Path compile(Path cache) {
    byte[] src;
    try (InputStream in = GpuWall.class.getResourceAsStream("/host/gpuprobe.cu")) {
      src = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String nvcc = Processes.capture(List.of("sh", "-c", "command -v nvcc || ls /usr/local/cuda/bin/nvcc"), null, 10);
    if (nvcc == null || nvcc.isBlank()) throw new IllegalStateException("no nvcc to build the GPU probe");
    nvcc = nvcc.lines().findFirst().orElse("nvcc").trim();
    String cc = nvcc;
    // an older nvcc without -arch=native: its default architecture, JIT-compiled by the driver
    return HelperPrograms.build(cache, "gpuprobe", ".cu", src, nvcc, "the GPU probe", List.of(
        (tmp, source) -> List.of(cc, "-O3", "-arch=native", "-o", tmp.toString(), source.toString()),
        (tmp, source) -> List.of(cc, "-O3", "-o", tmp.toString(), source.toString())), 300);
  }

  static void write(Path dir, Wall w, String command, String probeOutput, String smiOutput) {
    ObjectNode n = JSON.createObjectNode();
    n.put("memory", w.memory());
    n.put("name", w.name());
    if (w.busWidthBits() != null) n.put("bus_width_bits", w.busWidthBits());
    if (w.memoryClockMhz() != null) n.put("memory_clock_mhz", w.memoryClockMhz());
    if (w.theoreticalGBs() != null) {
      n.put("theoretical_gb_s", w.theoreticalGBs());
      n.put("theoretical_how", w.theoreticalHow());
    }
    if (w.readGBs() != null) {
      n.put("read_gb_s", w.readGBs());
      n.put("read_how", w.readHow());
    }
    if (w.unknownBecause() != null) n.put("unknown", w.unknownBecause());
    n.put("command", command);
    n.set("facts", JSON.valueToTree(w.facts()));
    AtomicFiles.write(dir.resolve("result.json"), wr -> wr.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n)));
    AtomicFiles.write(dir.resolve("stdout.txt"), wr -> wr.write(probeOutput));
    AtomicFiles.write(dir.resolve("nvidia-smi.csv"), wr -> wr.write(smiOutput));
  }

  public static Wall read(Path dir) {
    Path f = dir.resolve("result.json");
    if (!dev.llamasweep.io.InputFiles.present(f)) return null;
    try {
      JsonNode n = dev.llamasweep.io.InputFiles.json(f, dev.llamasweep.io.InputFiles.Kind.RECORD);
      Map<String, String> facts = new LinkedHashMap<>();
      n.path("facts").fields().forEachRemaining(e -> facts.put(e.getKey(), e.getValue().asText()));
      return new Wall(n.path("memory").asText(), n.path("name").asText(), n.hasNonNull("bus_width_bits") ? n.get("bus_width_bits").asInt() : null,
          n.hasNonNull("memory_clock_mhz") ? n.get("memory_clock_mhz").asDouble() : null,
          n.hasNonNull("theoretical_gb_s") ? n.get("theoretical_gb_s").asDouble() : null, n.path("theoretical_how").asText(null),
          n.hasNonNull("read_gb_s") ? n.get("read_gb_s").asDouble() : null, n.path("read_how").asText(null), facts, n.path("unknown").asText(null));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** Every GPU wall recorded in a data directory, by memory ("cuda0"). */
  public static Map<String, Wall> readAll(Path dataDir) {
    Map<String, Wall> out = new LinkedHashMap<>();
    Path walls = dataDir.resolve("walls");
    if (!Files.isDirectory(walls)) return out;
    try (var dirs = Files.list(walls)) {
      for (Path d : dirs.filter(p -> p.getFileName().toString().startsWith("cuda")).sorted().toList()) {
        Wall w = read(d);
        if (w != null) out.put(d.getFileName().toString(), w);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }
}
