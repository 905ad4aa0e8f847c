package dev.llamasweep.host;

import dev.llamasweep.io.Children;
import dev.llamasweep.llamacpp.BenchRecord;
import dev.llamasweep.io.AtomicFiles;
import dev.llamasweep.stats.Energy;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;


/**
 * From a cell's power samples to its figures: the source chosen, energy over the generation window,
 * J/token per repetition and overall, peak power, the clock drop. Pure functions of the samples and
 * llama-bench's records ({@link PowerSampler} records the samples).
 */
final class PowerSummary {
  private PowerSummary() {}

  /**
   * The cell's power figures. The window of generation is the last Σ samples_ns of the tg test before
   * the process ended (llama-bench runs a cell's tg repetitions last, back to back); energy is the
   * trapezoid integral of the chosen power source over it (RAPL: its counter delta), and J/token is that
   * energy over the tokens generated, per repetition and overall.
   */
  static PowerRecord summarize(List<PowerTrace.Sample> all, List<BenchRecord> records, Instant start, Instant end) {
    PowerRecord.Builder n = new PowerRecord.Builder();
    String source = chooseSource(all);
    n.samples = all.size();
    double maxTemp = all.stream().filter(s -> s.quantity().equals("temp_c")).mapToDouble(PowerTrace.Sample::value).max().orElse(Double.NaN);
    if (!Double.isNaN(maxTemp)) n.maxTempC = maxTemp;
    Double drop = clockDropPct(all, start, end, records);
    n.clockDropPct = drop;
    if (source == null) {
      n.unknown = "no RAPL counter, hwmon power sensor, battery or nvidia-smi on this machine";
      return n.build();
    }
    List<Energy.Point> trace = powerOf(all, source);
    n.source = source;
    if (trace.size() < 2) {
      // a counter read once, or a sensor that answered once: no power over time to take energy from
      n.unknown = source + " gave fewer than two readings while the cell ran, so its energy is unknown";
      return n.build();
    }
    double t0 = start.toEpochMilli() / 1000.0;
    double t1 = end.toEpochMilli() / 1000.0;
    n.avgWCell = PowerRecord.Builder.rounded((Energy.joules(trace, Math.max(t0, trace.get(0).t()), Math.min(t1, trace.get(trace.size() - 1).t()))
        / (Math.min(t1, trace.get(trace.size() - 1).t()) - Math.max(t0, trace.get(0).t()))));
    BenchRecord tg = records.stream().filter(r -> r.kind() == dev.llamasweep.llamacpp.TestShape.Kind.TG).reduce((a, b) -> b).orElse(null);
    if (tg == null) return n.build();
    double window = tg.samplesNs().stream().mapToLong(Long::longValue).sum() / 1e9;
    double w1 = Math.min(t1, trace.get(trace.size() - 1).t());
    // repetitions shorter than the shortest window a reading resolves are grouped, back to back, until a group lasts that long
    List<Double> perRep = new ArrayList<>();
    List<Integer> groupSizes = new ArrayList<>();
    double e = 0;
    double tEnd = w1;
    double groupJ = 0;
    double groupS = 0;
    int groupN = 0;
    for (int i = tg.samplesNs().size() - 1; i >= 0; i--) {
      double d = tg.samplesNs().get(i) / 1e9;
      double j = Energy.joules(trace, tEnd - d, tEnd);
      e += j;
      tEnd -= d;
      groupJ += j;
      groupS += d;
      groupN++;
      if (groupS >= PowerSampler.MIN_WINDOW_S || i == 0) {
        if (groupS < PowerSampler.MIN_WINDOW_S && !perRep.isEmpty()) {
          // the earliest repetitions are too short a window on their own: they join the group after them
          int n0 = groupSizes.remove(0);
          double j0 = perRep.remove(0) * tg.nGen() * n0;
          groupJ += j0;
          groupN += n0;
        }
        perRep.add(0, groupJ / (tg.nGen() * (double) groupN));
        groupSizes.add(0, groupN);
        groupJ = 0;
        groupS = 0;
        groupN = 0;
      }
    }
    n.test = tg.test();
    long tokens = tg.nGen() * tg.samplesNs().size();
    boolean known = n.energy(e, window, tokens);
    // a counter's 100-ms differences jitter with its update cadence: its peak is taken over one-second windows
    n.peakW = PowerRecord.Builder.rounded(source.equals("nvml") || source.equals("rapl") ? peakOverWindows(trace, w1 - window, w1, PowerSampler.MIN_WINDOW_S)
        : Energy.peakWatts(trace, w1 - window, w1));
    if (!known) {
      n.energyUnknown = "the power trace does not cover the generation window";
      return n.build();
    }
    n.jPerTokenPerRep = perRep;
    n.repsPerWindow = groupSizes;
    n.method = method(source);
    return n.build();
  }

  /** The highest average power over any window of {@code width} seconds inside [t0, t1], stepped by the sampling period. */
  static double peakOverWindows(List<Energy.Point> trace, double t0, double t1, double width) {
    if (t1 - t0 <= width) return Energy.joules(trace, t0, t1) / (t1 - t0);
    double peak = Double.NaN;
    for (double a = t0; a + width <= t1 + 1e-9; a += PowerSampler.PERIOD_MS / 1000.0) {
      double w = Energy.joules(trace, a, a + width) / width;
      if (Double.isNaN(peak) || w > peak) peak = w;
    }
    return peak;
  }

  /**
   * How far the working clock fell below its own peak while the benchmark ran: the GPU's SM clock where
   * nvidia-smi reports one, else the fastest CPU core's clock at each reading (idle cores clock down
   * and are not throttling), within the tg window when there is one; null without clock readings.
   */
  static Double clockDropPct(List<PowerTrace.Sample> all, Instant start, Instant end, List<BenchRecord> records) {
    double t0 = start.toEpochMilli() / 1000.0;
    double t1 = end.toEpochMilli() / 1000.0;
    BenchRecord tg = records.stream().filter(r -> r.kind() == dev.llamasweep.llamacpp.TestShape.Kind.TG).reduce((a, b) -> b).orElse(null);
    if (tg != null) t0 = Math.max(t0, t1 - tg.samplesNs().stream().mapToLong(Long::longValue).sum() / 1e9);
    final double from = t0;
    final double to = t1;
    boolean gpu = all.stream().anyMatch(x -> x.source().equals("nvidia-smi") && x.quantity().equals("clock_sm_mhz"));
    java.util.TreeMap<Double, Double> series = new java.util.TreeMap<>();
    for (PowerTrace.Sample x : all) {
      if (x.t() < from - 1e-3 || x.t() > to + 1e-3) continue;
      boolean use = gpu ? x.source().equals("nvidia-smi") && x.quantity().equals("clock_sm_mhz") : x.quantity().equals("clock_mhz");
      if (use) series.merge(Math.round(x.t() * 10) / 10.0, x.value(), Math::max);
    }
    if (series.size() < 2) return null;
    double max = Collections.max(series.values());
    return max <= 0 ? null : Math.round((1 - Collections.min(series.values()) / max) * 1000) / 10.0;
  }

  /** How a source's energy is measured, with its resolution, for the report. */
  static String method(String source) {
    if (source.equals("nvml")) return "NVML total-energy counter (mJ) of each GPU, read every " + PowerSampler.NVML_PERIOD_MS + " ms: energy is the counter's difference";
    if (source.equals("rapl")) return "RAPL package energy counters (µJ, wrap-around corrected), read every " + PowerSampler.PERIOD_MS + " ms: energy is the counters' difference";
    if (source.startsWith("nvidia-smi")) return "nvidia-smi board power every " + PowerSampler.PERIOD_MS + " ms (power.draw.instant where the driver has it; "
        + "else power.draw, a one-second moving average that under-reads short windows), integrated (trapezoid)";
    return source + " power every " + PowerSampler.PERIOD_MS + " ms, integrated (trapezoid)";
  }

  /** The board or package power that best answers "what did this cell cost": a GPU's, else RAPL, else hwmon, else the battery's. */
  static String chooseSource(List<PowerTrace.Sample> all) {
    for (String prefix : List.of("nvml:", "nvidia-smi", "rapl:", "hwmon:", "battery:")) {
      for (PowerTrace.Sample s : all) {
        if (s.source().startsWith(prefix) && (s.quantity().equals("power_w") || s.quantity().equals("energy_j"))) {
          return prefix.equals("rapl:") ? "rapl" : prefix.equals("nvml:") ? "nvml" : s.source();
        }
      }
    }
    return null;
  }

  /** Watts over time for a source: power samples as they are; RAPL energy counters (all packages summed) differentiated. */
  static List<Energy.Point> powerOf(List<PowerTrace.Sample> all, String source) {
    List<Energy.Point> out = new ArrayList<>();
    if (!source.equals("rapl") && !source.equals("nvml")) {
      for (PowerTrace.Sample s : all) if (s.source().equals(source) && s.quantity().equals("power_w")) out.add(new Energy.Point(s.t(), s.value()));
      out.sort((a, b) -> Double.compare(a.t(), b.t()));
      return out;
    }
    // RAPL: package domains only ("package-0", "package-1"): sub-domains (core, dram) are inside or beside them; NVML: every GPU
    String counters = source.equals("rapl") ? "rapl:package" : "nvml:";
    java.util.Map<Double, Double> byTime = new java.util.TreeMap<>();
    java.util.Map<String, PowerTrace.Sample> last = new java.util.HashMap<>();
    for (PowerTrace.Sample s : all) {
      if (!s.source().startsWith(counters) || !s.quantity().equals("energy_j")) continue;
      PowerTrace.Sample prev = last.put(s.source(), s);
      if (prev == null || s.t() <= prev.t() || s.value() < prev.value()) continue;  // first tick, or the counter wrapped
      byTime.merge((prev.t() + s.t()) / 2, (s.value() - prev.value()) / (s.t() - prev.t()), Double::sum);
    }
    byTime.forEach((t, w) -> out.add(new Energy.Point(t, w)));
    return out;
  }
}
