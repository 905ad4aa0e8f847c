package dev.llamasweep.host;

import dev.llamasweep.io.Processes;
import dev.llamasweep.spec.Spec;
import dev.llamasweep.stats.Bandwidth;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads the facts that explain a machine's numbers, each with its evidence, the way the seed's
 * "How to reproduce" section does by hand. A source that is absent or refused leaves its fact
 * unknown with the reason; probing never fails a sweep.
 */
public final class HostProbe {
  /** Where facts come from; tests feed captured outputs through it. */
  public interface Sources {
    /** A file's text, or null when it does not exist or cannot be read. */
    String file(String path);

    /** Names in a directory starting with a prefix (sorted), empty when the directory does not exist. */
    List<String> list(String dir, String prefix);

    /** A command's output, or null when the command does not exist; a non-zero exit is an output too. */
    Output command(List<String> argv);
  }

  public record Output(int exit, String text) {}

  /** The facts and the theoretical peak bandwidth, with where it came from. */
  public record HostFacts(List<Fact> facts, Double peakGBs, String peakHow) {
    public Fact fact(String name) {
      return facts.stream().filter(f -> f.name().equals(name)).findFirst().orElse(null);
    }
  }

  private HostProbe() {}

  public static HostFacts probe(Sources src, Spec.HostMemory fromSpec) {
    List<Fact> facts = new ArrayList<>();
    String cpuinfo = src.file("/proc/cpuinfo");
    String cpu = cpuinfo == null ? null : HostParsers.cpuModel(cpuinfo);
    facts.add(cpu == null ? Fact.unknown("cpu_model", "/proc/cpuinfo", cpuinfo == null ? "cannot read /proc/cpuinfo" : "no 'model name' line")
        : Fact.known("cpu_model", cpu, "/proc/cpuinfo", "model name\t: " + cpu));

    Output nproc = src.command(List.of("nproc"));
    facts.add(nproc == null || nproc.exit() != 0 ? Fact.unknown("logical_cores", "nproc", "nproc is not available")
        : Fact.known("logical_cores", nproc.text().trim(), "nproc", nproc.text().trim()));

    String meminfo = src.file("/proc/meminfo");
    Long mem = meminfo == null ? null : HostParsers.memTotalBytes(meminfo);
    facts.add(mem == null ? Fact.unknown("memory_total", "/proc/meminfo", "no MemTotal line")
        : Fact.known("memory_total", String.format(Locale.ROOT, "%.1f GiB", mem / Bandwidth.GIB), "/proc/meminfo",
            meminfo.lines().filter(l -> l.startsWith("MemTotal")).findFirst().orElse("")));

    HostParsers.Cache llc = HostParsers.lastLevelCache(src);
    facts.add(llc == null ? Fact.unknown(HostRecord.LAST_LEVEL_CACHE, "/sys/devices/system/cpu/cpu0/cache/index*/{level,type,size}", "no cache levels exposed in sysfs")
        : Fact.quantity(HostRecord.LAST_LEVEL_CACHE, (llc.bytes() >> 20) + " MiB (L" + llc.level() + ", per cpu0's share)", llc.bytes(), "bytes",
            llc.source(), llc.raw()));

    String kernel = src.file("/proc/sys/kernel/osrelease");
    facts.add(kernel == null ? Fact.unknown("kernel", "/proc/sys/kernel/osrelease", "cannot read it")
        : Fact.known("kernel", kernel.trim(), "/proc/sys/kernel/osrelease", kernel.trim()));

    Output dmi = src.command(List.of("dmidecode", "-t", "memory"));
    List<HostParsers.Dimm> dimms = List.of();
    if (dmi == null) {
      facts.add(Fact.unknown("memory_modules", "dmidecode -t memory", "dmidecode is not installed"));
    } else if (dmi.exit() != 0) {
      facts.add(Fact.unknown("memory_modules", "dmidecode -t memory", "dmidecode said: " + firstLine(dmi.text())));
    } else {
      dimms = HostParsers.dimms(dmi.text());
      facts.add(dimms.isEmpty() ? Fact.unknown("memory_modules", "dmidecode -t memory", "no populated memory device listed")
          : Fact.known("memory_modules", describe(dimms), "dmidecode -t memory", dmi.text()));
    }

    Output dmesg = src.command(List.of("dmesg"));
    HostParsers.RamWidth width = null;
    if (dmesg == null || dmesg.exit() != 0) {
      facts.add(Fact.unknown("ram_width", "dmesg | grep 'RAM width'", dmesg == null ? "dmesg is not available" : "dmesg said: " + firstLine(dmesg.text())));
    } else {
      width = HostParsers.ramWidth(dmesg.text());
      String lines = String.join("\n", dmesg.text().lines().filter(l -> l.contains("RAM width")).toList());
      facts.add(width == null ? Fact.unknown("ram_width", "dmesg | grep 'RAM width'", "the kernel log has no 'RAM width' line (printed by amdgpu)")
          : Fact.known("ram_width", width.bits() + "-bit " + width.type(), "dmesg | grep 'RAM width'", lines));
    }

    Long mclk = null;
    String mclkSource = "/sys/class/drm/card*/device/pp_dpm_mclk";
    for (String card : src.list("/sys/class/drm", "card")) {
      if (card.contains("-")) continue;
      String path = "/sys/class/drm/" + card + "/device/pp_dpm_mclk";
      String text = src.file(path);
      Long m = text == null ? null : HostParsers.maxMclkMhz(text);
      if (m != null) {
        mclk = m;
        facts.add(Fact.known("gpu_memory_clock", "max " + m + " MHz", path, text.trim()));
        mclkSource = path;
        break;
      }
    }
    if (mclk == null) facts.add(Fact.unknown("gpu_memory_clock", mclkSource, "no AMD GPU memory clock levels"));

    Fact amd = null;
    for (String node : src.list("/sys/class/kfd/kfd/topology/nodes", "")) {
      String path = "/sys/class/kfd/kfd/topology/nodes/" + node + "/properties";
      String text = src.file(path);
      HostParsers.AmdGpu g = text == null ? null : HostParsers.kfdNode(text);
      if (g != null) {
        String raw = String.join("\n", text.lines().filter(l -> l.startsWith("simd_count") || l.startsWith("simd_per_cu")
            || l.startsWith("gfx_target_version")).toList());
        amd = Fact.known("amd_gpu", g.computeUnits() + " compute units, " + g.gfxTarget(), path, raw);
        break;
      }
    }
    facts.add(amd != null ? amd : Fact.unknown("amd_gpu", "/sys/class/kfd/kfd/topology/nodes/*/properties", "no AMD GPU node (no /dev/kfd driver)"));

    List<String> smiArgv = List.of("nvidia-smi", "--query-gpu=name,memory.total,clocks.max.memory,clocks.max.sm", "--format=csv,noheader");
    Output smi = src.command(smiArgv);
    String smiSource = String.join(" ", smiArgv);
    if (smi == null || smi.exit() != 0) {
      facts.add(Fact.unknown("nvidia_gpu", smiSource, smi == null ? "nvidia-smi is not installed" : "nvidia-smi said: " + firstLine(smi.text())));
    } else {
      List<HostParsers.NvidiaGpu> gpus = HostParsers.nvidiaSmi(smi.text());
      facts.add(gpus.isEmpty() ? Fact.unknown("nvidia_gpu", smiSource, "no GPU listed")
          : Fact.known("nvidia_gpu", String.join("; ", gpus.stream().map(g -> g.name() + ", " + g.memory() + ", memory clock up to "
              + g.maxMemoryClock() + ", SM clock up to " + g.maxSmClock()).toList()), smiSource, smi.text().trim()));
    }

    Output profile = src.command(List.of("powerprofilesctl", "get"));
    facts.add(profile == null ? Fact.unknown("power_profile", "powerprofilesctl get", "powerprofilesctl is not installed")
        : profile.exit() != 0 ? Fact.unknown("power_profile", "powerprofilesctl get", "powerprofilesctl said: " + firstLine(profile.text()))
        : Fact.known("power_profile", profile.text().trim(), "powerprofilesctl get", profile.text().trim()));

    String gov = src.file("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor");
    facts.add(gov == null ? Fact.unknown("cpu_governor", "/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor", "no cpufreq governor exposed")
        : Fact.known("cpu_governor", gov.trim(), "/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor", gov.trim()));

    // the wall: the spec wins; else the bus width the memory controller reports with the DIMMs' rate
    if (fromSpec != null) {
      double peak = fromSpec.gbs();
      return new HostFacts(facts, peak, "from the spec's host.memory: " + fromSpec.arithmetic().replace("**", ""));
    }
    Long rate = dimms.stream().map(HostParsers.Dimm::configuredMts).filter(v -> v != null).min(Long::compare).orElse(null);
    String rateHow = rate == null ? null : rate + " MT/s (dmidecode: configured memory speed)";
    if (rate == null && mclk != null) {
      rate = mclk * 2;
      rateHow = mclk + " MHz × 2 (double data rate) = " + rate + " MT/s (" + mclkSource + ")";
    }
    Long bits = width != null ? width.bits() : null;
    String bitsHow = bits == null ? null : bits + "-bit bus (kernel log: RAM width)";
    if (bits == null && !dimms.isEmpty() && dimms.stream().allMatch(d -> d.dataWidthBits() != null)) {
      bits = dimms.stream().mapToLong(HostParsers.Dimm::dataWidthBits).sum();
      bitsHow = bits + "-bit bus (dmidecode: " + dimms.size() + " modules' data widths added, assuming one module per channel)";
    }
    if (rate == null || bits == null) {
      return new HostFacts(facts, null, "unknown: " + (rate == null ? "no memory transfer rate (dmidecode or pp_dpm_mclk)" : "")
          + (rate == null && bits == null ? " and " : "") + (bits == null ? "no bus width (kernel log or dmidecode)" : "")
          + "; give host.memory in the spec");
    }
    double peak = Bandwidth.peakGBs(rate, bits);
    return new HostFacts(facts, peak, String.format(Locale.ROOT, "from the host probe: %s × %s / 8 = %s GB/s", rateHow, bitsHow, trim(peak)));
  }

  private static String describe(List<HostParsers.Dimm> dimms) {
    HostParsers.Dimm d = dimms.get(0);
    boolean same = dimms.stream().allMatch(x -> String.valueOf(x.size()).equals(String.valueOf(d.size()))
        && String.valueOf(x.configuredMts()).equals(String.valueOf(d.configuredMts())));
    String one = d.size() + " " + (d.type() == null ? "" : d.type()) + (d.configuredMts() == null ? "" : " at " + d.configuredMts() + " MT/s")
        + (d.dataWidthBits() == null ? "" : ", " + d.dataWidthBits() + "-bit");
    return same ? dimms.size() + " × " + one : dimms.size() + " modules, first: " + one;
  }

  private static String firstLine(String s) {
    String t = s == null ? "" : s.trim();
    int nl = t.indexOf('\n');
    return nl < 0 ? t : t.substring(0, nl);
  }

  static String trim(double v) {
    String s = String.format(Locale.ROOT, "%.3f", v);
    return s.replaceAll("0+$", "").replaceAll("\\.$", "");
  }

  /** The real machine. */
  public static final class Live implements Sources {
    @Override
    public String file(String path) {
      try {
        return Files.readString(Path.of(path));
      } catch (IOException | RuntimeException e) {
        return null;
      }
    }

    @Override
    public List<String> list(String dir, String prefix) {
      try (Stream<Path> s = Files.list(Path.of(dir))) {
        return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(prefix)).sorted().toList();
      } catch (IOException | RuntimeException e) {
        return List.of();
      }
    }

    @Override
    public Output command(List<String> argv) {
      if (!onPath(argv.get(0))) return null;
      Processes.Captured c = Processes.captureWithExit(argv, Map.of("LC_ALL", "C"), 20);
      return c == null ? new Output(-1, "did not answer within 20 s") : new Output(c.exit(), c.output());
    }

    static boolean onPath(String exe) {
      // sbin too: dmidecode and friends live there, and a user's PATH often leaves it out
      return dev.llamasweep.io.Programs.onPath(exe) || Files.isExecutable(Path.of("/usr/sbin", exe)) || Files.isExecutable(Path.of("/sbin", exe));
    }
  }
}
