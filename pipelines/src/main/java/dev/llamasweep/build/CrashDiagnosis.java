package dev.llamasweep.build;

import dev.llamasweep.spec.CpuFeature;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Which CPU feature's kernels a crashing self-test points at, from recorded evidence alone (so the
 * rule is tested without the CPU that crashes). A feature is a suspect only when this CPU has it, the
 * build compiled it in and the user did not ask to keep it. Then, in order:
 * <ol>
 *   <li>a backtrace frame names the feature's kernels ({@code ggml_backend_amx_mul_mat} → AMX);
 *   <li>with no backtrace at all: a feature whose kernels run only batched products of quantized
 *       weights (AMX) when every crash is prompt processing of a quantized type and generation of
 *       that type ran — the crash pattern of those kernels and nothing else.
 * </ol>
 * A suspect is confirmed only by the rebuild without it passing the same self-test.
 */
public final class CrashDiagnosis {
  private CrashDiagnosis() {}

  /** The feature blamed and the evidence, as one sentence's middle: "SIGSEGV in ggml_backend_amx_mul_mat, self-test of Q4_0 pp". */
  public record Blame(CpuFeature feature, String evidence) {
    /** "AMX off: llama.cpp's AMX kernels crashed here (…); built with -mno-amx-tile …". */
    public String fact() {
      return feature.label() + " off: llama.cpp's " + feature.label() + " kernels crashed here (" + evidence + "); built with "
          + String.join(" ", feature.offFlags);
    }
  }

  /**
   * @param cpuFlags the flags of /proc/cpuinfo
   * @param compiledIn the features the build's compiler enabled (null when unknown: then every one the CPU has, as -march=native does)
   * @param excluded features already off, or kept on by the user's choice
   */
  public static Optional<Blame> diagnose(SelfTest.Result result, Set<String> cpuFlags, Set<CpuFeature> compiledIn, Set<CpuFeature> excluded) {
    List<SelfTest.Probe> crashes = result.crashes();
    if (crashes.isEmpty()) return Optional.empty();
    List<CpuFeature> suspects = java.util.Arrays.stream(CpuFeature.values())
        .filter(f -> f.presentIn(cpuFlags) && (compiledIn == null || compiledIn.contains(f)) && !excluded.contains(f)).toList();
    for (CpuFeature f : suspects) {
      if (f.kernelSymbol == null) continue;
      for (SelfTest.Probe p : crashes) {
        String frame = p.backtrace().stream().filter(l -> l.toLowerCase(Locale.ROOT).contains(f.kernelSymbol)).findFirst().orElse(null);
        if (frame != null) {
          String fn = p.crashFunction();
          return Optional.of(new Blame(f, p.status().signalName() + " in " + (fn != null ? fn : frame) + ", self-test of " + p.label()));
        }
      }
    }
    if (crashes.stream().anyMatch(p -> !p.backtrace().isEmpty())) return Optional.empty();
    boolean onlyBatchedQuant = crashes.stream().allMatch(p -> p.phase() == SelfTest.Phase.PP && quantized(p.type())
        && result.probes().stream().anyMatch(q -> q.type().equals(p.type()) && q.phase() == SelfTest.Phase.TG && q.ok()));
    if (!onlyBatchedQuant) return Optional.empty();
    for (CpuFeature f : suspects) {
      if (!f.batchedQuantOnly) continue;
      SelfTest.Probe first = crashes.get(0);
      String types = String.join(", ", crashes.stream().map(SelfTest.Probe::type).distinct().toList());
      return Optional.of(new Blame(f, first.status().signalName() + " in the self-test of " + types + " pp while tg ran, the pattern of the "
          + f.label() + " kernels (no backtrace: gdb is not installed)"));
    }
    return Optional.empty();
  }

  /** A quantized weight type (not F32, F16 or BF16). */
  static boolean quantized(String type) {
    return !List.of("F32", "F16", "BF16").contains(type);
  }
}
