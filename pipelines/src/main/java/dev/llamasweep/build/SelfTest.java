package dev.llamasweep.build;

import dev.llamasweep.gguf.GgmlType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llamasweep.io.AtomicFiles;
import dev.llamasweep.io.ExitStatus;
import dev.llamasweep.io.Processes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A build proves itself before it measures anything: prompt processing (batched matrix products) and
 * generation (one token at a time) on a tiny model of each weight type the sweep uses, run on the
 * build's CPU kernels ({@code -dev none -ngl 0}: they are what {@code GGML_NATIVE} compiles for this
 * CPU, and what crashes where a CPU feature's kernels are broken). A crash is never a measurement: it
 * is recorded with its signal, the end of stderr and, where gdb is installed, the first frames of a
 * backtrace. Results are kept in the build directory ({@code self-test/}), so each type is tested once per build.
 */
public final class SelfTest {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final Pattern EXTRA_BUFFER = Pattern.compile("load_tensors:\\s+(\\S+) model buffer size");
  private static final Pattern FRAME = Pattern.compile("^(#\\d+\\s.*|=> .*|.*received signal .*)$");
  public static final long PROBE_TIMEOUT_S = 180;
  /** The exit recorded for a probe that did not finish (or start): what timeout(1) returns. */
  static final int TIMED_OUT = 124;

  /** Prompt processing runs the batched kernels, generation the one-row ones. */
  public enum Phase {
    PP("pp", List.of("-p", "64", "-n", "0")), TG("tg", List.of("-p", "0", "-n", "4"));

    public final String word;
    final List<String> args;

    Phase(String word, List<String> args) {
      this.word = word;
      this.args = args;
    }

    static Phase of(String word) {
      for (Phase p : values()) if (p.word.equals(word)) return p;
      throw new IllegalArgumentException("unknown self-test phase '" + word + "'");
    }
  }

  /**
   * One run of the self-test: the weight type and phase, how it ended, what it printed last, the
   * backtrace frames of a crash (empty without gdb), and the extra buffer types llama.cpp loaded the
   * weights into ("AMX", "CPU_REPACK": which special kernels it engaged).
   */
  public record Probe(String type, Phase phase, List<String> command, int exit, String stderrTail, List<String> backtrace,
      List<String> extraBuffers) {
    public ExitStatus status() {
      return new ExitStatus(exit);
    }

    public boolean ok() {
      return exit == 0;
    }

    /** "Q4_0 pp". */
    public String label() {
      return type + " " + phase.word;
    }

    /** The first frame of the backtrace that names a function ("ggml_backend_amx_mul_mat"), or null. */
    public String crashFunction() {
      for (String f : backtrace) {
        Matcher m = Pattern.compile("(?:#0\\s+(?:0x[0-9a-f]+ in )?|^\\S+ in )([A-Za-z_][\\w:~<>]*)\\s*\\(").matcher(f);
        if (f.startsWith("#0") && m.find()) return m.group(1);
      }
      for (String f : backtrace) {
        Matcher m = Pattern.compile("^0x[0-9a-f]+ in ([A-Za-z_][\\w:~<>]*)\\s*\\(").matcher(f);
        if (m.find()) return m.group(1);
      }
      return null;
    }
  }

  /** All probes of one build, in the order they ran. */
  public record Result(List<Probe> probes) {
    public boolean passed() {
      return probes.stream().allMatch(Probe::ok);
    }

    public List<Probe> crashes() {
      return probes.stream().filter(p -> p.status().crashed()).toList();
    }

    public List<Probe> failures() {
      return probes.stream().filter(p -> !p.ok()).toList();
    }

    /** "Q4_0, Q8_0 and Q4_K_M: pp and tg ok" or the first failure, for a console line and the report. */
    public String summary() {
      List<String> types = probes.stream().map(Probe::type).distinct().toList();
      if (passed()) return String.join(", ", types) + ": pp and tg ok";
      Probe f = failures().get(0);
      return f.label() + " " + (f.status().crashed() ? "crashed: " + f.status().describe() : "failed: " + f.status().describe())
          + (failures().size() > 1 ? " (" + failures().size() + " of " + probes.size() + " runs failed)" : "");
    }

    public List<String> extraBuffers() {
      return probes.stream().flatMap(p -> p.extraBuffers().stream()).distinct().toList();
    }
  }

  private SelfTest() {}

  /**
   * Runs the probes that {@code dir} has no result for yet, and returns every probe of the given
   * types. {@code models} maps a weight type (a llama-quantize name) to its tiny model.
   */
  public static Result run(Path bin, Map<String, Path> models, Path dir, java.io.PrintStream progress) {
    List<Probe> out = new ArrayList<>();
    for (Map.Entry<String, Path> e : models.entrySet()) {
      for (Phase phase : Phase.values()) {
        Path record = dir.resolve(e.getKey() + "-" + phase.word + ".json");
        Probe p = Files.isRegularFile(record) ? read(record) : null;
        if (p == null) {
          p = probe(bin, e.getKey(), e.getValue(), phase, dir);
          write(record, p);
          if (!p.ok()) progress.println("  self-test " + p.label() + ": " + (p.status().crashed() ? "crashed, " : "failed, ") + p.status().describe()
              + (p.crashFunction() != null ? " in " + p.crashFunction() : ""));
        }
        out.add(p);
      }
    }
    return new Result(out);
  }

  static Probe probe(Path bin, String type, Path model, Phase phase, Path dir) {
    try {
      Files.createDirectories(dir);
      List<String> argv = new ArrayList<>(List.of(bin.resolve("llama-bench").toString(), "-m", model.toString(), "-r", "1",
          "-ngl", "0", "-dev", "none", "-o", "jsonl", "-v"));
      argv.addAll(phase.args);
      Path stderr = dir.resolve(type + "-" + phase.word + ".stderr.log");
      Integer status = Processes.runToFiles(argv, dir.resolve(type + "-" + phase.word + ".stdout.jsonl"), stderr, PROBE_TIMEOUT_S);
      int exit = status == null ? TIMED_OUT : status;
      String log = Files.isRegularFile(stderr) ? Files.readString(stderr) : "";
      List<String> buffers = extraBuffers(log);
      List<String> frames = List.of();
      if (new ExitStatus(exit).crashed()) frames = backtrace(argv, dir.resolve(type + "-" + phase.word + ".gdb.txt"));
      return new Probe(type, phase, argv, exit, ExitStatus.tail(stderr, 3), frames, buffers);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** "AMX" and "CPU_REPACK" from llama.cpp's "load_tensors: AMX model buffer size = … MiB" lines ("CPU" itself is no extra). */
  static List<String> extraBuffers(String log) {
    List<String> out = new ArrayList<>();
    Matcher m = EXTRA_BUFFER.matcher(log);
    while (m.find()) {
      String b = m.group(1);
      if (!b.equals("CPU") && !b.equals("CPU_Mapped") && !out.contains(b)) out.add(b);
    }
    return out;
  }

  /** The first frames of the crash under gdb, where gdb is installed (the log is kept beside the probe); empty otherwise. */
  static List<String> backtrace(List<String> argv, Path log) {
    if (!onPath("gdb")) return List.of();
    List<String> gdb = new ArrayList<>(List.of("gdb", "-batch", "-nx", "-ex", "run", "-ex", "bt 12", "-ex", "x/i $pc", "--args"));
    gdb.addAll(argv);
    Processes.Captured c = Processes.captureWithExit(gdb, null, PROBE_TIMEOUT_S * 2);
    if (c == null) return List.of();
    AtomicFiles.write(log, w -> w.write(c.output()));
    return frames(c.output());
  }

  /** The lines of gdb's output that say where it crashed: "received signal", "#N" frames and the "=>" instruction. */
  static List<String> frames(String gdbOutput) {
    List<String> out = new ArrayList<>();
    for (String l : gdbOutput.split("\\R")) {
      String t = l.strip();
      if (FRAME.matcher(t).matches() && out.size() < 14) out.add(t);
    }
    return out;
  }

  static boolean onPath(String exe) {
    return dev.llamasweep.io.Programs.onPath(exe);
  }

  static void write(Path file, Probe p) {
    AtomicFiles.write(file, w -> w.write(JSON.writeValueAsString(toJson(p))));
  }

  /** Every probe recorded in a build's self-test directory, run nothing (a damaged record is left out). */
  static Result recorded(Path dir) {
    List<Probe> probes = new ArrayList<>();
    try (var files = Files.list(dir)) {
      for (Path f : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
        Probe p = read(f);
        if (p != null) probes.add(p);
      }
    } catch (IOException e) {
      // an unreadable directory holds no proof
    }
    return new Result(probes);
  }

  static Probe read(Path file) {
    try {
      JsonNode n = dev.llamasweep.io.InputFiles.json(file, dev.llamasweep.io.InputFiles.Kind.RECORD);
      return probeOf(n);
    } catch (RuntimeException e) {
      return null; // a damaged record is measured again
    }
  }

  static Probe probeOf(JsonNode n) {
    return new Probe(n.get("type").asText(), Phase.of(n.get("phase").asText()), strings(n.path("command")), n.get("exit").asInt(),
        n.path("stderr_tail").asText(""), strings(n.path("backtrace")), strings(n.path("extra_buffers")));
  }

  static ObjectNode toJson(Probe p) {
    ObjectNode n = JSON.createObjectNode();
    n.put("type", p.type()).put("phase", p.phase().word).put("exit", p.exit()).put("status", p.status().describe());
    n.set("command", JSON.valueToTree(p.command()));
    n.put("stderr_tail", p.stderrTail());
    n.set("backtrace", JSON.valueToTree(p.backtrace()));
    n.set("extra_buffers", JSON.valueToTree(p.extraBuffers()));
    return n;
  }

  static ArrayNode toJson(Result r) {
    ArrayNode a = JSON.createArrayNode();
    r.probes().forEach(p -> a.add(toJson(p)));
    return a;
  }

  static List<String> strings(JsonNode n) {
    List<String> out = new ArrayList<>();
    n.forEach(x -> out.add(x.asText()));
    return out;
  }

  /** The llama-quantize name a tensor type is self-tested as ("Q4_K" → "Q4_K_S"); null for one that needs more than quantize. */
  public static String quantizeName(GgmlType t) {
    return QUANTIZE_NAMES.get(t.name());
  }

  /** ggml type → the llama-quantize type that makes it without an importance matrix (K-quants as their _S mixes). */
  private static final Map<String, String> QUANTIZE_NAMES = Map.ofEntries(Map.entry("Q4_0", "Q4_0"), Map.entry("Q4_1", "Q4_1"),
      Map.entry("Q5_0", "Q5_0"), Map.entry("Q5_1", "Q5_1"), Map.entry("Q8_0", "Q8_0"), Map.entry("Q2_K", "Q2_K"), Map.entry("Q3_K", "Q3_K_S"),
      Map.entry("Q4_K", "Q4_K_S"), Map.entry("Q5_K", "Q5_K_S"), Map.entry("Q6_K", "Q6_K"), Map.entry("IQ4_XS", "IQ4_XS"),
      Map.entry("IQ4_NL", "IQ4_NL"), Map.entry("MXFP4", "MXFP4_MOE"), Map.entry("F16", "F16"), Map.entry("BF16", "BF16"));
}
