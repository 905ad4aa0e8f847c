package dev.llamasweep.build;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

/** The instruction-set flags this machine's CPU reports (/proc/cpuinfo), which decide what GGML_NATIVE compiles in. */
public final class HostCpu {
  private HostCpu() {}

  private static Set<String> flags;

  public static synchronized Set<String> flags() {
    if (flags == null) flags = parse(read(Path.of("/proc/cpuinfo")));
    return flags;
  }

  /** The flags of the first "flags" line (every core of one machine lists the same). */
  public static Set<String> parse(String cpuinfo) {
    Set<String> out = new TreeSet<>();
    for (String l : cpuinfo.split("\n")) {
      if (l.startsWith("flags") && l.contains(":")) {
        for (String f : l.substring(l.indexOf(':') + 1).trim().split("\\s+")) if (!f.isEmpty()) out.add(f);
        break;
      }
    }
    return out;
  }

  private static String read(Path p) {
    try {
      return Files.isRegularFile(p) ? Files.readString(p) : "";
    } catch (IOException e) {
      return "";
    }
  }
}
