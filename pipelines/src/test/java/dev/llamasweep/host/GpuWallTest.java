package dev.llamasweep.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** NVIDIA facts and walls from real H100 outputs: nvidia-smi's query CSV and the CUDA probe's lines. */
class GpuWallTest {
  static String read(String name) throws IOException {
    try (var in = GpuWallTest.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void nvidiaSmiQueryIsReadWithItsUnits() throws IOException {
    List<Map<String, String>> gpus = GpuWall.parseQuery(read("/h100/nvidia-smi-query-gpu.csv"));
    assertEquals(1, gpus.size());
    Map<String, String> g = gpus.get(0);
    assertEquals("NVIDIA H100 80GB HBM3", g.get("name"));
    assertEquals("2619 MHz", g.get("clocks.max.memory"));
    assertEquals(2619.0, GpuWall.number(g.get("clocks.max.memory")));
    assertEquals(700.0, GpuWall.number(g.get("power.limit")));
    assertEquals("580.159.04", g.get("driver_version"));
    Map<String, String> full = GpuWall.parseQuery(read("/h100/nvidia-smi-query-gpu-full.csv")).get(0);
    assertEquals("9.0", full.get("compute_cap"));
    assertEquals("16", full.get("pcie.link.width.max"));
    assertNull(GpuWall.number("[N/A]"));
  }

  @Test
  void theTheoreticalWallNeedsTheBusWidthFromTheCudaRuntime() throws IOException {
    Map<String, String> smi = GpuWall.parseQuery(read("/h100/nvidia-smi-query-gpu-full.csv")).get(0);
    Map<String, String> probe = GpuWall.parseProbe(read("/h100/gpuprobe-stdout.txt"));
    assertEquals("5120", probe.get("bus_width_bits"));
    GpuWall.Wall w = GpuWall.of(0, smi, probe, "gpuprobe 0 20");
    // 2619 MHz × 2 × 5120 bit / 8 = 3,352,320 MB/s
    assertEquals(3352.32, w.theoreticalGBs(), 1e-9);
    assertTrue(w.theoreticalHow().startsWith("2619 MHz × 2 × 5120 bit / 8 = **3352.3 GB/s**"), w.theoreticalHow());
    assertEquals(3073.1, w.readGBs(), 1e-9);
    assertTrue(w.readGBs() <= w.theoreticalGBs(), "what the read kernel measured stays under the wall");
    assertEquals("5120", w.facts().get("CUDA runtime bus_width_bits"));
    // nvidia-smi alone knows the clock but not the bus: no wall, and it says why
    GpuWall.Wall smiOnly = GpuWall.of(0, smi, null, "");
    assertNull(smiOnly.theoreticalGBs());
    assertTrue(smiOnly.unknownBecause().contains("bus width is unknown"), smiOnly.unknownBecause());
  }

  /**
   * The real probe on an H200 with the two models' matrix sizes (LLaMA-2-7B shape 25,362,432 B, Qwen3-8B
   * 28,311,552 B): graph-launched reads of exactly that size are what the report uses — 3,358.4 GB/s where
   * the one-kernel-at-a-time reads by size, interpolated, said about 2.7 TB/s.
   */
  @Test
  void graphLaunchedReadsAtTheModelsOwnSizesAreUsedExactly() throws IOException {
    Map<String, String> probe = GpuWall.parseProbe(read("/h200/gpuprobe-graph.txt"));
    GpuWall.Wall w = GpuWall.of(0, null, probe, "gpuprobe 0 20 …");
    assertEquals(3358.4, w.readAt(25362432), 1e-9);
    assertEquals(3451.6, w.readAt(28311552), 1e-9);
    assertTrue(w.graphMeasuredAt(25362432));
    assertTrue(!w.graphMeasuredAt(20_000_000));
    // between graph-launched sizes: log-linear between 16 MiB (3,012.7) and 25,362,432 B (3,358.4)
    double t = Math.log(20_000_000 / 16777216.0) / Math.log(25362432 / 16777216.0);
    assertEquals(3012.7 + t * (3358.4 - 3012.7), w.readAt(20_000_000), 1e-9);
    // without graph-launched reads, the stream-launched ones by size, as before
    Map<String, String> streamOnly = new java.util.LinkedHashMap<>(probe);
    streamOnly.keySet().removeIf(k -> k.startsWith("read_graph"));
    GpuWall.Wall old = GpuWall.of(0, null, streamOnly, "gpuprobe 0 20");
    double s = Math.log(25362432 / 16777216.0) / Math.log(67108864 / 16777216.0);
    assertEquals(2355.2 + s * (3572.8 - 2355.2), old.readAt(25362432), 1e-9);
    assertTrue(old.readAt(25362432) < 2750, "the old probe's figure for this size: " + old.readAt(25362432));
  }
}
