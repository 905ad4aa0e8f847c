package dev.llamasweep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llamasweep.cli.Main;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real backends built from the pinned source, Vulkan on mesa's lavapipe and CPU, side by side;
 * the same Vulkan build without GGML_VK_VISIBLE_DEVICES sees no device and is flagged; a backend
 * whose binaries do not exist has its cells skipped with the reason.
 */
class BackendsIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static Path cache;

  @TempDir Path work;

  @BeforeAll
  static void build() {
    cache = LlamaCpp.cache();
    // make test runs pipelines/scripts/vulkan-deps.sh first; here the build must succeed
    LlamaCpp.toolchain().ensureVulkanBuild();
    LlamaCpp.target();
  }

  @Test
  void vulkanAgainstCpuWithDeviceEvidence() throws Exception {
    Path spec = Files.writeString(work.resolve("b.yaml"), """
        name: backends
        backends:
          cpu: {build: cpu, threads: auto, gpu_layers: 0}
          vulkan: {build: vulkan, gpu_layers: 99, env: {GGML_VK_VISIBLE_DEVICES: "0"}}
          vulkan-hidden: {build: vulkan, gpu_layers: 99}
          rocm: {bin: /opt/no-such-rocm, gpu_layers: 99}
        models: {target: {synthetic: target, quant: Q4_K_M}}
        defaults: {prompt: 16, generate: 4, repetitions: 2}
        experiments:
          - name: backends
            grid: {model: target, backend: [cpu, vulkan, vulkan-hidden, rocm]}
          # lavapipe is one device: main_gpu 1 with split_mode none is one llama.cpp cannot load
          - name: main-gpu
            grid: {model: target, backend: vulkan, split_mode: none, main_gpu: [0, 1], prompt: 0}
        """);
    // an explicit bin: that does not exist is a mistake in the spec: run refuses it as validate does, and runs nothing
    assertEquals(2, LlamaCpp.sweep(work, "run", spec), "a typo in bin: is a spec error");
    assertTrue(!Files.exists(work.resolve("data/backends/raw")), "nothing ran");
    spec = Files.writeString(spec, Files.readString(spec).replace("          rocm: {bin: /opt/no-such-rocm, gpu_layers: 99}\n", "")
        .replace("backend: [cpu, vulkan, vulkan-hidden, rocm]", "backend: [cpu, vulkan, vulkan-hidden]"));
    assertEquals(0, LlamaCpp.sweep(work, "run", spec));

    Map<String, JsonNode> byBackend = new HashMap<>();
    Map<Long, JsonNode> byMainGpu = new HashMap<>();
    try (Stream<Path> dirs = Files.list(work.resolve("data/backends/raw"))) {
      for (Path d : dirs.toList()) {
        JsonNode cell = JSON.readTree(d.resolve("cell.json").toFile());
        if (cell.get("params").has("main_gpu")) {
          byMainGpu.put(cell.get("params").get("main_gpu").asLong(), JSON.readTree(d.resolve("result.json").toFile()));
          continue;
        }
        byBackend.put(cell.get("params").get("backend").asText(), JSON.readTree(d.resolve("result.json").toFile()));
      }
    }
    assertEquals("ok", byBackend.get("cpu").get("status").asText());
    assertEquals("ok", byBackend.get("vulkan").get("status").asText());
    assertEquals("Vulkan", byBackend.get("vulkan").get("backends").asText());
    // main_gpu is checked against the devices the backend lists before anything runs: 0 runs, 1 is skipped with the reason
    assertEquals("ok", byMainGpu.get(0L).get("status").asText(), byMainGpu.get(0L).toString());
    assertEquals("skipped", byMainGpu.get(1L).get("status").asText(), byMainGpu.get(1L).toString());
    assertTrue(byMainGpu.get(1L).get("reason").asText().startsWith("main_gpu 1 names no device of vulkan, which lists 1 (Vulkan0: llvmpipe"),
        byMainGpu.get(1L).toString());

    JsonNode host = JSON.readTree(work.resolve("data/backends/host.json").toFile());
    String devices = host.get("backends").get("vulkan").get("devices").toString();
    assertTrue(devices.contains("llvmpipe"), "lavapipe is listed with GGML_VK_VISIBLE_DEVICES=0: " + devices);
    assertTrue(host.get("backends").get("vulkan-hidden").get("flag").asText().contains("runs on the CPU"),
        "without it llama.cpp lists no device: " + host.get("backends").get("vulkan-hidden"));

    String report = Files.readString(work.resolve("reports/backends/report.md"));
    assertTrue(report.contains("| vulkan-hidden ⚠ no GPU device |"), report);
    assertTrue(report.contains("### backend: how many times faster"), report);
    assertTrue(report.matches("(?s).*tg4: \\*\\*[a-z-]+\\*\\* is [0-9.]+× .*"), report);
  }
}
