package dev.llamasweep.build;



import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llamasweep.spec.BuildOptions;
import dev.llamasweep.spec.CpuFeature;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Build options reach CMake, and every combination has a build directory of its own, named for what it is. */
class BuildOptionsTest {
  final Toolchain tc = new Toolchain(Path.of("/c"), System.err);

  @Test
  void eachCombinationHasItsOwnDirectory() {
    BuildOptions noAmx = BuildOptions.DEFAULT.without(CpuFeature.AMX);
    BuildOptions blas = new BuildOptions(Set.of(), List.of("-DGGML_BLAS=ON"));
    assertEquals(Path.of("/c/llama.cpp/80fb11a/build-cpu"), tc.buildDir("cpu", BuildOptions.DEFAULT));
    assertEquals(Path.of("/c/llama.cpp/80fb11a/build-cpu-no-amx"), tc.buildDir("cpu", noAmx));
    assertEquals(Path.of("/c/llama.cpp/80fb11a/build-vulkan-no-amx-no-avx512"), tc.buildDir("vulkan", noAmx.without(CpuFeature.AVX512)));
    assertTrue(tc.buildDir("cpu", blas).getFileName().toString().matches("build-cpu-cmake-[0-9a-f]{8}"));
    assertNotEquals(tc.buildDir("cpu", blas), tc.buildDir("cpu", new BuildOptions(Set.of(), List.of("-DGGML_BLAS=OFF"))));
    assertEquals(tc.buildDir("cpu", BuildOptions.DEFAULT), tc.buildDir("cpu", new BuildOptions(Set.of(), List.of(), Set.of(CpuFeature.AMX))),
        "keeping AMX on builds what the default builds");
    assertEquals("AMX off; -DGGML_BLAS=ON", new BuildOptions(EnumSet.of(CpuFeature.AMX), List.of("-DGGML_BLAS=ON")).describe());
  }

  @Test
  void featuresOffReachTheCAndCxxFlagsAndUserOptionsComeLast() {
    BuildOptions o = new BuildOptions(EnumSet.of(CpuFeature.AVX512, CpuFeature.AMX), List.of("-DGGML_BLAS=ON"));
    List<String> argv = CmakeConfig.configureArgs("cpu", o, Path.of("/s"), Path.of("/b"), Path.of("/r"), null, Path.of("/h"));
    String flags = "-mno-amx-tile -mno-amx-int8 -mno-amx-bf16 -mno-avx512f";
    assertTrue(argv.contains("-DCMAKE_C_FLAGS=" + flags), argv.toString());
    assertTrue(argv.contains("-DCMAKE_CXX_FLAGS=" + flags), argv.toString());
    assertTrue(argv.contains("-DGGML_NATIVE=ON"), argv.toString());
    assertTrue(argv.contains("-DLLAMA_BUILD_COMMIT=" + Toolchain.COMMIT), "a source without git history still says its commit: " + argv);
    assertEquals("-DGGML_BLAS=ON", argv.get(argv.size() - 1), "the user's options come last, so they win");
    List<String> plain = CmakeConfig.configureArgs("cpu", BuildOptions.DEFAULT, Path.of("/s"), Path.of("/b"), Path.of("/r"), null, Path.of("/h"));
    assertTrue(plain.stream().noneMatch(a -> a.startsWith("-DCMAKE_C_FLAGS")), "the default build sets no flags: " + plain);
    List<String> cuda = CmakeConfig.configureArgs("cuda", BuildOptions.DEFAULT.without(CpuFeature.AMX), Path.of("/s"), Path.of("/b"),
        Path.of("/r"), "90", Path.of("/h"));
    assertTrue(cuda.contains("-DGGML_CUDA=ON") && cuda.contains("-DCMAKE_CUDA_ARCHITECTURES=90")
        && cuda.contains("-DCMAKE_CXX_FLAGS=-mno-amx-tile -mno-amx-int8 -mno-amx-bf16"), cuda.toString());
  }
}
