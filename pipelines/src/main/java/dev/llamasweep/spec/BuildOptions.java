package dev.llamasweep.spec;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * How a backend built from the pinned source is configured beyond its kind: CPU features turned off
 * and extra CMake options. Two backends that differ only here are two arms of an experiment (AMX on
 * against off, a BLAS build against the plain one), each in a build directory of its own.
 */
public record BuildOptions(Set<CpuFeature> featuresOff, List<String> cmake, Set<CpuFeature> keptOn) {
  public static final BuildOptions DEFAULT = new BuildOptions(Set.of(), List.of());

  /**
   * @param keptOn features the spec names "on": built as by default, but never routed around when they
   *     crash, so an "AMX on" arm measures AMX or fails as a crash, never quietly becomes "AMX off"
   */
  public BuildOptions {
    featuresOff = Set.copyOf(featuresOff);
    keptOn = Set.copyOf(keptOn);
    cmake = List.copyOf(cmake);
  }

  public BuildOptions(Set<CpuFeature> featuresOff, List<String> cmake) {
    this(featuresOff, cmake, Set.of());
  }

  /** Built as the default build is (features kept on change nothing in the build). */
  public boolean isDefault() {
    return featuresOff.isEmpty() && cmake.isEmpty();
  }

  /** These options with one more feature off. */
  public BuildOptions without(CpuFeature f) {
    Set<CpuFeature> off = featuresOff.isEmpty() ? EnumSet.noneOf(CpuFeature.class) : EnumSet.copyOf(featuresOff);
    off.add(f);
    return new BuildOptions(off, cmake, keptOn);
  }

  /** The features off in declaration order (AMX first): a stable order for names and flags. */
  public List<CpuFeature> sortedOff() {
    return featuresOff.isEmpty() ? List.of() : List.copyOf(EnumSet.copyOf(featuresOff));
  }

  /** The compiler flags that turn the features off, for CMAKE_C_FLAGS and CMAKE_CXX_FLAGS. */
  public List<String> compilerFlags() {
    List<String> out = new ArrayList<>();
    for (CpuFeature f : sortedOff()) out.addAll(f.offFlags);
    return out;
  }

  /**
   * The build directory's suffix: "" for the default, else "-no-amx" per feature off plus a short
   * hash of the CMake options, so every combination has its own directory and the name says what it is.
   */
  public String dirSuffix() {
    if (isDefault()) return "";
    StringBuilder s = new StringBuilder();
    for (CpuFeature f : sortedOff()) s.append("-no-").append(f.key.replace('_', '-'));
    if (!cmake.isEmpty()) s.append("-cmake-").append(shortHash(String.join("\u0000", new TreeSet<>(cmake))));
    return s.toString();
  }

  /** "AMX off; -DGGML_BLAS=ON", "AMX kept on" or "default". */
  public String describe() {
    if (isDefault() && keptOn.isEmpty()) return "default";
    List<String> parts = new ArrayList<>();
    for (CpuFeature f : sortedOff()) parts.add(f.label() + " off");
    for (CpuFeature f : CpuFeature.values()) if (keptOn.contains(f)) parts.add(f.label() + " kept on");
    parts.addAll(cmake);
    return String.join("; ", parts);
  }

  private static String shortHash(String s) {
    return dev.llamasweep.io.Hashes.sha256(s).substring(0, 8);
  }
}
