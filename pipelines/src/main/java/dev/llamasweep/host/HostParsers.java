package dev.llamasweep.host;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parsers for what Linux says about a machine; each takes the raw text and returns null when it cannot tell. */
public final class HostParsers {
  private HostParsers() {}

  /** {@code model name : AMD Ryzen AI 9 HX 370 w/ Radeon 890M} from /proc/cpuinfo. */
  public static String cpuModel(String cpuinfo) {
    Matcher m = Pattern.compile("(?m)^model name\\s*:\\s*(.+)$").matcher(cpuinfo);
    return m.find() ? m.group(1).trim() : null;
  }

  /** MemTotal from /proc/meminfo, in bytes. */
  public static Long memTotalBytes(String meminfo) {
    Matcher m = Pattern.compile("(?m)^MemTotal:\\s*(\\d+)\\s*kB").matcher(meminfo);
    return m.find() ? Long.parseLong(m.group(1)) * 1024 : null;
  }

  /** A populated memory device from {@code dmidecode -t memory}. */
  public record Dimm(String locator, String size, String type, Long configuredMts, Long dataWidthBits) {}

  public static List<Dimm> dimms(String dmidecode) {
    List<Dimm> out = new ArrayList<>();
    for (String block : dmidecode.split("(?m)^Handle ")) {
      if (!block.contains("Memory Device")) continue;
      String size = field(block, "Size");
      if (size == null || size.startsWith("No Module")) continue;
      Long configured = number(field(block, "Configured Memory Speed"));
      if (configured == null) configured = number(field(block, "Configured Clock Speed"));
      if (configured == null) configured = number(field(block, "Speed"));
      out.add(new Dimm(field(block, "Locator"), size, field(block, "Type"), configured, number(field(block, "Data Width"))));
    }
    return out;
  }

  /** {@code [drm] RAM width 128bits DDR5} from the kernel log (amdgpu). */
  public record RamWidth(long bits, String type) {}

  public static RamWidth ramWidth(String dmesg) {
    Matcher m = Pattern.compile("RAM width (\\d+)\\s*bits\\s*(\\S+)?").matcher(dmesg);
    return m.find() ? new RamWidth(Long.parseLong(m.group(1)), m.group(2) == null ? "" : m.group(2)) : null;
  }

  /** The highest level of /sys/class/drm/card{@literal *}/device/pp_dpm_mclk, in MHz. */
  public static Long maxMclkMhz(String ppDpmMclk) {
    Long max = null;
    Matcher m = Pattern.compile("(?m)^\\s*\\d+:\\s*(\\d+)\\s*Mhz", Pattern.CASE_INSENSITIVE).matcher(ppDpmMclk);
    while (m.find()) {
      long v = Long.parseLong(m.group(1));
      if (max == null || v > max) max = v;
    }
    return max;
  }

  /** Compute units and gfx target from a KFD topology node's properties; null for a CPU node. */
  public record AmdGpu(long computeUnits, String gfxTarget) {}

  public static AmdGpu kfdNode(String properties) {
    Long simd = number(prop(properties, "simd_count"));
    Long perCu = number(prop(properties, "simd_per_cu"));
    Long gfx = number(prop(properties, "gfx_target_version"));
    if (simd == null || simd == 0 || perCu == null || perCu == 0 || gfx == null) return null;
    // 110500 = gfx 11.5.0 = gfx1150: major*10000 + minor*100 + stepping, printed as major, minor, stepping in hex
    long major = gfx / 10000;
    long minor = (gfx / 100) % 100;
    long step = gfx % 100;
    return new AmdGpu(simd / perCu, String.format(Locale.ROOT, "gfx%d%x%x", major, minor, step));
  }

  /** One line of {@code nvidia-smi --query-gpu=name,memory.total,clocks.max.memory,clocks.max.sm --format=csv,noheader}. */
  public record NvidiaGpu(String name, String memory, String maxMemoryClock, String maxSmClock) {}

  public static List<NvidiaGpu> nvidiaSmi(String csv) {
    List<NvidiaGpu> out = new ArrayList<>();
    for (String line : csv.split("\n")) {
      String[] f = line.split(",");
      if (f.length < 4) continue;
      out.add(new NvidiaGpu(f[0].trim(), f[1].trim(), f[2].trim(), f[3].trim()));
    }
    return out;
  }

  private static String field(String block, String name) {
    Matcher m = Pattern.compile("(?m)^\\s*" + Pattern.quote(name) + ":\\s*(.+)$").matcher(block);
    return m.find() ? m.group(1).trim() : null;
  }

  private static String prop(String properties, String name) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\s+(\\d+)").matcher(properties);
    return m.find() ? m.group(1) : null;
  }

  private static Long number(String s) {
    if (s == null) return null;
    Matcher m = Pattern.compile("(\\d+)").matcher(s);
    return m.find() ? Long.parseLong(m.group(1)) : null;
  }

  /** The largest data or unified cache cpu0 sees: its level, bytes, and the sysfs files it came from. */
  public record Cache(int level, long bytes, String source, String raw) {}

  public static Cache lastLevelCache(HostProbe.Sources src) {
    Cache best = null;
    for (String index : src.list("/sys/devices/system/cpu/cpu0/cache", "index")) {
      String base = "/sys/devices/system/cpu/cpu0/cache/" + index + "/";
      String level = src.file(base + "level");
      String type = src.file(base + "type");
      String size = src.file(base + "size");
      if (level == null || type == null || size == null || type.strip().equals("Instruction")) continue;
      Long bytes = cacheBytes(size);
      if (bytes == null) continue;
      int l = Integer.parseInt(level.strip());
      if (best == null || l > best.level() || (l == best.level() && bytes > best.bytes())) {
        best = new Cache(l, bytes, base + "{level,type,size}", "level " + level.strip() + ", " + type.strip() + ", " + size.strip());
      }
    }
    return best;
  }

  /** sysfs cache sizes: "32768K", "512K", "16M". */
  static Long cacheBytes(String size) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("^(\\d+)([KMG]?)$").matcher(size.strip());
    if (!m.matches()) return null;
    long v = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "K" -> v << 10;
      case "M" -> v << 20;
      case "G" -> v << 30;
      default -> v;
    };
  }
}
