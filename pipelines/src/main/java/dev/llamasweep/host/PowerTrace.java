package dev.llamasweep.host;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One cell's heat and power trace: samples of whatever the machine exposes (RAPL energy counters,
 * hwmon power and temperatures, thermal zones, battery, CPU clocks, nvidia-smi), each with its source.
 * Times are seconds since the epoch, so a trace lines up with the run's own timestamps.
 */
public record PowerTrace(List<Sample> samples, List<String> sources, String unknownBecause) {

  /** One reading: when, where from (a sysfs file or "nvidia-smi"), what (power_w, energy_j, temp_c, clock_mhz), value. */
  public record Sample(double t, String source, String quantity, double value) {}

  private static final DateTimeFormatter SMI_TIME = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss.SSS", Locale.ROOT);

  /**
   * Parses {@code nvidia-smi --query-gpu=timestamp,power.draw,temperature.gpu,clocks.sm,clocks.mem[,…] --format=csv -lms 100}
   * output (its header names the columns; "[N/A]" values are skipped). nvidia-smi prints local time:
   * {@code zoneOffset} places it on the epoch (UTC on most servers).
   */
  public static List<Sample> parseNvidiaSmi(String csv, ZoneOffset zoneOffset) {
    List<Sample> out = new ArrayList<>();
    String[] header = null;
    for (String line : csv.split("\n")) {
      if (line.isBlank()) continue;
      String[] f = line.split(",\\s*");
      if (header == null) {
        header = f;
        continue;
      }
      if (f.length != header.length || f[0].equals(header[0])) continue;
      double t;
      try {
        t = LocalDateTime.parse(f[0].trim(), SMI_TIME).toInstant(zoneOffset).toEpochMilli() / 1000.0;
      } catch (RuntimeException e) {
        continue;
      }
      for (int i = 1; i < f.length; i++) {
        String h = header[i].trim();
        String q = h.startsWith("power.draw") ? "power_w" : h.startsWith("temperature.gpu") ? "temp_c"
            : h.startsWith("clocks.current.sm") || h.startsWith("clocks.sm") ? "clock_sm_mhz"
            : h.startsWith("clocks.current.memory") || h.startsWith("clocks.mem") ? "clock_mem_mhz" : null;
        if (q == null) continue;
        String v = f[i].trim().replaceAll("\\s*(W|MHz|%)$", "");
        try {
          out.add(new Sample(t, "nvidia-smi", q, Double.parseDouble(v)));
        } catch (NumberFormatException e) {
          // [N/A] or [Not Supported]
        }
      }
    }
    return out;
  }

  /** The NVML energy reader's "t_epoch_s gpu energy_mj" lines as energy samples (J) of source nvml:gpuN; other lines are skipped. */
  public static List<Sample> parseNvml(String out) {
    List<Sample> samples = new ArrayList<>();
    for (String line : out.split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length != 3) continue;
      try {
        samples.add(new Sample(Double.parseDouble(f[0]), "nvml:gpu" + Integer.parseInt(f[1]), "energy_j", Long.parseLong(f[2]) / 1000.0));
      } catch (NumberFormatException e) {
        // an error line
      }
    }
    return samples;
  }
}
