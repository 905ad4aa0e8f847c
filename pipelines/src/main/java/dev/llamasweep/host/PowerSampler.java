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
 * Samples, at 10 Hz while a cell runs, whatever the machine exposes: RAPL energy counters
 * (/sys/class/powercap/&#42;/energy_uj), hwmon power and temperatures (power1_average, power1_input,
 * temp&#42;_input), thermal zones, battery power_now, CPU clocks, and for NVIDIA GPUs a
 * {@code nvidia-smi … -lms 100} stream. The trace is kept as the cell's power.csv; result.json gets
 * average and peak watts, energy per generated token, tokens per joule, the hottest temperature and
 * the clock drop, or "unknown: why". All paths hang off a root, so tests lay out a fake sysfs tree.
 */
public final class PowerSampler implements CellSensor {
  static final long PERIOD_MS = 100;
  /**
   * NVML's counter is read five times as often as the sysfs sensors (a call costs microseconds): a window's
   * ends then fall within 20 ms of a reading, so at 450 W an edge is off by at most ~9 J, not ~45 J.
   */
  static final long NVML_PERIOD_MS = 20;
  private final Path root;
  private final List<String> nvmlCommand;

  public PowerSampler(Path root) {
    this(root, null);
  }

  /** @param nvmlCommand the NVML energy reader to run beside the cell (nvmlenergy PERIOD_MS), or null where there is none */
  public PowerSampler(Path root, List<String> nvmlCommand) {
    this.root = root;
    this.nvmlCommand = nvmlCommand;
  }

  /** The live machine: NVIDIA GPUs read through NVML's energy counter where nvidia-smi is (the reader is built once into the cache). */
  public static PowerSampler live(Path cache) {
    List<String> nvml = null;
    if (HostProbe.Live.onPath("nvidia-smi")) {
      try {
        Path exe = MemoryWall.compileC(cache, "nvmlenergy", List.of("-ldl"));
        if (exe != null) nvml = List.of(exe.toString(), String.valueOf(NVML_PERIOD_MS));
      } catch (RuntimeException e) {
        // no counter then: nvidia-smi's instant power is integrated instead
      }
    }
    return new PowerSampler(Path.of("/"), nvml);
  }

  /**
   * A file to read each tick: its path, what it measures, and the factor to SI units (µW → W, m°C → °C, kHz → MHz, µJ → J).
   *
   * @param range for an energy counter, the value (in SI units) at which it wraps to zero (RAPL's max_energy_range_uj), else 0
   */
  record Probe(Path file, String source, String quantity, double scale, double range) {
    Probe(Path file, String source, String quantity, double scale) {
      this(file, source, quantity, scale, 0);
    }
  }

  List<Probe> discover() {
    List<Probe> out = new ArrayList<>();
    for (Path d : list("sys/class/powercap")) {
      Path e = d.resolve("energy_uj");
      double range = 0;
      try {
        range = Double.parseDouble(Files.readString(d.resolve("max_energy_range_uj")).trim()) * 1e-6;
      } catch (IOException | NumberFormatException ignored) {
        // no range: a wrap is then skipped, not corrected
      }
      if (Files.isReadable(e)) out.add(new Probe(e, "rapl:" + name(d), "energy_j", 1e-6, range));
    }
    for (Path d : list("sys/class/hwmon")) {
      String n = name(d);
      for (String p : List.of("power1_average", "power1_input")) {
        if (Files.isReadable(d.resolve(p))) {
          out.add(new Probe(d.resolve(p), "hwmon:" + n, "power_w", 1e-6));
          break;
        }
      }
      try (Stream<Path> s = Files.list(d)) {
        s.filter(f -> f.getFileName().toString().matches("temp\\d+_input")).sorted()
            .forEach(f -> out.add(new Probe(f, "hwmon:" + n + ":" + f.getFileName().toString().replace("_input", ""), "temp_c", 1e-3)));
      } catch (IOException e) {
        // not listable
      }
    }
    for (Path d : list("sys/class/thermal")) {
      if (Files.isReadable(d.resolve("temp"))) out.add(new Probe(d.resolve("temp"), "thermal:" + read(d.resolve("type"), d.getFileName().toString()), "temp_c", 1e-3));
    }
    for (Path d : list("sys/class/power_supply")) {
      if (Files.isReadable(d.resolve("power_now"))) out.add(new Probe(d.resolve("power_now"), "battery:" + d.getFileName(), "power_w", 1e-6));
    }
    for (Path d : list("sys/devices/system/cpu")) {
      Path f = d.resolve("cpufreq/scaling_cur_freq");
      if (d.getFileName().toString().matches("cpu\\d+") && Files.isReadable(f)) out.add(new Probe(f, "cpufreq:" + d.getFileName(), "clock_mhz", 1e-3));
    }
    return out;
  }

  private List<Path> list(String dir) {
    try (Stream<Path> s = Files.list(root.resolve(dir))) {
      return s.sorted().toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  private static String name(Path d) {
    return read(d.resolve("name"), d.getFileName().toString());
  }

  private static String read(Path f, String fallback) {
    try {
      return Files.readString(f).trim();
    } catch (IOException e) {
      return fallback;
    }
  }

  @Override
  public Double hottestC() {
    Double max = null;
    for (Probe p : discover()) {
      if (!p.quantity().equals("temp_c")) continue;
      try {
        double v = Double.parseDouble(Files.readString(p.file()).trim()) * p.scale();
        if (max == null || v > max) max = v;
      } catch (IOException | NumberFormatException e) {
        // skipped
      }
    }
    if (HostProbe.Live.onPath("nvidia-smi")) {
      var c = dev.llamasweep.io.Processes.captureWithExit(List.of("nvidia-smi", "--query-gpu=temperature.gpu", "--format=csv,noheader,nounits"), null, 10);
      if (c != null && c.exit() == 0) {
        for (String l : c.output().split("\n")) {
          try {
            double v = Double.parseDouble(l.trim());
            if (max == null || v > max) max = v;
          } catch (NumberFormatException e) {
            // not a number
          }
        }
      }
    }
    return max;
  }

  @Override
  public Watch start() {
    List<Probe> probes = discover();
    List<PowerTrace.Sample> samples = Collections.synchronizedList(new ArrayList<>());
    Process smi = startNvidiaSmi();
    List<String> smiLines = Collections.synchronizedList(new ArrayList<>());
    Thread smiReader = null;
    if (smi != null) {
      smiReader = new Thread(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(smi.getInputStream(), StandardCharsets.UTF_8))) {
          String l;
          while ((l = r.readLine()) != null) smiLines.add(l);
        } catch (IOException e) {
          // stopped
        }
      }, "llama-sweep-nvidia-smi");
      smiReader.setDaemon(true);
      smiReader.start();
    }
    Process nvml = startNvml();
    List<String> nvmlLines = Collections.synchronizedList(new ArrayList<>());
    Thread nvmlReader = nvml == null ? null : lines(nvml, nvmlLines, "llama-sweep-nvml");
    long[] cpuNanos = {0};
    Counters counters = new Counters();
    Runnable tick = () -> {
      double t = System.currentTimeMillis() / 1000.0;
      for (Probe p : probes) {
        try {
          double v = Double.parseDouble(Files.readString(p.file()).trim()) * p.scale();
          samples.add(new PowerTrace.Sample(t, p.source(), p.quantity(), p.range() > 0 ? counters.unwrap(p.source(), v, p.range()) : v));
        } catch (IOException | NumberFormatException e) {
          // a sensor that stopped answering is skipped for this tick
        }
      }
    };
    // one reading when the watch starts and one when it stops, whatever the thread managed in between:
    // a window always has both ends, however short the cell
    tick.run();
    Thread sampler = new Thread(() -> {
      var bean = ManagementFactory.getThreadMXBean();
      long c0 = bean.getCurrentThreadCpuTime();
      while (!Thread.currentThread().isInterrupted()) {
        tick.run();
        try {
          Thread.sleep(PERIOD_MS);
        } catch (InterruptedException e) {
          break;
        }
      }
      cpuNanos[0] = bean.getCurrentThreadCpuTime() - c0;
    }, "llama-sweep-power-sampler");
    sampler.setDaemon(true);
    if (!probes.isEmpty()) sampler.start();
    Thread reader = smiReader;
    return (dir, records, start, end) -> {
      sampler.interrupt();
      try {
        if (!probes.isEmpty()) sampler.join(2000);
        if (smi != null) {
          smi.destroy();
          smi.waitFor(2, java.util.concurrent.TimeUnit.SECONDS);
          reader.join(2000);
        }
        if (nvml != null) {
          nvml.destroy();
          nvml.waitFor(2, java.util.concurrent.TimeUnit.SECONDS);
          nvmlReader.join(2000);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      tick.run();
      List<PowerTrace.Sample> all = new ArrayList<>(samples);
      if (smi != null) all.addAll(PowerTrace.parseNvidiaSmi(String.join("\n", smiLines), ZoneOffset.systemDefault().getRules().getOffset(Instant.now())));
      if (nvml != null) all.addAll(PowerTrace.parseNvml(String.join("\n", nvmlLines)));
      writeCsv(dir.resolve("power.csv"), all);
      PowerRecord.Builder summary = new PowerRecord.Builder(PowerSummary.summarize(all, records, start, end));
      summary.samplerCpuS = Math.round(cpuNanos[0] / 1e6) / 1000.0;
      return summary.build();
    };
  }

  /**
   * nvidia-smi's stream: instant board power where the driver offers it (power.draw.instant), since
   * power.draw is a one-second moving average on Ampere and newer and under-reads a sub-second window.
   */
  private static Process startNvidiaSmi() {
    if (!HostProbe.Live.onPath("nvidia-smi")) return null;
    var c = dev.llamasweep.io.Processes.captureWithExit(List.of("nvidia-smi", "--query-gpu=power.draw.instant", "--format=csv,noheader"), null, 10);
    String power = c != null && c.exit() == 0 && c.output().matches("(?s)\\s*[0-9.]+ W.*") ? "power.draw.instant" : "power.draw";
    try {
      return new ProcessBuilder(Children.guarded(List.of("nvidia-smi",
          "--query-gpu=timestamp," + power + ",temperature.gpu,clocks.sm,clocks.mem", "--format=csv", "-lms", String.valueOf(PERIOD_MS))))
          .redirectErrorStream(true).start();
    } catch (IOException e) {
      return null;
    }
  }

  private Process startNvml() {
    if (nvmlCommand == null) return null;
    try {
      return new ProcessBuilder(Children.guarded(nvmlCommand)).redirectErrorStream(true).start();
    } catch (IOException e) {
      return null;
    }
  }

  private static Thread lines(Process p, List<String> into, String name) {
    Thread t = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String l;
        while ((l = r.readLine()) != null) into.add(l);
      } catch (IOException e) {
        // stopped
      }
    }, name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** Energy counters made monotonic: each wrap past a counter's range adds the range back. */
  static final class Counters {
    private final java.util.Map<String, double[]> state = new java.util.HashMap<>();

    /** @return the reading plus every range the counter has wrapped past since the first reading */
    synchronized double unwrap(String source, double raw, double range) {
      double[] s = state.computeIfAbsent(source, k -> new double[] {raw, 0});
      if (raw < s[0]) s[1] += range;
      s[0] = raw;
      return raw + s[1];
    }
  }

  static void writeCsv(Path file, List<PowerTrace.Sample> samples) {
    AtomicFiles.write(file, w -> {
      w.write("t_epoch_s,source,quantity,value\n");
      for (PowerTrace.Sample s : samples) {
        w.write(String.format(Locale.ROOT, "%.3f,%s,%s,%s%n", s.t(), s.source(), s.quantity(), s.value()));
      }
    });
  }

  /**
   * The shortest window one energy figure is taken over: ten readings. Shorter repetitions are grouped
   * (j_per_token_per_rep then holds one figure per group, reps_per_window its size), since a counter read
   * every 100 ms, or a power sample held for 100 ms, cannot resolve a 0.36-s repetition to a few percent.
   */
  public static final double MIN_WINDOW_S = 10 * PERIOD_MS / 1000.0;
}
