package dev.llamasweep.execute;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Whether the machine is quiet before a cell: no other llama.cpp process running, and the CPUs
 * nearly idle over a short window (from /proc/stat), naming the busiest processes when not. A
 * measurement taken beside another benchmark is a fact of the cell, recorded in result.json and
 * flagged in the report, never silently a good result.
 */
public final class Quiet {
  /** Share of all CPUs busy above which the machine is not quiet. */
  static final double BUSY = 0.15;
  static final long WINDOW_MS = 150;

  private Quiet() {}

  /** What was seen: CPU busy share over the window, other llama.cpp processes, the busiest processes. */
  public record Check(double busy, List<String> llamaProcesses, List<String> busiest) {
    public boolean quiet() {
      return llamaProcesses.isEmpty() && busy < BUSY;
    }

    /** "another llama.cpp process was running (pid 12: llama-server …); CPUs 63% busy (stress 98%)". */
    public String describe() {
      List<String> parts = new ArrayList<>();
      if (!llamaProcesses.isEmpty()) parts.add("another llama.cpp process was running (" + String.join("; ", llamaProcesses) + ")");
      if (busy >= BUSY) {
        parts.add(String.format(Locale.ROOT, "CPUs %.0f%% busy before the cell", busy * 100)
            + (busiest.isEmpty() ? "" : " (" + String.join(", ", busiest) + ")"));
      }
      return parts.isEmpty() ? "quiet" : String.join("; ", parts);
    }
  }

  /** Samples the machine; {@code own} are processes that belong to this sweep (never counted as others). */
  public static Check sample(Set<Long> own) {
    long[] before = cpu();
    Map<Long, long[]> procsBefore = processTimes();
    long self = ProcessHandle.current().pid();
    try {
      Thread.sleep(WINDOW_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    long[] after = cpu();
    Map<Long, long[]> procsAfter = processTimes();
    double busy = 0;
    if (before != null && after != null && after[0] > before[0]) {
      // this JVM (the harness, between cells) is not other load: its own jiffies are left out
      long ownJiffies = procsAfter.getOrDefault(self, new long[] {0})[0] - procsBefore.getOrDefault(self, new long[] {0})[0];
      long busyJiffies = (after[0] - before[0]) - (after[1] - before[1]) - Math.max(0, ownJiffies);
      busy = Math.max(0, (double) busyJiffies / (after[0] - before[0]));
    }
    List<String> llama = new ArrayList<>();
    Map<String, Long> delta = new HashMap<>();
    for (Map.Entry<Long, long[]> e : procsAfter.entrySet()) {
      long pid = e.getKey();
      if (pid == self || own.contains(pid)) continue;
      String cmd = cmdline(pid);
      String exe = cmd.isEmpty() ? "" : Path.of(cmd.split(" ")[0]).getFileName().toString();
      if (exe.startsWith("llama-")) llama.add("pid " + pid + ": " + (cmd.length() > 120 ? cmd.substring(0, 120) + "…" : cmd));
      long[] b = procsBefore.get(pid);
      if (b != null) delta.put(exe.isEmpty() ? "pid " + pid : exe + " (pid " + pid + ")", e.getValue()[0] - b[0]);
    }
    long window = Math.max(1, after == null || before == null ? 1 : (after[0] - before[0]) / Math.max(1, Runtime.getRuntime().availableProcessors()));
    List<String> busiest = delta.entrySet().stream().filter(e -> e.getValue() > 0)
        .sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).limit(3)
        .map(e -> String.format(Locale.ROOT, "%s %.0f%%", e.getKey(), 100.0 * e.getValue() / window)).toList();
    return new Check(Math.max(0, busy), llama, busiest);
  }

  /** Total and idle (idle + iowait) jiffies of all CPUs, or null without /proc/stat. */
  static long[] cpu() {
    try {
      String line = Files.readAllLines(Path.of("/proc/stat")).get(0);
      String[] f = line.trim().split("\\s+");
      long total = 0;
      for (int i = 1; i < f.length && i <= 8; i++) total += Long.parseLong(f[i]);
      return new long[] {total, Long.parseLong(f[4]) + Long.parseLong(f[5])};
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** utime + stime per process, in jiffies. */
  static Map<Long, long[]> processTimes() {
    Map<Long, long[]> out = new HashMap<>();
    try (Stream<Path> s = Files.list(Path.of("/proc"))) {
      for (Path p : s.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).collect(Collectors.toList())) {
        try {
          String stat = Files.readString(p.resolve("stat"));
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
          out.put(Long.parseLong(p.getFileName().toString()), new long[] {Long.parseLong(f[11]) + Long.parseLong(f[12])});
        } catch (IOException | RuntimeException e) {
          // gone meanwhile
        }
      }
    } catch (IOException e) {
      // no /proc
    }
    return out;
  }

  static String cmdline(long pid) {
    try {
      return new String(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline")), StandardCharsets.UTF_8).replace('\0', ' ').trim();
    } catch (IOException e) {
      return "";
    }
  }
}
