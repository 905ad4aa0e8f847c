package dev.llamasweep.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class BackendDevicesTest {
  /** llama-bench --list-devices of the pinned CUDA build on one H200 (the split run's host.json). */
  static final String ONE_H200 = """
      ggml_cuda_init: found 1 CUDA devices (Total VRAM: 143155 MiB):
        Device 0: NVIDIA H200, compute capability 9.0, VMM: yes, VRAM: 143155 MiB
      Available devices:
        CUDA0: NVIDIA H200 (143155 MiB, 142629 MiB free)
      """;

  @Test
  void theDevicesAreTheLinesUnderAvailableDevices() {
    BackendDevices d = BackendDevices.of("cuda", "llama-bench --list-devices", ONE_H200, true);
    assertEquals(List.of("CUDA0: NVIDIA H200 (143155 MiB, 142629 MiB free)"), d.devices());
    assertNull(d.flag());
  }

  @Test
  void aMainGpuPastTheListedDevicesIsRefusedOnlyWhereLlamaCppReadsIt() {
    BackendDevices d = BackendDevices.of("cuda", "llama-bench --list-devices", ONE_H200, true);
    assertNull(d.mainGpuRefusal("none", 0L), "device 0 is listed");
    String why = d.mainGpuRefusal("none", 1L);
    assertTrue(why != null && why.startsWith("main_gpu 1 names no device of cuda, which lists 1 (CUDA0: NVIDIA H200") && why.contains("invalid value for main_gpu"), why);
    // a layer or tensor split ignores main_gpu (src/llama.cpp keeps the main GPU only with split_mode none); unset is llama-bench's 0
    assertNull(d.mainGpuRefusal("layer", 3L));
    assertNull(d.mainGpuRefusal(null, 3L));
    assertNull(d.mainGpuRefusal("none", null));
    // a CPU build lists no device: llama.cpp has no GPU to choose and never reads main_gpu
    assertNull(BackendDevices.of("cpu", "llama-bench --list-devices", "Available devices:\n", false).mainGpuRefusal("none", 1L));
  }
}
