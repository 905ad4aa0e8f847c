package dev.llamasweep.host;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * A host's stable identity, so that cells from two machines never collide in one corpus: the
 * systemd machine-id (or the hostname where there is none) with the hardware facts that change the
 * numbers (CPU model, cores, memory), hashed to 12 hex digits; and a label a reader recognises.
 */
public record HostIdentity(String id, String label, String basis) {

  public static HostIdentity probe(HostProbe.Sources src) {
    String machineId = strip(src.file("/etc/machine-id"));
    String hostname = strip(src.file("/proc/sys/kernel/hostname"));
    String cpuinfo = src.file("/proc/cpuinfo");
    String meminfo = src.file("/proc/meminfo");
    String cpu = cpuinfo == null ? "?" : HostParsers.cpuModel(cpuinfo);
    int cores = Runtime.getRuntime().availableProcessors();
    Long mem = meminfo == null ? null : HostParsers.memTotalBytes(meminfo);
    String who = machineId != null && !machineId.isEmpty() ? "machine-id " + machineId : "hostname " + (hostname == null ? "?" : hostname);
    String basis = who + " | " + cpu + " | " + cores + " cores | " + (mem == null ? "?" : mem) + " B";
    String label = (hostname == null ? "?" : hostname) + " (" + cpu + ", " + cores + " cores"
        + (mem == null ? "" : String.format(java.util.Locale.ROOT, ", %.0f GiB", mem / 1073741824.0)) + ")";
    return new HostIdentity(sha(basis), label, basis);
  }

  /** The identity of results that came without a host record (ingested files): their own CPU and GPU strings. */
  public static HostIdentity ofRecords(String cpuInfo, String gpuInfo) {
    String basis = "llama-bench cpu_info " + cpuInfo + " | gpu_info " + gpuInfo;
    return new HostIdentity(sha(basis), (cpuInfo + (gpuInfo == null || gpuInfo.isBlank() ? "" : " + " + gpuInfo)).strip(), basis);
  }

  private static String strip(String s) {
    return s == null ? null : s.strip();
  }

  static String sha(String s) {
    return dev.llamasweep.io.Hashes.sha256(s).substring(0, 12);
  }
}
