package dev.llamasweep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** On a machine without the CUDA toolkit, `build: cuda` cells are recorded as skipped with the reason, and the sweep goes on. */
class CudaSkippedIT {
  @TempDir Path work;

  @Test
  void cudaCellsAreSkippedWithTheReason() throws Exception {
    String why = dev.llamasweep.build.CmakeConfig.gpuMissing("cuda");
    Assumptions.assumeTrue(why != null, "this machine has nvcc and an NVIDIA GPU");
    LlamaCpp.draft();
    Path spec = Files.writeString(work.resolve("cu.yaml"), """
        name: cu
        backends: {cpu: {build: cpu, gpu_layers: 0}, cuda: {build: cuda, gpu_layers: 99}}
        models: {d: {synthetic: draft, quant: Q8_0}}
        defaults: {prompt: 0, generate: 8, repetitions: 3}
        experiments:
          - {name: b, order: sequential, grid: {model: d, backend: [cpu, cuda]}}
        """);
    assertEquals(0, LlamaCpp.sweep(work, "run", spec), "skipped cells are reported, not errors");
    String cells = Files.readString(work.resolve("data/cu/cells.csv"));
    assertTrue(cells.lines().anyMatch(l -> l.contains(",cuda,") && l.contains("skipped") && l.contains(why)), cells);
    assertTrue(cells.lines().anyMatch(l -> l.contains(",cpu,") && l.contains(",ok,")), cells);
    String md = Files.readString(work.resolve("reports/cu/report.md"));
    assertTrue(md.contains(why.replace("(", "\\(").replace(")", "\\)")) || md.contains(why), md);
  }
}
