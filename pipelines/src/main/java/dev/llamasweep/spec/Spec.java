package dev.llamasweep.spec;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A validated experiment spec: everything needed to expand a grid and run it. */
public record Spec(
    String name,
    Path file,
    HostMemory memory,
    Map<String, Backend> backends,
    Map<String, Model> models,
    Map<Axis, Object> defaults,
    long timeoutSeconds,
    List<Experiment> experiments,
    Path workDir,
    ProfilePolicy profilePolicy,
    long profileSettleSeconds,
    QuietPolicy quietPolicy,
    dev.llamasweep.spec.Cooldown cooldown,
    double threshold,
    Drift drift) {

  /** The practical threshold of the verdict rule when a spec does not set {@code threshold_pct}: 1%. */
  public static final double DEFAULT_THRESHOLD = 0.01;

  /**
   * Drift anchors: the anchor cell (an id prefix, or null for the sweep's first llama-bench cell) is
   * measured before the first cell, again after every {@code everyCells} cells or {@code everyMinutes}
   * minutes (whichever comes first; 0 = not by that rule), and after the last.
   */
  public record Drift(String anchor, int everyCells, double everyMinutes, Location location) {}

  public Spec(String name, Path file, HostMemory memory, Map<String, Backend> backends, Map<String, Model> models,
      Map<Axis, Object> defaults, long timeoutSeconds, List<Experiment> experiments, Path workDir, ProfilePolicy profilePolicy,
      long profileSettleSeconds, QuietPolicy quietPolicy, dev.llamasweep.spec.Cooldown cooldown) {
    this(name, file, memory, backends, models, defaults, timeoutSeconds, experiments, workDir, profilePolicy, profileSettleSeconds, quietPolicy, cooldown,
        DEFAULT_THRESHOLD, null);
  }

  public Spec(String name, Path file, HostMemory memory, Map<String, Backend> backends, Map<String, Model> models,
      Map<Axis, Object> defaults, long timeoutSeconds, List<Experiment> experiments, Path workDir, ProfilePolicy profilePolicy,
      long profileSettleSeconds, QuietPolicy quietPolicy) {
    this(name, file, memory, backends, models, defaults, timeoutSeconds, experiments, workDir, profilePolicy, profileSettleSeconds, quietPolicy, null);
  }

  /** A spec with the default machine-quiet policy (warn). */
  public Spec(String name, Path file, HostMemory memory, Map<String, Backend> backends, Map<String, Model> models,
      Map<Axis, Object> defaults, long timeoutSeconds, List<Experiment> experiments, Path workDir, ProfilePolicy profilePolicy,
      long profileSettleSeconds) {
    this(name, file, memory, backends, models, defaults, timeoutSeconds, experiments, workDir, profilePolicy, profileSettleSeconds, QuietPolicy.WARN);
  }

  /** A path as written in the spec (a prompt_file), resolved like every other path in it. */
  public Path resolve(String path) {
    if (path.equals("~") || path.startsWith("~/")) return Path.of(System.getProperty("user.home") + path.substring(1)).normalize();
    Path p = Path.of(path);
    return p.isAbsolute() ? p.normalize() : workDir.resolve(p).toAbsolutePath().normalize();
  }

  /**
   * A theoretical wall: either a transfer rate and a bus width (peak = MT/s × bits / 8 / 1000 GB/s)
   * or a figure in GB/s as a vendor publishes it (Apple's 400 and 800 GB/s), with where it came from.
   */
  public record HostMemory(long transferRateMts, long busWidthBits, String note, Double givenGBs) {
    public HostMemory(long transferRateMts, long busWidthBits, String note) {
      this(transferRateMts, busWidthBits, note, null);
    }

    public static HostMemory ofGBs(double gbs, String note) {
      return new HostMemory(0, 0, note, gbs);
    }

    public double gbs() {
      return givenGBs != null ? givenGBs : dev.llamasweep.stats.Bandwidth.peakGBs(transferRateMts, busWidthBits);
    }

    /** The arithmetic as the reader checks it: "5600 MT/s × 128 bit / 8 = 89,600 MB/s = **89.6 GB/s**", or "**800 GB/s** as given". */
    public String arithmetic() {
      String g = trim(gbs());
      if (givenGBs != null) return "**" + g + " GB/s** as given";
      return String.format(java.util.Locale.ROOT, "%d MT/s × %d bit / 8 = %,.0f MB/s = **%s GB/s**", transferRateMts, busWidthBits,
          transferRateMts * busWidthBits / 8.0, g);
    }

    /**
     * Parses a wall as a user writes it on a command line: "5600:128" (MT/s:bus bits) or "800GB/s" /
     * "800 GB/s" / "800gb/s"; null with a message via IllegalArgumentException when it is neither.
     */
    public static HostMemory parse(String text, String note) {
      String t = text.trim();
      java.util.regex.Matcher gb = java.util.regex.Pattern.compile("(?i)^([0-9]+(?:\\.[0-9]+)?)\\s*gb/?s$").matcher(t);
      if (gb.matches()) {
        double v = Double.parseDouble(gb.group(1));
        if (!(v > 0) || v > 1_000_000) throw new IllegalArgumentException("a wall of " + t + " is not a memory bandwidth.");
        return ofGBs(v, note);
      }
      java.util.regex.Matcher mb = java.util.regex.Pattern.compile("^([0-9]{1,7}):([0-9]{1,5})$").matcher(t);
      if (mb.matches() && Long.parseLong(mb.group(2)) % 8 == 0 && Long.parseLong(mb.group(1)) > 0 && Long.parseLong(mb.group(2)) > 0) {
        return new HostMemory(Long.parseLong(mb.group(1)), Long.parseLong(mb.group(2)), note);
      }
      throw new IllegalArgumentException("--memory takes MT/s:bus bits such as 5600:128 (DDR5-5600 on a 128-bit bus) or a figure in "
          + "GB/s such as 800GB/s, not '" + text + "'.");
    }

    private static String trim(double v) {
      String s = String.format(java.util.Locale.ROOT, "%.3f", v);
      return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }
  }

  /**
   * A named llama.cpp build: either a directory of binaries the user already has, or a build the
   * toolchain makes from the pinned source ({@code build: cpu}).
   */
  public record Backend(String name, Path bin, String build, Map<Axis, Object> settings,
      Map<String, String> env, List<String> args, Location binLocation, BuildOptions buildOptions,
      LlamaCppVersion llamaCpp, Location llamaCppLocation, Rpc rpc) {
    public Backend(String name, Path bin, String build, Map<Axis, Object> settings, Map<String, String> env, List<String> args,
        Location binLocation, BuildOptions buildOptions, LlamaCppVersion llamaCpp, Location llamaCppLocation) {
      this(name, bin, build, settings, env, args, binLocation, buildOptions, llamaCpp, llamaCppLocation, null);
    }

    public Backend(String name, Path bin, String build, Map<Axis, Object> settings, Map<String, String> env, List<String> args,
        Location binLocation) {
      this(name, bin, build, settings, env, args, binLocation, BuildOptions.DEFAULT, null, null);
    }

    public Backend(String name, Path bin, String build, Map<Axis, Object> settings, Map<String, String> env, List<String> args,
        Location binLocation, BuildOptions buildOptions) {
      this(name, bin, build, settings, env, args, binLocation, buildOptions, null, null);
    }

    /** Built from the pinned llama.cpp (no {@code llama_cpp:} of its own). */
    public boolean pinned() {
      return llamaCpp == null;
    }
  }

  /**
   * A backend whose layers run on llama.cpp's RPC servers ({@code rpc:}): either {@code local} servers the
   * harness starts itself for each cell (loopback, free ports, its own build's ggml-rpc-server, always
   * stopped), or {@code endpoints} someone else runs (host:port, reached as they are).
   */
  public record Rpc(int local, List<String> endpoints, Location location) {
    /** At most as many devices as llama.cpp splits a model over (LLAMA_MAX_DEVICES). */
    public static final int MAX = 16;

    public Rpc {
      endpoints = List.copyOf(endpoints);
    }

    public boolean startsLocal() {
      return local > 0;
    }

    /** How many servers the cell uses. */
    public int servers() {
      return startsLocal() ? local : endpoints.size();
    }

    /** "2 local rpc-servers" or "rpc-servers 10.0.0.2:50052, 10.0.0.3:50052". */
    public String describe() {
      return startsLocal() ? local + " local rpc-server" + (local == 1 ? "" : "s") : "rpc-server" + (endpoints.size() == 1 ? " " : "s ") + String.join(", ", endpoints);
    }
  }

  /**
   * A model file, or one of the synthetic models the project generates ({@code synthetic: target}),
   * or random weights shaped like a real model's GGUF header ({@code synthetic: {like: file.gguf}}:
   * synthetic is "like" and {@code like} the header file), or a Hugging Face model fetched by llama.cpp's downloader
   * ({@code hf: Qwen/Qwen3-8B-GGUF:Q4_K_M}).
   */
  public record Model(String name, Path path, String synthetic, String quant, Location pathLocation, Path like, HfRef hf) {
    public Model(String name, Path path, String synthetic, String quant, Location pathLocation) {
      this(name, path, synthetic, quant, pathLocation, null, null);
    }
  }

  /**
   * An experiment. {@code order} is "interleaved" (its cells run in rounds, A B C then B C A …, so
   * drift spreads over every arm) or "sequential" (each cell's repetitions back to back); null lets
   * the planner choose: interleaved wherever the experiment compares llama-bench arms.
   */
  public record Experiment(String name, Bench bench, Map<Axis, List<Object>> grid,
      List<Map<Axis, Object>> exclude, Map<Axis, Object> baseline, Location location, String order, int rounds) {
    public Experiment(String name, Bench bench, Map<Axis, List<Object>> grid, List<Map<Axis, Object>> exclude,
        Map<Axis, Object> baseline, Location location) {
      this(name, bench, grid, exclude, baseline, location, null, 3);
    }
  }

  /** Where a value was written, for errors found after loading (e.g. a missing file at run time). */
  public record Location(String file, int line, int column, String field) {
    public SpecException error(String problem) {
      return new SpecException(file, line, column, field, problem);
    }

    static Location of(Node n) {
      return new Location(n.file(), n.line(), n.column(), n.field());
    }
  }
}
