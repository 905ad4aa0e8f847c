package dev.llamasweep.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llamasweep.spec.Spec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The probe on recorded outputs: an AMD APU like the seed's, an NVIDIA machine, and a locked-down box. */
class HostProbeTest {
  static String res(String name) {
    try {
      return Files.readString(Path.of("pipelines/src/test/resources/host", name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Files and commands from maps; anything absent is absent. */
  record Fake(Map<String, String> files, Map<String, HostProbe.Output> commands, Map<String, List<String>> dirs)
      implements HostProbe.Sources {
    public String file(String path) { return files.get(path); }
    public List<String> list(String dir, String prefix) { return dirs.getOrDefault(dir, List.of()); }
    public HostProbe.Output command(List<String> argv) { return commands.get(argv.get(0)); }
  }

  static Fake strixPoint(boolean withDmidecode) {
    Map<String, String> files = new HashMap<>();
    files.put("/proc/cpuinfo", "processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD Ryzen AI 9 HX 370 w/ Radeon 890M\n");
    files.put("/proc/meminfo", "MemTotal:       64907128 kB\nMemFree:        1000 kB\n");
    files.put("/proc/sys/kernel/osrelease", "6.17.0-5-generic\n");
    files.put("/sys/class/drm/card1/device/pp_dpm_mclk", res("pp_dpm_mclk-strix-point.txt"));
    files.put("/sys/class/kfd/kfd/topology/nodes/0/properties", "cpu_cores_count 24\nsimd_count 0\n");
    files.put("/sys/class/kfd/kfd/topology/nodes/1/properties", res("kfd-node1-strix-point.txt"));
    files.put("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor", "performance\n");
    Map<String, HostProbe.Output> cmds = new HashMap<>();
    cmds.put("nproc", new HostProbe.Output(0, "24\n"));
    cmds.put("dmesg", new HostProbe.Output(0, res("dmesg-strix-point.txt")));
    cmds.put("powerprofilesctl", new HostProbe.Output(0, "performance\n"));
    if (withDmidecode) cmds.put("dmidecode", new HostProbe.Output(0, res("dmidecode-framework13-2x32gb-ddr5.txt")));
    return new Fake(files, cmds, Map.of("/sys/class/drm", List.of("card1", "card1-eDP-1", "renderD128"),
        "/sys/class/kfd/kfd/topology/nodes", List.of("0", "1")));
  }

  @Test
  void amdApuLikeTheSeed() {
    HostProbe.HostFacts f = HostProbe.probe(strixPoint(true), null);
    assertEquals("AMD Ryzen AI 9 HX 370 w/ Radeon 890M", f.fact("cpu_model").value());
    assertEquals("24", f.fact("logical_cores").value());
    assertEquals("61.9 GiB", f.fact("memory_total").value());
    assertEquals("128-bit DDR5", f.fact("ram_width").value());
    assertEquals("[    4.567890] [drm] RAM width 128bits DDR5", f.fact("ram_width").raw());
    assertEquals("max 2800 MHz", f.fact("gpu_memory_clock").value());
    assertEquals("16 compute units, gfx1150", f.fact("amd_gpu").value());
    assertEquals("2 × 32 GB DDR5 at 5600 MT/s, 64-bit", f.fact("memory_modules").value());
    assertEquals("performance", f.fact("power_profile").value());
    assertEquals("performance", f.fact("cpu_governor").value());
    assertFalse(f.fact("nvidia_gpu").isKnown());
    assertEquals("nvidia-smi is not installed", f.fact("nvidia_gpu").unknownBecause());
    assertEquals(89.6, f.peakGBs(), 1e-9);
    assertEquals("from the host probe: 5600 MT/s (dmidecode: configured memory speed) × 128-bit bus (kernel log: RAM width) / 8 = 89.6 GB/s",
        f.peakHow());
  }

  @Test
  void withoutDmidecodeThePeakComesFromTheGpuMemoryClockAsTheSeedDid() {
    HostProbe.HostFacts f = HostProbe.probe(strixPoint(false), null);
    assertEquals("dmidecode is not installed", f.fact("memory_modules").unknownBecause());
    assertEquals(89.6, f.peakGBs(), 1e-9);
    assertTrue(f.peakHow().contains("2800 MHz × 2 (double data rate) = 5600 MT/s (/sys/class/drm/card1/device/pp_dpm_mclk)"), f.peakHow());
  }

  @Test
  void theSpecWinsOverTheProbe() {
    HostProbe.HostFacts f = HostProbe.probe(strixPoint(true), new Spec.HostMemory(6400, 128, null));
    assertEquals(102.4, f.peakGBs(), 1e-9);
    assertTrue(f.peakHow().startsWith("from the spec's host.memory: 6400 MT/s × 128 bit / 8 = 102,400 MB/s = 102.4 GB/s"), f.peakHow());
  }

  @Test
  void nvidiaMachine() {
    Map<String, HostProbe.Output> cmds = Map.of("nvidia-smi", new HostProbe.Output(0, res("nvidia-smi-tesla-t4.csv")),
        "dmidecode", new HostProbe.Output(1, "/sys/firmware/dmi/tables/smbios_entry_point: Permission denied\n"));
    HostProbe.HostFacts f = HostProbe.probe(new Fake(Map.of(), cmds, Map.of()), null);
    assertEquals("Tesla T4, 15360 MiB, memory clock up to 5001 MHz, SM clock up to 1590 MHz", f.fact("nvidia_gpu").value());
    assertEquals("dmidecode said: /sys/firmware/dmi/tables/smbios_entry_point: Permission denied", f.fact("memory_modules").unknownBecause());
    assertNull(f.peakGBs());
    assertTrue(f.peakHow().startsWith("unknown: "), f.peakHow());
  }

  @Test
  void nothingReadableLeavesEveryFactUnknownWithAReason() {
    HostProbe.HostFacts f = HostProbe.probe(new Fake(Map.of(), Map.of(), Map.of()), null);
    assertEquals(12, f.facts().size());
    for (Fact fact : f.facts()) {
      assertFalse(fact.isKnown(), fact.toString());
      assertFalse(fact.unknownBecause().isBlank(), fact.toString());
    }
  }

  @Test
  void powerProfilesListed() {
    assertEquals(List.of("performance", "balanced", "power-saver"), PowerProfiles.parseList(res("powerprofilesctl-list.txt")));
  }

  @Test
  void gpuBackendWithoutDevicesIsFlagged() {
    BackendDevices vk = BackendDevices.of("vulkan", "llama-bench --list-devices", "ggml_vulkan: No devices found.\nAvailable devices:\n  (none)\n", true);
    assertEquals(List.of(), vk.devices());
    assertTrue(vk.flag().contains("runs on the CPU"));
    BackendDevices lvp = BackendDevices.of("vulkan", "x", "Available devices:\n  Vulkan0: llvmpipe (LLVM 15.0.6, 256 bits) (23849 MiB, 23849 MiB free)\n", true);
    assertEquals(List.of("Vulkan0: llvmpipe (LLVM 15.0.6, 256 bits) (23849 MiB, 23849 MiB free)"), lvp.devices());
    assertNull(lvp.flag());
    assertNull(BackendDevices.of("cpu", "x", "Available devices:\n  (none)\n", false).flag(), "a CPU backend lists no GPU, rightly");
    assertTrue(BackendDevices.gpuIntended("rocm", null, 0L));
    assertTrue(BackendDevices.gpuIntended("laptop", null, 99L));
    assertFalse(BackendDevices.gpuIntended("cpu", "cpu", 0L));
  }
}
