package dev.llamasweep.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llamasweep.io.AtomicFiles;
import dev.llamasweep.io.Processes;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The compute wall of a backend for one weight type: the rate llama.cpp's own matrix product reaches
 * on a prompt-sized batch, measured with the build's test-backend-ops in perf mode (MUL_MAT of a
 * 4096 × 14336 weight matrix of that type by 512 f32 columns, the shape its perf suite uses for a 7B
 * feed-forward matrix at a 512-token batch). Prompt processing multiplies every weight matrix by the
 * whole batch, so its FLOP/s set against this rate say whether compute bounds it. Kept like a wall in
 * data/&lt;spec&gt;/walls/compute-&lt;backend&gt;-&lt;type&gt;/ (command, raw output, result), measured once per
 * host, build and type.
 */
public final class ComputeWall {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** "4 runs -  312345.50 us/run -  60.13 GFLOP/run - 192.51 GFLOPS". */
  private static final Pattern PERF = Pattern.compile(
      "MUL_MAT\\(([^)]*)\\):\\s+(\\d+) runs -\\s+([0-9.]+) us/run -\\s+([0-9.]+) ([kMGT])FLOP/run -\\s+([0-9.]+) ([kMGT])FLOPS");
  static final long M = 4096;
  static final long N = 512;
  static final long K = 14336;

  private ComputeWall() {}

  /**
   * @param tflops the measured rate, or null when unknown (then {@code unknownBecause} says why)
   * @param params the case as test-backend-ops names it
   */
  public record Measured(String backend, String type, Double tflops, double usPerRun, int runs, String params, String command,
      String build, String hostId, String unknownBecause) {
    public boolean isKnown() {
      return tflops != null;
    }

    /** "0.21 TFLOP/s (MUL_MAT q4_0 4096×14336 × 512, 5 runs of 301 ms)". */
    public String describe() {
      if (!isKnown()) return "unknown: " + unknownBecause;
      return String.format(Locale.ROOT, "%s TFLOP/s (test-backend-ops perf, MUL_MAT %s %d×%d by %d columns, %d runs of %s)", num(tflops), type, M, K, N,
          runs, usPerRun >= 1000 ? String.format(Locale.ROOT, "%.1f ms", usPerRun / 1000) : String.format(Locale.ROOT, "%.1f µs", usPerRun));
    }
  }

  /** The test-backend-ops regex that picks the one case (-p matches against the case's parameters). */
  static String caseFilter(String type) {
    return "type_a=" + type + ",type_b=f32,m=" + M + ",n=" + N + ",k=" + K + ",";
  }

  /** The backend name test-backend-ops -b takes for a build kind: the first device of that backend. */
  static String deviceFor(String kind) {
    return switch (kind) {
      case "cuda" -> "CUDA0";
      case "rocm" -> "ROCm0";
      case "vulkan" -> "Vulkan0";
      default -> "CPU";
    };
  }

  /** Parses a perf run's output for the case; null when it holds none (not supported, or nothing ran). */
  static Measured parse(String backend, String type, String stdout, String command, String build, String hostId) {
    // test-backend-ops colours its figures on a terminal and sometimes off one
    Matcher m = PERF.matcher(stdout.replaceAll("\u001B\\[[0-9;]*m", ""));
    while (m.find()) {
      if (!m.group(1).startsWith(caseFilter(type))) continue;
      double rate = Double.parseDouble(m.group(6)) * scale(m.group(7));
      return new Measured(backend, type, rate / 1e12, Double.parseDouble(m.group(3)), Integer.parseInt(m.group(2)), m.group(1), command, build,
          hostId, null);
    }
    return null;
  }

  private static double scale(String prefix) {
    return switch (prefix) {
      case "k" -> 1e3;
      case "M" -> 1e6;
      case "G" -> 1e9;
      default -> 1e12;
    };
  }

  public static Path dir(Path dataDir, String backend, String type) {
    return dataDir.resolve("walls").resolve("compute-" + backend + "-" + type.toLowerCase(Locale.ROOT));
  }

  /** Every compute wall of a data directory, keyed "backend/type" (type as GGUF names it, upper case). */
  public static Map<String, Measured> readAll(Path dataDir) {
    Map<String, Measured> out = new LinkedHashMap<>();
    Path walls = dataDir.resolve("walls");
    if (!Files.isDirectory(walls)) return out;
    try (var dirs = Files.list(walls)) {
      for (Path d : dirs.sorted().toList()) {
        if (!d.getFileName().toString().startsWith("compute-")) continue;
        Measured m = read(d.resolve("result.json"));
        if (m != null) out.put(m.backend() + "/" + m.type(), m);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  static Measured read(Path file) {
    if (!dev.llamasweep.io.InputFiles.present(file)) return null;
    try {
      JsonNode n = dev.llamasweep.io.InputFiles.json(file, dev.llamasweep.io.InputFiles.Kind.RECORD);
      return new Measured(n.path("backend").asText(), n.path("type").asText(), n.hasNonNull("tflops") ? n.get("tflops").asDouble() : null,
          n.path("us_per_run").asDouble(), n.path("runs").asInt(), n.path("case").asText(""), n.path("command").asText(""),
          n.path("build").asText(""), n.path("host_id").asText(""), n.hasNonNull("unknown") ? n.get("unknown").asText() : null);
    } catch (IllegalArgumentException e) {
      return null;  // a damaged record is measured again
    }
  }

  /**
   * Measures a backend's matrix-product rate for a type unless this host and build already did.
   *
   * @param testBackendOps the build's test-backend-ops, or null when it could not be built (then why says so)
   */
  public static Measured ensure(Path dataDir, String backend, String kind, String build, Path testBackendOps, String why, String type,
      String hostId, boolean force, PrintStream progress) {
    Path dir = dir(dataDir, backend, type);
    Measured old = read(dir.resolve("result.json"));
    if (!force && old != null && old.isKnown() && old.hostId().equals(hostId) && old.build().equals(build)) return old;
    Measured m;
    if (testBackendOps == null) {
      m = new Measured(backend, type, null, 0, 0, "", "", build, hostId, why);
    } else {
      List<String> argv = List.of(testBackendOps.toString(), "perf", "-o", "MUL_MAT", "-b", deviceFor(kind), "-p", caseFilter(type));
      String command = String.join(" ", argv.stream().map(a -> a.matches("[A-Za-z0-9_./=,:-]+") ? a : "'" + a + "'").toList());
      progress.println("llama-sweep: measuring " + backend + "'s matrix-product rate for " + type + " (test-backend-ops perf, MUL_MAT "
          + M + "×" + K + " by " + N + " columns, a few seconds)");
      Processes.Captured c = Processes.captureWithExit(argv, null, 300);
      AtomicFiles.keepRun(dir, command, c == null ? "" : c.output());
      Measured parsed = c == null || c.exit() != 0 ? null : parse(backend, type, c.output(), command, build, hostId);
      m = parsed != null ? parsed : new Measured(backend, type, null, 0, 0, "", command, build, hostId, c == null ? "test-backend-ops did not finish within 300 s"
          : c.exit() != 0 ? "test-backend-ops failed (exit " + c.exit() + ")" : "test-backend-ops ran no MUL_MAT case for " + type + " on " + deviceFor(kind)
              + " (not supported there)");
    }
    write(dir, m);
    return m;
  }

  private static void write(Path dir, Measured m) {
    ObjectNode n = JSON.createObjectNode();
    n.put("backend", m.backend()).put("type", m.type());
    if (m.isKnown()) n.put("tflops", m.tflops()).put("us_per_run", m.usPerRun()).put("runs", m.runs()).put("case", m.params());
    else n.put("unknown", m.unknownBecause());
    n.put("command", m.command()).put("build", m.build()).put("host_id", m.hostId());
    n.put("flop_per_run", 2.0 * M * N * K);
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    AtomicFiles.write(dir.resolve("result.json"), w -> w.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n)));
  }

  static String num(double v) {
    return v >= 10 ? String.format(Locale.ROOT, "%.1f", v) : v >= 1 ? String.format(Locale.ROOT, "%.2f", v) : String.format(Locale.ROOT, "%.3f", v);
  }
}
