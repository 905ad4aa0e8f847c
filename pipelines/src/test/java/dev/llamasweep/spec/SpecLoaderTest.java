package dev.llamasweep.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpecLoaderTest {
  @TempDir Path dir;

  Spec load(String yaml) throws IOException {
    Path f = dir.resolve("s.yaml");
    Files.writeString(f, yaml);
    return new SpecLoader(dir).load(f);
  }

  @Test
  void shippedSpecsLoad() {
    SpecLoader loader = new SpecLoader(Path.of("").toAbsolutePath());
    Spec local = loader.load(Path.of("experiments/local.yaml"));
    assertEquals("local", local.name());
    assertNull(local.memory());
    assertTrue(GridExpander.cells(local).size() >= 4);
    Spec strix = loader.load(Path.of("experiments/strix-point.yaml"));
    assertEquals(5600, strix.memory().transferRateMts());
    assertEquals(128, strix.memory().busWidthBits());
    assertEquals(List.of("vulkan", "rocm", "cpu"), List.copyOf(strix.backends().keySet()));
    assertEquals(2, strix.backends().get("rocm").env().size());
  }

  @Test
  void resolutionOrderIsGridThenBackendThenDefaultsThenBuiltin() throws IOException {
    Spec s = load("""
        name: t
        models: {m: {path: /x.gguf}}
        backends:
          gpu: {bin: /b, gpu_layers: 99, threads: 4}
        defaults: {threads: 8, prompt: 256, gpu_layers: 0}
        experiments:
          - {name: a, grid: {model: m, backend: gpu, threads: [2]}}
        """);
    Cell c = GridExpander.cells(s).get(0);
    assertEquals(2L, c.get(Axis.THREADS));          // grid
    assertEquals(99L, c.get(Axis.GPU_LAYERS));      // backend over defaults
    assertEquals(256L, c.get(Axis.PROMPT));         // defaults
    assertEquals(128L, c.get(Axis.GENERATE));       // llama-bench's own default
    assertEquals(5L, c.get(Axis.REPETITIONS));
  }

  @Test
  void rowSplitRunsWhereLlamaCppMayHaveSplitBuffersAndIsRefusedWhereItHasNone() throws IOException {
    // a bin: backend (any llama.cpp), an older release, and a CPU build without rpc-servers (no GPU device): all run
    Spec s = load("""
        name: t
        models: {m: {path: /x.gguf}}
        backends:
          own: {bin: /b, gpu_layers: 99}
          old: {build: cuda, llama_cpp: b5000, gpu_layers: 99}
          cpu: {build: cpu}
          gpu: {build: cuda, gpu_layers: 99}
        experiments:
          - {name: a, grid: {model: m, backend: [own, old, cpu, gpu], split_mode: [layer, row]}, exclude: [{backend: gpu, split_mode: row}]}
        """);
    assertEquals(7, GridExpander.cells(s).size());
    SpecException e = assertThrows(SpecException.class, () -> load("""
        name: t
        models: {m: {path: /x.gguf}}
        backends: {gpu: {build: vulkan, gpu_layers: 99}}
        experiments:
          - {name: a, grid: {model: m, backend: gpu, split_mode: [tensor, row]}}
        """));
    assertTrue(e.getMessage().contains(":5:") && e.getMessage().contains("split_mode tensor"), e.getMessage());
  }

  @Test
  void homeAndRelativePathsResolve() throws IOException {
    Spec s = load("""
        name: t
        models: {m: {path: ~/models/x.gguf}, r: {path: rel/y.gguf}}
        backends: {b: {bin: ./bin}}
        experiments:
          - {name: a, grid: {model: [m, r], backend: b}}
        """);
    assertEquals(Path.of(System.getProperty("user.home"), "models/x.gguf"), s.models().get("m").path());
    assertEquals(dir.resolve("rel/y.gguf"), s.models().get("r").path());
    assertEquals(dir.resolve("bin"), s.backends().get("b").bin());
  }

  @Test
  void errorNamesTheLineOfTheOffendingValue() throws IOException {
    SpecException e = assertThrows(SpecException.class, () -> load("""
        name: t
        models: {m: {path: /x.gguf}}
        backends: {b: {bin: /b}}
        experiments:
          - name: a
            grid:
              model: m
              backend: b
              generate: [128, lots]
        """));
    assertEquals(9, e.line());
    assertEquals("experiments[0].grid.generate[1]", e.field());
    assertTrue(e.getMessage().startsWith("s.yaml:9:"), e.getMessage());
  }
}
