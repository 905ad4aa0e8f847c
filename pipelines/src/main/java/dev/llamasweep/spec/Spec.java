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
    String profilePolicy,
    long profileSettleSeconds,
    String quietPolicy) {

  /** A spec with the default machine-quiet policy (warn). */
  public Spec(String name, Path file, HostMemory memory, Map<String, Backend> backends, Map<String, Model> models,
      Map<Axis, Object> defaults, long timeoutSeconds, List<Experiment> experiments, Path workDir, String profilePolicy,
      long profileSettleSeconds) {
    this(name, file, memory, backends, models, defaults, timeoutSeconds, experiments, workDir, profilePolicy, profileSettleSeconds, "warn");
  }

  /** A path as written in the spec (a prompt_file), resolved like every other path in it. */
  public Path resolve(String path) {
    if (path.equals("~") || path.startsWith("~/")) return Path.of(System.getProperty("user.home") + path.substring(1)).normalize();
    Path p = Path.of(path);
    return p.isAbsolute() ? p.normalize() : workDir.resolve(p).toAbsolutePath().normalize();
  }

  /** Memory the spec declares, from which the theoretical peak bandwidth follows; may be null. */
  public record HostMemory(long transferRateMts, long busWidthBits, String note) {}

  /**
   * A named llama.cpp build: either a directory of binaries the user already has, or a build the
   * toolchain makes from the pinned source ({@code build: cpu}).
   */
  public record Backend(String name, Path bin, String build, Map<Axis, Object> settings,
      Map<String, String> env, List<String> args, Location binLocation) {}

  /**
   * A model file, or one of the synthetic models the project generates ({@code synthetic: target}),
   * or random weights shaped like a real model's GGUF header ({@code synthetic: {like: file.gguf}}:
   * synthetic is "like" and {@code like} the header file).
   */
  public record Model(String name, Path path, String synthetic, String quant, Location pathLocation, Path like) {
    public Model(String name, Path path, String synthetic, String quant, Location pathLocation) {
      this(name, path, synthetic, quant, pathLocation, null);
    }
  }

  public record Experiment(String name, String bench, Map<Axis, List<Object>> grid,
      List<Map<Axis, Object>> exclude, Map<Axis, Object> baseline, Location location) {}

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
