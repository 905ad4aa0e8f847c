package dev.llamasweep.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llamasweep.io.Processes;
import dev.llamasweep.io.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The measured wall: what system memory actually delivers, measured like a cell (a STREAM-style C
 * probe compiled with this host's compiler, its command and raw output kept in
 * data/&lt;spec&gt;/walls/system-ram/). Walls belong to memories: every backend whose weights live in
 * system RAM (CPU, an integrated GPU, lavapipe) shares this one. Kept until the host changes or
 * {@code --force}.
 */
public final class MemoryWall {
  public static final String SYSTEM_RAM = "system-ram";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern BEST = Pattern.compile("^best (read|triad) ([0-9.]+) GB/s$", Pattern.MULTILINE);
  private static final Pattern SIZE = Pattern.compile("^size (\\d+) read ([0-9.]+) GB/s", Pattern.MULTILINE);
  /** The matrix-sized reads measured beside the stream: 256 KiB to 64 MiB, weight matrices of small to 70B-class models. */
  static final List<Long> SIZES = List.of(256L << 10, 1L << 20, 4L << 20, 16L << 20, 64L << 20);
  private static final Pattern HEAD = Pattern.compile("^membw 1 threads (\\d+) array_bytes (\\d+) runs (\\d+)$", Pattern.MULTILINE);
  static final int RUNS = 10;

  private MemoryWall() {}

  /** A wall as measured, or why it is unknown; the command and raw output sit beside result.json. */
  public record Measured(String memory, Double readGBs, Double triadGBs, int threads, long arrayBytes, int runs,
      String command, String hostId, String unknownBecause, java.util.SortedMap<Long, Double> readBySize) {
    public Measured(String memory, Double readGBs, Double triadGBs, int threads, long arrayBytes, int runs, String command, String hostId,
        String unknownBecause) {
      this(memory, readGBs, triadGBs, threads, arrayBytes, runs, command, hostId, unknownBecause, new java.util.TreeMap<>());
    }

    public boolean isKnown() {
      return readGBs != null;
    }

    /**
     * What one read of a buffer this size reaches, interpolated log-linearly between the measured sizes
     * (the nearest measured size outside them); null when no size was measured.
     */
    public Double readAt(double bytes) {
      return interpolate(readBySize, bytes);
    }

    /** "read 11.8 GB/s (best of 10, 2 threads, 3 × 256 MiB arrays)". */
    public String describe() {
      if (!isKnown()) return "unknown: " + unknownBecause;
      return String.format(Locale.ROOT, "read %s GB/s, triad %s GB/s (best of %d runs, %d threads, arrays of %d MiB)",
          HostProbe.trim(readGBs), HostProbe.trim(triadGBs), runs, threads, arrayBytes >> 20);
    }
  }

  /** A rate at a size from rates measured at sizes: log-linear between them, the nearest outside them; null when none. */
  public static Double interpolate(java.util.SortedMap<Long, Double> readBySize, double bytes) {
    if (readBySize == null || readBySize.isEmpty()) return null;
    Long below = readBySize.headMap((long) Math.floor(bytes) + 1).isEmpty() ? null : readBySize.headMap((long) Math.floor(bytes) + 1).lastKey();
    Long above = readBySize.tailMap((long) Math.ceil(bytes)).isEmpty() ? null : readBySize.tailMap((long) Math.ceil(bytes)).firstKey();
    if (below == null) return readBySize.get(above);
    if (above == null || above.equals(below)) return readBySize.get(below);
    double t = Math.log(bytes / below) / Math.log((double) above / below);
    return readBySize.get(below) + t * (readBySize.get(above) - readBySize.get(below));
  }

  /** Parses the probe's output; null when it holds no best figures. */
  public static Measured parse(String memory, String stdout, String command, String hostId) {
    Matcher h = HEAD.matcher(stdout);
    Double read = null;
    Double triad = null;
    Matcher m = BEST.matcher(stdout);
    while (m.find()) {
      if (m.group(1).equals("read")) read = Double.parseDouble(m.group(2)); else triad = Double.parseDouble(m.group(2));
    }
    if (!h.find() || read == null || triad == null || !(read > 0) || !(triad > 0)) return null;
    java.util.TreeMap<Long, Double> bySize = new java.util.TreeMap<>();
    Matcher s = SIZE.matcher(stdout);
    while (s.find()) bySize.put(Long.parseLong(s.group(1)), Double.parseDouble(s.group(2)));
    return new Measured(memory, read, triad, Integer.parseInt(h.group(1)), Long.parseLong(h.group(2)), Integer.parseInt(h.group(3)),
        command, hostId, null, bySize);
  }

  /** The directory of a memory's wall inside a data directory. */
  public static Path dir(Path dataDir, String memory) {
    return dataDir.resolve("walls").resolve(memory);
  }

  public static Measured read(Path dataDir, String memory) {
    Path f = dir(dataDir, memory).resolve("result.json");
    if (!dev.llamasweep.io.InputFiles.present(f)) return null;
    try {
      JsonNode n = dev.llamasweep.io.InputFiles.json(f, dev.llamasweep.io.InputFiles.Kind.RECORD);
      java.util.TreeMap<Long, Double> bySize = new java.util.TreeMap<>();
      n.path("read_gb_s_by_size").fields().forEachRemaining(e -> bySize.put(Long.parseLong(e.getKey()), e.getValue().asDouble()));
      return new Measured(n.path("memory").asText(memory), n.hasNonNull("read_gb_s") ? n.get("read_gb_s").asDouble() : null,
          n.hasNonNull("triad_gb_s") ? n.get("triad_gb_s").asDouble() : null, n.path("threads").asInt(), n.path("array_bytes").asLong(),
          n.path("runs").asInt(), n.path("command").asText(""), n.path("host_id").asText(""),
          n.hasNonNull("unknown") ? n.get("unknown").asText() : null, bySize);
    } catch (IllegalArgumentException e) {
      return null;  // a damaged record is measured again
    }
  }

  /**
   * Measures system memory unless a wall measured on this host is already recorded (or {@code force}).
   *
   * @param cache where the compiled probe is kept, keyed by its source's hash
   */
  public static Measured ensure(Path dataDir, Path cache, boolean force, PrintStream progress) {
    HostProbe.Live live = new HostProbe.Live();
    String hostId = hostId(live);
    Measured old = read(dataDir, SYSTEM_RAM);
    // a record from before matrix-sized reads were measured is measured again, once
    if (!force && old != null && old.isKnown() && old.hostId().equals(hostId) && !old.readBySize().isEmpty()) return old;
    Path dir = dir(dataDir, SYSTEM_RAM);
    Measured m = measure(live, hostId, cache, dir, progress);
    write(dir, m);
    return m;
  }

  private static Measured measure(HostProbe.Live live, String hostId, Path cache, Path dir, PrintStream progress) {
    Path exe;
    try {
      exe = compile(cache);
    } catch (RuntimeException e) {
      return unknown(hostId, e.getMessage());
    }
    if (exe == null) return unknown(hostId, "no C compiler (cc or gcc) on PATH to build the probe");
    int threads = Runtime.getRuntime().availableProcessors();
    HostParsers.Cache cacheFact = HostParsers.lastLevelCache(live);
    long llc = cacheFact == null ? 0 : cacheFact.bytes();
    String meminfo = live.file("/proc/meminfo");
    Long total = meminfo == null ? null : HostParsers.memTotalBytes(meminfo);
    long memTotal = total == null ? 0 : total;
    long bytes = Math.max(256L << 20, 4 * llc);
    if (memTotal > 0) bytes = Math.min(bytes, memTotal / 8);  // three arrays stay well inside memory
    List<String> argv = new ArrayList<>(List.of(exe.toString(), String.valueOf(threads), String.valueOf(bytes), String.valueOf(RUNS)));
    for (long size : SIZES) if (size * 2 <= bytes) argv.add(String.valueOf(size));
    String command = String.join(" ", argv);
    progress.println("llama-sweep: measuring what system memory delivers (" + threads + " threads, 3 arrays of " + (bytes >> 20)
        + " MiB, " + (cacheFact == null ? "the last-level cache's size unknown here (no /sys/devices/system/cpu/cpu0/cache)" : "≥ 4× the " + (llc >> 20) + " MiB last-level cache")
        + ", best of " + RUNS + "; then reads of one 256 KiB to 64 MiB buffer at a time)");
    // like a benchmark, the probe dies with the sweep (it must never run beside the next one)
    Processes.Captured c = Processes.captureWithExit(argv, null, 120);
    AtomicFiles.keepRun(dir, command, c == null ? "" : c.output());
    if (c == null) return unknown(hostId, "the probe did not finish within 120 s");
    if (c.exit() != 0) return unknown(hostId, "the probe failed (exit " + c.exit() + "): " + c.output().strip());
    Measured m = parse(SYSTEM_RAM, c.output(), command, hostId);
    return m != null ? m : unknown(hostId, "the probe printed no best figures");
  }

  private static Measured unknown(String hostId, String why) {
    return new Measured(SYSTEM_RAM, null, null, 0, 0, 0, "", hostId, why);
  }

  private static void write(Path dir, Measured m) {
    ObjectNode n = JSON.createObjectNode();
    n.put("memory", m.memory());
    if (m.isKnown()) {
      n.put("read_gb_s", m.readGBs());
      n.put("triad_gb_s", m.triadGBs());
      ObjectNode sizes = n.putObject("read_gb_s_by_size");
      m.readBySize().forEach((k, v) -> sizes.put(String.valueOf(k), v));
    } else {
      n.put("unknown", m.unknownBecause());
    }
    n.put("threads", m.threads());
    n.put("array_bytes", m.arrayBytes());
    n.put("runs", m.runs());
    n.put("command", m.command());
    n.put("host_id", m.hostId());
    n.put("kernels", "read: sum of one array (8 B per element); triad: a = b + s × c (24 B per element, STREAM's count); "
        + "by size: the read array cut into buffers of that size, read one at a time by all threads in rotation, each read timed between barriers");
    AtomicFiles.write(dir.resolve("result.json"), w -> w.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n)));
  }

  /** The probe, compiled once per source version with the host's C compiler; null without one. */
  static Path compile(Path cache) {
    return compileC(cache, "membw", List.of("-pthread"));
  }

  /**
   * A helper of llama-sweep's own (resources/host/&lt;name&gt;.c), compiled once per source version with the
   * host's C compiler into the cache; null without a compiler.
   *
   * @param libs what follows the source on the command line (-pthread, -ldl)
   */
  static Path compileC(Path cache, String name, List<String> libs) {
    byte[] src;
    try (InputStream in = MemoryWall.class.getResourceAsStream("/host/" + name + ".c")) {
      src = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Path built = cache.resolve(name).resolve(sha(src)).resolve(name);
    if (Files.isExecutable(built)) return built;
    String cc = HostProbe.Live.onPath("cc") ? "cc" : HostProbe.Live.onPath("gcc") ? "gcc" : null;
    if (cc == null) return null;
    return HelperPrograms.build(cache, name, ".c", src, cc, "the " + name + " helper", List.of((tmp, source) -> {
      List<String> argv = new ArrayList<>(List.of(cc, "-O2", "-o", tmp.toString(), source.toString()));
      argv.addAll(libs);
      return argv;
    }), 120);
  }

  /** This host's identity, as walls record it. */
  public static String currentHostId() {
    return hostId(new HostProbe.Live());
  }

  /** A host's identity for caching a wall: hostname, CPU model, logical cores and memory size. */
  static String hostId(HostProbe.Sources src) {
    String host = src.file("/proc/sys/kernel/hostname");
    String cpuinfo = src.file("/proc/cpuinfo");
    String meminfo = src.file("/proc/meminfo");
    return (host == null ? "?" : host.strip()) + " | " + (cpuinfo == null ? "?" : HostParsers.cpuModel(cpuinfo)) + " | "
        + Runtime.getRuntime().availableProcessors() + " cores | " + (meminfo == null ? "?" : HostParsers.memTotalBytes(meminfo));
  }

  static String sha(byte[] b) {
    return dev.llamasweep.io.Hashes.sha256(b).substring(0, 12);
  }
}
