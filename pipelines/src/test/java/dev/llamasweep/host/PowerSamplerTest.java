package dev.llamasweep.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llamasweep.llamacpp.BenchJsonl;
import dev.llamasweep.llamacpp.BenchRecord;
import dev.llamasweep.stats.Energy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Heat and energy: parsers on real formats (an H100's nvidia-smi trace, sysfs laid out as the kernel does). */
class PowerSamplerTest {
  @TempDir Path root;

  static String resource(String name) throws IOException {
    try (var in = PowerSamplerTest.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void anH100TraceGivesJoulesPerTokenCheckableByHand() throws IOException {
    List<PowerTrace.Sample> s = PowerTrace.parseNvidiaSmi(resource("/h100/nvidia-smi-power-trace.csv"), ZoneOffset.UTC);
    assertEquals(57 * 4, s.size(), "57 rows × power, temperature, SM and memory clocks");
    List<BenchRecord> run = BenchJsonl.parse(resource("/h100/llama-bench-tg512-during-power-trace.jsonl"), "fixture");
    // the trace was stopped just after the run: the tg window is its last Σ samples_ns = 4.552 s,
    // 21:24:41.357 to 21:24:45.909; the trapezoid integral of power.draw over it is 1,962.6 J (431.1 W average)
    Instant start = Instant.ofEpochMilli(Math.round(s.get(0).t() * 1000));
    Instant end = Instant.ofEpochMilli(Math.round(s.get(s.size() - 1).t() * 1000));
    ObjectNode n = dev.llamasweep.results.PowerJson.write(PowerSummary.summarize(s, run, start, end));
    assertEquals("nvidia-smi", n.get("source").asText());
    assertEquals(4.552, n.get("window_s").asDouble(), 0.001);
    assertEquals(1962.576, n.get("energy_j").asDouble(), 0.01);
    assertEquals(431.109, n.get("avg_w").asDouble(), 0.01);
    assertEquals(1536, n.get("tokens").asLong(), "3 repetitions × 512 tokens");
    assertEquals(1.2777, n.get("j_per_token").asDouble(), 1e-4);
    assertEquals(0.7826, n.get("tokens_per_j").asDouble(), 1e-4);
    // per repetition: the first still carries nvidia-smi's one-second averaging of the ramp
    assertEquals(1.038, n.get("j_per_token_per_rep").get(0).asDouble(), 0.001);
    assertEquals(1.401, n.get("j_per_token_per_rep").get(2).asDouble(), 0.001);
    assertEquals(476.76, n.get("peak_w").asDouble(), 0.01);
    assertEquals(50.0, n.get("max_temp_c").asDouble(), 1e-9, "the hottest temperature.gpu in the trace");
  }

  @Test
  void aFakeSysfsTreeIsFoundAsTheKernelLaysItOut() throws IOException {
    write("sys/class/powercap/intel-rapl:0/name", "package-0");
    write("sys/class/powercap/intel-rapl:0/energy_uj", "123456789");
    write("sys/class/powercap/intel-rapl:0:0/name", "dram");
    write("sys/class/powercap/intel-rapl:0:0/energy_uj", "555");
    write("sys/class/hwmon/hwmon0/name", "k10temp");
    write("sys/class/hwmon/hwmon0/temp1_input", "61250");
    write("sys/class/hwmon/hwmon1/name", "amdgpu");
    write("sys/class/hwmon/hwmon1/power1_average", "14000000");
    write("sys/class/hwmon/hwmon1/temp1_input", "48000");
    write("sys/class/thermal/thermal_zone0/type", "acpitz");
    write("sys/class/thermal/thermal_zone0/temp", "55000");
    write("sys/class/power_supply/BAT1/power_now", "21500000");
    write("sys/devices/system/cpu/cpu0/cpufreq/scaling_cur_freq", "2800000");
    List<PowerSampler.Probe> p = new PowerSampler(root).discover();
    List<String> found = p.stream().map(x -> x.source() + " " + x.quantity()).toList();
    assertEquals(List.of("rapl:package-0 energy_j", "rapl:dram energy_j", "hwmon:k10temp:temp1 temp_c", "hwmon:amdgpu power_w",
        "hwmon:amdgpu:temp1 temp_c", "thermal:acpitz temp_c", "battery:BAT1 power_w", "cpufreq:cpu0 clock_mhz"), found);
    // a real watch over the fake tree: 14 W from amdgpu's power1_average, 61.25 °C from k10temp
    // no sleep: a watch reads its sensors when it starts and when it stops, so even an instant window has both ends
    Instant before = Instant.now().minusMillis(1);
    var watch = new PowerSampler(root).start();
    ObjectNode n = dev.llamasweep.results.PowerJson.write(watch.stop(root, List.of(), before, Instant.now().plusSeconds(1)));
    assertEquals("rapl", n.get("source").asText(), "RAPL wins over hwmon and the battery");
    assertEquals(61.25, n.get("max_temp_c").asDouble(), 1e-9);
    assertTrue(Files.readString(root.resolve("power.csv")).contains(",hwmon:amdgpu,power_w,14.0"));
    assertTrue(n.get("sampler_cpu_s").asDouble() < 0.2, "the sampler must not disturb the benchmark: " + n);
  }

  @Test
  void raplCountersAreDifferentiatedAcrossPackagesAndWraps() {
    List<PowerTrace.Sample> s = new ArrayList<>();
    // package-0 gains 2 J per 0.1 s (20 W), package-1 1 J per 0.1 s (10 W); package-1 wraps once
    double[] p1 = {100, 101, 0.5, 1.5, 2.5};
    for (int i = 0; i < 5; i++) {
      s.add(new PowerTrace.Sample(i * 0.1, "rapl:package-0", "energy_j", 1000 + 2 * i));
      s.add(new PowerTrace.Sample(i * 0.1, "rapl:package-1", "energy_j", p1[i]));
      s.add(new PowerTrace.Sample(i * 0.1, "rapl:dram", "energy_j", 7 * i));
    }
    List<Energy.Point> w = PowerSummary.powerOf(s, "rapl");
    assertEquals(4, w.size());
    assertEquals(30.0, w.get(0).watts(), 1e-9);
    assertEquals(20.0, w.get(1).watts(), 1e-9, "the wrapped tick of package-1 is left out, not counted as negative");
    assertEquals(30.0, w.get(3).watts(), 1e-9);
  }

  @Test
  void countersAreUnwrappedPastTheirRange() {
    PowerSampler.Counters c = new PowerSampler.Counters();
    // a RAPL package counter with a 262,143.99 J range (max_energy_range_uj 262143999994) wrapping between 262,140 J and 3 J
    assertEquals(262_130.0, c.unwrap("rapl:package-0", 262_130.0, 262_143.999994), 1e-6);
    assertEquals(262_140.0, c.unwrap("rapl:package-0", 262_140.0, 262_143.999994), 1e-6);
    assertEquals(262_143.999994 + 3.0, c.unwrap("rapl:package-0", 3.0, 262_143.999994), 1e-6, "the wrap adds the range back");
    assertEquals(262_143.999994 + 13.0, c.unwrap("rapl:package-0", 13.0, 262_143.999994), 1e-6);
    assertEquals(5.0, c.unwrap("rapl:package-1", 5.0, 100), 1e-9, "each counter has its own state");
  }

  @Test
  void anNvmlCounterGivesTheCounterDifferenceAndGroupsShortRepetitions() {
    // five 0.36-s repetitions of 128 tokens (the H200's 7B cell), read by NVML's counter every 0.1 s at a steady 440 W
    List<Long> ns = List.of(360_000_000L, 360_000_000L, 360_000_000L, 360_000_000L, 360_000_000L);
    BenchRecord tg = new BenchRecord("80fb11a", 1, "CUDA", "cpu", "H200", "llama 7B Q4_0", 3_800_000_000L, 7_000_000_000L, 16, 99, "auto",
        "mmap", 0, 128, 0, "2026-12-02T10:00:00Z", ns, List.of(355.0, 355.0, 355.0, 355.0, 355.0));
    String lines = java.util.stream.IntStream.range(0, 31).mapToObj(i -> String.format(java.util.Locale.ROOT, "%.3f 0 %d", 1000 + i * 0.1,
        5_000_000L + Math.round(i * 0.1 * 440_000))).collect(java.util.stream.Collectors.joining("\n")) + "\nerror nothing\n";
    List<PowerTrace.Sample> s = PowerTrace.parseNvml(lines);
    assertEquals(31, s.size(), "error lines are skipped");
    assertEquals("nvml:gpu0", s.get(0).source());
    assertEquals(5000.0, s.get(0).value(), 1e-9, "mJ to J");
    ObjectNode n = dev.llamasweep.results.PowerJson.write(PowerSummary.summarize(s, List.of(tg), Instant.ofEpochMilli(1_000_000), Instant.ofEpochMilli(1_003_000)));
    assertEquals("nvml", n.get("source").asText());
    // the window: the last 1.8 s before 1003.0 s; 440 W × 1.8 s = 792 J over 640 tokens = 1.2375 J per token
    assertEquals(792.0, n.get("energy_j").asDouble(), 0.01);
    assertEquals(1.2375, n.get("j_per_token").asDouble(), 1e-4);
    // 0.36-s repetitions are grouped until a window lasts 1 s: 3 back to back, and the first 2 join them (too short alone)
    assertEquals(List.of(5), toInts(n.get("reps_per_window")));
    assertEquals(1.2375, n.get("j_per_token_per_rep").get(0).asDouble(), 1e-4);
    assertTrue(n.get("method").asText().startsWith("NVML total-energy counter"), n.toString());
  }

  @Test
  void theClockDropIsTheWorkingClocksOwnWithinTheGenerationWindow() {
    BenchRecord tg = new BenchRecord("80fb11a", 1, "CPU", "cpu", "", "llama 7B Q4_0", 1, 1, 2, 0, "auto", "mmap", 0, 16, 0, "",
        List.of(750_000_000L, 750_000_000L), List.of(21.3, 21.3));
    List<PowerTrace.Sample> s = new ArrayList<>();
    for (int i = 0; i <= 30; i++) {
      double t = 100 + i * 0.1;
      // core 0 works at 3000 MHz, then 2700 in the last second; core 1 idles at 1400 MHz throughout
      s.add(new PowerTrace.Sample(t, "cpufreq:cpu0", "clock_mhz", t >= 102 ? 2700 : 3000));
      s.add(new PowerTrace.Sample(t, "cpufreq:cpu1", "clock_mhz", 1400));
    }
    // the window is the last 1.5 s (2 × 0.75 s before 103.0 s): the fastest core is at 3000 until 102.0, then 2700: 10% down
    assertEquals(10.0, PowerSummary.clockDropPct(s, Instant.ofEpochMilli(100_000), Instant.ofEpochMilli(103_000), List.of(tg)), 1e-9,
        "an idle core's low clock is not throttling");
    // a GPU's SM clock, steady while the host's cores wander, is the working clock
    for (int i = 0; i <= 30; i++) s.add(new PowerTrace.Sample(100 + i * 0.1, "nvidia-smi", "clock_sm_mhz", 1980));
    assertEquals(0.0, PowerSummary.clockDropPct(s, Instant.ofEpochMilli(100_000), Instant.ofEpochMilli(103_000), List.of(tg)), 1e-9);
  }

  @Test
  void aCounterReadOnceGivesNoEnergyRatherThanAnError() {
    List<PowerTrace.Sample> s = PowerTrace.parseNvml("1000.000 0 5000000\n");
    ObjectNode n = dev.llamasweep.results.PowerJson.write(PowerSummary.summarize(s, List.of(), Instant.ofEpochMilli(1_000_000), Instant.ofEpochMilli(1_000_500)));
    assertEquals("nvml gave fewer than two readings while the cell ran, so its energy is unknown", n.get("unknown").asText());
  }

  private static List<Integer> toInts(com.fasterxml.jackson.databind.JsonNode a) {
    List<Integer> out = new ArrayList<>();
    a.forEach(x -> out.add(x.asInt()));
    return out;
  }

  @Test
  void aMachineWithoutSensorsSaysSo() {
    ObjectNode n = dev.llamasweep.results.PowerJson.write(PowerSummary.summarize(List.of(), List.of(), Instant.now(), Instant.now()));
    assertEquals("no RAPL counter, hwmon power sensor, battery or nvidia-smi on this machine", n.get("unknown").asText());
  }

  private void write(String path, String text) throws IOException {
    Path f = root.resolve(path);
    Files.createDirectories(f.getParent());
    Files.writeString(f, text + "\n");
  }
}
