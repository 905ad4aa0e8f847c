package dev.llamasweep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llamasweep.io.Processes;
import dev.llamasweep.build.BuildRecord;
import dev.llamasweep.build.HostCpu;
import dev.llamasweep.build.SelfTest;
import dev.llamasweep.build.Toolchain;
import dev.llamasweep.spec.BuildOptions;
import dev.llamasweep.spec.CpuFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pinned build's self-test on the real binary, and build options reaching the compiler of their own build directory. */
class SelfTestIT {
  @TempDir Path tmp;

  @Test
  void theCpuBuildProvesItselfOnceAndSaysWhatItIs() throws Exception {
    Toolchain tc = LlamaCpp.toolchain();
    Toolchain.Proven p = tc.prove("cpu", BuildOptions.DEFAULT, Toolchain.SELF_TEST_TYPES);
    BuildRecord r = p.record();
    SelfTest.Result st = r.selfTest();
    assertEquals(6, st.probes().size(), "pp and tg of Q4_0, Q8_0 and Q4_K_M: " + st.probes());
    boolean amx = CpuFeature.AMX.presentIn(HostCpu.flags());
    if (r.turnedOff().isEmpty()) {
      assertTrue(st.passed(), "on this CPU the default build runs every weight type: " + st.summary());
      assertEquals(tc.buildDir("cpu"), p.bin().getParent());
    } else {
      // a machine whose AMX kernels crash: the record says so, and the build used has AMX off and passes
      assertTrue(amx, "only a CPU with AMX routes around it: " + r.turnedOff());
      assertTrue(r.turnedOff().get(0).startsWith("AMX off: llama.cpp's AMX kernels crashed here ("), r.turnedOff().toString());
      assertTrue(r.used().featuresOff().contains(CpuFeature.AMX));
      assertTrue(st.passed(), st.summary());
    }
    for (SelfTest.Probe probe : st.probes()) {
      assertTrue(probe.command().contains("-dev") && probe.command().contains("none"), "the CPU kernels are tested: " + probe.command());
      assertTrue(Files.isRegularFile(Path.of(r.dir(), "self-test", probe.type() + "-" + probe.phase().word + ".stderr.log")));
    }
    assertNotNull(r.systemInfo(), "llama.cpp's own system info line, from the build's libllama");
    assertTrue(r.systemInfo().startsWith("CPU : "), r.systemInfo());
    assertTrue(r.cpuFeatures().contains("AVX2") || r.cpuFeatures().contains("NEON") || !r.cpuFeatures().isEmpty(), r.cpuFeatures());
    assertFalse(amx && r.cpuFeatures().contains("AMX_INT8") && !r.turnedOff().isEmpty(), "a build with AMX off does not report AMX: " + r.cpuFeatures());

    // cached with the build: a second proof runs nothing
    Map<Path, FileTime> before = times(Path.of(r.dir(), "self-test"));
    Toolchain.Proven again = tc.prove("cpu", BuildOptions.DEFAULT, Toolchain.SELF_TEST_TYPES);
    assertEquals(p.bin(), again.bin());
    assertEquals(before, times(Path.of(r.dir(), "self-test")), "no probe ran again");
    assertEquals(p.bin(), tc.provenBinIfKnown("cpu", BuildOptions.DEFAULT), "plan and reports name the same build without running anything");
  }

  /** A cpu_features option reaches the compiler flags of its own build directory (configured for real; nothing is compiled). */
  @Test
  void aFeatureTurnedOffReachesTheCompilerFlagsOfItsOwnBuild() throws Exception {
    Toolchain tc = LlamaCpp.toolchain();
    BuildOptions noAmx = BuildOptions.DEFAULT.without(CpuFeature.AMX).without(CpuFeature.AVX512);
    Path build = tmp.resolve("build-cpu" + noAmx.dirSuffix());
    List<String> argv = new ArrayList<>(Toolchain.configureArgsFor("cpu", noAmx, tc, build));
    Processes.check(argv, null, "cmake configure");
    String cache = Files.readString(build.resolve("CMakeCache.txt"));
    assertTrue(cache.contains("CMAKE_C_FLAGS:STRING=-mno-amx-tile -mno-amx-int8 -mno-amx-bf16 -mno-avx512f"), "CMakeCache.txt");
    assertTrue(cache.contains("CMAKE_CXX_FLAGS:STRING=-mno-amx-tile -mno-amx-int8 -mno-amx-bf16 -mno-avx512f"), "CMakeCache.txt");
    // the CPU backend's own compile line carries them beside -march=native; gcc's -mno-* wins whatever the order
    String flags = Files.readString(build.resolve("ggml/src/CMakeFiles/ggml-cpu.dir/flags.make"));
    assertTrue(flags.contains("-mno-amx-tile") && flags.contains("-march=native"), flags);
    // and the compiler, asked with those flags, has neither AMX nor AVX-512 on
    Processes.Captured c = Processes.captureWithExit(List.of("c++", "-march=native", "-mno-amx-tile", "-mno-amx-int8", "-mno-amx-bf16",
        "-mno-avx512f", "-dM", "-E", "-x", "c++", "/dev/null"), null, 30);
    assertFalse(c.output().contains("__AMX_TILE__") || c.output().contains("__AVX512F__"), "the -mno flags win over -march=native");
  }

  static Map<Path, FileTime> times(Path dir) throws Exception {
    Map<Path, FileTime> out = new HashMap<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path f : s.toList()) out.put(f, Files.getLastModifiedTime(f));
    }
    return out;
  }
}
