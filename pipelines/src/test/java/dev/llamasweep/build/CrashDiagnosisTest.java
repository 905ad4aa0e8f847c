package dev.llamasweep.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llamasweep.spec.CpuFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The routing decision from recorded evidence: the crash an AMX Xeon with Debian 12's gcc gave (issue 17:
 * SIGSEGV at ldtilecfg in ggml_backend_amx_mul_mat, exit 139; or SIGILL, exit 132; tg and F32 fine),
 * decided here on a machine that need not have AMX.
 */
class CrashDiagnosisTest {
  static final Path CRASHES = Path.of("pipelines/src/test/resources/crashes");
  static final Set<String> XEON = HostCpu.parse("flags\t\t: fpu sse2 avx avx2 fma f16c avx512f avx512bw avx512_vnni avx512_bf16 avx512_fp16 amx_bf16 amx_tile amx_int8\n");
  static final Set<String> EPYC = HostCpu.parse("flags\t\t: fpu sse2 avx avx2 fma f16c avx512f avx512bw avx512_vnni\n");
  static final Set<CpuFeature> COMPILED_ALL = EnumSet.of(CpuFeature.AMX, CpuFeature.AVX512);

  static SelfTest.Probe ok(String type, SelfTest.Phase phase) {
    return new SelfTest.Probe(type, phase, List.of("llama-bench"), 0, "", List.of(), List.of());
  }

  static SelfTest.Probe crashed(String type, SelfTest.Phase phase, int exit, List<String> frames) {
    return new SelfTest.Probe(type, phase, List.of("llama-bench"), exit, "", frames, List.of());
  }

  static List<String> frames(String fixture) throws Exception {
    return SelfTest.frames(Files.readString(CRASHES.resolve(fixture)));
  }

  @Test
  void theRecordedAmxBacktraceBlamesAmxAndNamesTheFunctionAndTheRun() throws Exception {
    SelfTest.Result r = new SelfTest.Result(List.of(crashed("Q4_0", SelfTest.Phase.PP, 139, frames("amx-gdb-backtrace.txt")),
        ok("Q4_0", SelfTest.Phase.TG)));
    Optional<CrashDiagnosis.Blame> b = CrashDiagnosis.diagnose(r, XEON, COMPILED_ALL, Set.of());
    assertTrue(b.isPresent());
    assertEquals(CpuFeature.AMX, b.get().feature());
    assertEquals("AMX off: llama.cpp's AMX kernels crashed here (SIGSEGV in ggml_backend_amx_mul_mat, self-test of Q4_0 pp); "
        + "built with -mno-amx-tile -mno-amx-int8 -mno-amx-bf16", b.get().fact());
  }

  @Test
  void withoutGdbTheCrashPatternOfBatchedQuantizedProductsAloneBlamesAmx() {
    SelfTest.Result r = new SelfTest.Result(List.of(
        crashed("Q4_0", SelfTest.Phase.PP, 139, List.of()), ok("Q4_0", SelfTest.Phase.TG),
        crashed("Q8_0", SelfTest.Phase.PP, 132, List.of()), ok("Q8_0", SelfTest.Phase.TG)));
    CrashDiagnosis.Blame b = CrashDiagnosis.diagnose(r, XEON, null, Set.of()).orElseThrow();
    assertEquals(CpuFeature.AMX, b.feature());
    assertTrue(b.evidence().startsWith("SIGSEGV in the self-test of Q4_0, Q8_0 pp while tg ran"), b.evidence());
    assertTrue(b.evidence().contains("no backtrace"), b.evidence());
  }

  @Test
  void aCpuWithoutAmxBlamesNothingForTheSameCrash() throws Exception {
    SelfTest.Result r = new SelfTest.Result(List.of(crashed("Q4_0", SelfTest.Phase.PP, 139, List.of()), ok("Q4_0", SelfTest.Phase.TG)));
    assertEquals(Optional.empty(), CrashDiagnosis.diagnose(r, EPYC, null, Set.of()));
  }

  @Test
  void aBuildThatDidNotCompileAmxInIsNotBlamedForIt() {
    SelfTest.Result r = new SelfTest.Result(List.of(crashed("Q4_0", SelfTest.Phase.PP, 139, List.of()), ok("Q4_0", SelfTest.Phase.TG)));
    assertEquals(Optional.empty(), CrashDiagnosis.diagnose(r, XEON, EnumSet.of(CpuFeature.AVX512), Set.of()));
  }

  @Test
  void aFeatureAlreadyOffOrKeptOnByTheUserIsNeverBlamedAgain() {
    SelfTest.Result r = new SelfTest.Result(List.of(crashed("Q4_0", SelfTest.Phase.PP, 139, List.of()), ok("Q4_0", SelfTest.Phase.TG)));
    assertEquals(Optional.empty(), CrashDiagnosis.diagnose(r, XEON, null, Set.of(CpuFeature.AMX)));
  }

  @Test
  void aBacktraceInOtherKernelsOrACrashInGenerationTooIsNotAmxs() throws Exception {
    SelfTest.Result other = new SelfTest.Result(List.of(crashed("Q4_0", SelfTest.Phase.PP, 139, frames("other-segv-gdb.txt")),
        ok("Q4_0", SelfTest.Phase.TG)));
    assertEquals(Optional.empty(), CrashDiagnosis.diagnose(other, XEON, null, Set.of()), "the backtrace names no feature's kernels");
    SelfTest.Result everywhere = new SelfTest.Result(List.of(crashed("Q4_0", SelfTest.Phase.PP, 139, List.of()),
        crashed("Q4_0", SelfTest.Phase.TG, 139, List.of())));
    assertEquals(Optional.empty(), CrashDiagnosis.diagnose(everywhere, XEON, null, Set.of()), "tg crashed too: not the batched kernels");
    SelfTest.Result f16 = new SelfTest.Result(List.of(crashed("F16", SelfTest.Phase.PP, 139, List.of()), ok("F16", SelfTest.Phase.TG)));
    assertEquals(Optional.empty(), CrashDiagnosis.diagnose(f16, XEON, null, Set.of()), "F16 is not a quantized type");
  }

  @Test
  void aFailureThatIsNoCrashBlamesNothing() {
    SelfTest.Result r = new SelfTest.Result(List.of(crashed("Q4_0", SelfTest.Phase.PP, 1, List.of()), ok("Q4_0", SelfTest.Phase.TG)));
    assertEquals(Optional.empty(), CrashDiagnosis.diagnose(r, XEON, null, Set.of()));
    assertTrue(r.summary().startsWith("Q4_0 pp failed: exit 1"), r.summary());
  }

  @Test
  void gdbOutputKeepsTheSignalTheFramesAndTheFaultingInstruction() throws Exception {
    List<String> f = frames("amx-gdb-backtrace.txt");
    assertTrue(f.get(0).contains("received signal SIGSEGV"), f.toString());
    assertTrue(f.stream().anyMatch(l -> l.startsWith("#3 ") && l.contains("ggml_graph_compute_thread")), f.toString());
    assertTrue(f.get(f.size() - 1).startsWith("=> ") && f.get(f.size() - 1).contains("ldtilecfg"), f.toString());
    SelfTest.Probe p = crashed("Q4_0", SelfTest.Phase.PP, 139, f);
    assertEquals("ggml_backend_amx_mul_mat", p.crashFunction());
    assertEquals("Q4_0 pp crashed: SIGSEGV (signal 11)", new SelfTest.Result(List.of(p)).summary());
  }

  @Test
  void theVerboseLogSaysWhichSpecialBuffersTheWeightsWentTo() throws Exception {
    assertEquals(List.of("AMX", "CPU_REPACK"), SelfTest.extraBuffers(Files.readString(CRASHES.resolve("amx-verbose-stderr.log"))));
  }

  @Test
  void recordsSurviveTheirJsonCodec() throws Exception {
    SelfTest.Probe p = crashed("Q8_0", SelfTest.Phase.PP, 132, List.of("#0  0x1 in ggml_backend_amx_mul_mat () from x"));
    assertEquals(p, SelfTest.probeOf(SelfTest.toJson(p)));
    BuildRecord rec = new BuildRecord("cpu", dev.llamasweep.spec.BuildOptions.DEFAULT,
        dev.llamasweep.spec.BuildOptions.DEFAULT.without(CpuFeature.AMX), "/c/build-cpu-no-amx",
        "CPU : SSE3 = 1 | AVX2 = 1 | AMX_INT8 = 0 | OPENMP = 1 | REPACK = 1 | ", new SelfTest.Result(List.of(p)), List.of("AMX off: …"));
    BuildRecord back = BuildRecord.fromJson(rec.toJson());
    assertEquals(rec, back);
    assertEquals("SSE3 AVX2 OPENMP REPACK", back.cpuFeatures());
  }
}
