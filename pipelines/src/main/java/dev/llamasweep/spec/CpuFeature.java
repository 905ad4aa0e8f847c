package dev.llamasweep.spec;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * An instruction-set extension that llama.cpp's CPU backend has kernels for, and how to build
 * without it. {@code GGML_NATIVE} compiles in whatever the build machine's CPU has; gcc's
 * {@code -mno-…} flags win over {@code -march=native} whatever their order, so adding them to the C
 * and C++ flags turns the extension off for that build alone.
 *
 * @param key the spec's name ({@code cpu_features: {amx: off}})
 * @param cpuinfoFlags the /proc/cpuinfo flags that say this CPU has it
 * @param offFlags the compiler flags that leave it out
 * @param macro the predefined macro the compiler sets when it is on (what {@code -dM -E} shows)
 * @param kernelSymbol a fragment of the symbols of llama.cpp's kernels for it, as a backtrace names them (null: none of its own)
 * @param batchedQuantOnly its kernels run only batched matrix products of quantized weights (prompt processing),
 *     so a crash there and nowhere else points at them even without a backtrace
 */
public enum CpuFeature {
  AMX("amx", List.of("amx_tile", "amx_int8", "amx_bf16"), List.of("-mno-amx-tile", "-mno-amx-int8", "-mno-amx-bf16"),
      "__AMX_TILE__", "amx", true),
  AVX512("avx512", List.of("avx512f"), List.of("-mno-avx512f"), "__AVX512F__", null, false),
  AVX_VNNI("avx_vnni", List.of("avx_vnni"), List.of("-mno-avxvnni"), "__AVXVNNI__", null, false);

  public final String key;
  public final List<String> cpuinfoFlags;
  public final List<String> offFlags;
  public final String macro;
  public final String kernelSymbol;
  public final boolean batchedQuantOnly;

  CpuFeature(String key, List<String> cpuinfoFlags, List<String> offFlags, String macro, String kernelSymbol, boolean batchedQuantOnly) {
    this.key = key;
    this.cpuinfoFlags = cpuinfoFlags;
    this.offFlags = offFlags;
    this.macro = macro;
    this.kernelSymbol = kernelSymbol;
    this.batchedQuantOnly = batchedQuantOnly;
  }

  /** "AMX" as a person writes it. */
  public String label() {
    return name().replace('_', '-');
  }

  public static Optional<CpuFeature> byKey(String key) {
    // exact: {amx: off, AMX: on} would otherwise be two settings of one feature
    return Arrays.stream(values()).filter(f -> f.key.equals(key)).findFirst();
  }

  public static String keys() {
    return String.join(", ", Arrays.stream(values()).map(f -> f.key).toList());
  }

  /** Whether a /proc/cpuinfo flags line lists any of this extension's flags. */
  public boolean presentIn(java.util.Set<String> cpuFlags) {
    return cpuinfoFlags.stream().anyMatch(cpuFlags::contains);
  }
}
