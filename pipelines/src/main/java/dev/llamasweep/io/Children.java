package dev.llamasweep.io;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Benchmark processes never outlive the sweep that started them, whatever kills it:
 *
 * <ul>
 *   <li>each is started under util-linux's {@code setpriv --pdeathsig KILL}, so the kernel kills it
 *       the moment its parent dies (kill -9, the OOM killer, a crash), with no help from the JVM;
 *   <li>each is recorded (pid, kernel start time, command line) in a registry beside the host lock;
 *       the next sweep, once it holds the lock, kills any recorded process still alive whose start
 *       time and command line match (never by name alone), for machines without setpriv.
 * </ul>
 */
public final class Children {
  private static volatile Path registry = defaultRegistry();
  private static final Object LOCK = new Object();
  private static Boolean setpriv;

  private Children() {}

  public static Path defaultRegistry() {
    return Path.of(System.getProperty("java.io.tmpdir"), "llama-sweep.children");
  }

  /** Tests point the registry elsewhere. */
  public static void useRegistry(Path file) {
    registry = file;
  }

  /** The argv to start: the command under {@code setpriv --pdeathsig KILL} where setpriv can do it. */
  public static List<String> guarded(List<String> argv) {
    if (!hasSetpriv()) return argv;
    List<String> out = new ArrayList<>(List.of("setpriv", "--pdeathsig", "KILL", "--"));
    out.addAll(argv);
    return out;
  }

  static synchronized boolean hasSetpriv() {
    if (setpriv == null) {
      Processes.Captured c = Processes.captureWithExit(List.of("setpriv", "--help"), null, 10);
      setpriv = c != null && c.exit() == 0 && c.output().contains("--pdeathsig");
    }
    return setpriv;
  }

  /** Records a started benchmark process so that a later sweep can find it if this one dies. */
  public static void register(Process p) {
    String line = entry(p.pid());
    if (line == null) return;
    synchronized (LOCK) {
      try {
        Files.writeString(registry, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      } catch (IOException e) {
        // the registry is a second line of defence; pdeathsig still holds
      }
    }
  }

  /** Forgets a process that has ended. */
  public static void unregister(Process p) {
    synchronized (LOCK) {
      try {
        if (!Files.isRegularFile(registry)) return;
        String prefix = "pid " + p.pid() + " ";
        List<String> keep = Files.readAllLines(registry).stream().filter(l -> !l.startsWith(prefix)).toList();
        Files.write(registry, keep);
      } catch (IOException e) {
        // see register
      }
    }
  }

  /**
   * Kills the recorded processes of an earlier sweep that are still alive (same pid, start time and
   * command line); call it while holding the host lock, before the first cell. Returns what it killed.
   */
  public static List<String> reapLeftovers(PrintStream out) {
    List<String> killed = new ArrayList<>();
    synchronized (LOCK) {
      try {
        if (!Files.isRegularFile(registry)) return killed;
        for (String line : Files.readAllLines(registry)) {
          String[] f = line.split(" ", 6);
          if (f.length < 6 || !f[0].equals("pid") || !f[2].equals("start")) continue;
          long pid = Long.parseLong(f[1]);
          String now = entry(pid);
          if (now == null || !now.equals(line)) continue;  // gone, or the pid now belongs to something else
          ProcessHandle.of(pid).ifPresent(h -> {
            h.descendants().forEach(ProcessHandle::destroyForcibly);
            h.destroyForcibly();
          });
          killed.add("pid " + pid + " (" + f[5] + ")");
        }
        Files.deleteIfExists(registry);
      } catch (IOException | NumberFormatException e) {
        // nothing readable to reap
      }
    }
    if (!killed.isEmpty()) {
      out.println("llama-sweep: killed " + killed.size() + " benchmark process(es) left running by an earlier sweep that died: "
          + String.join("; ", killed));
    }
    return killed;
  }

  /** "pid N start T cmd <first 200 chars of the command line>", or null when the process is gone. */
  static String entry(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      // the command name may contain spaces and parentheses: fields start after the last ')'
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
      String start = fields[19];  // field 22 of stat: start time in clock ticks since boot
      byte[] cmd = Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline"));
      String cmdline = new String(cmd, StandardCharsets.UTF_8).replace('\0', ' ').replace('\n', ' ').trim();
      if (cmdline.length() > 200) cmdline = cmdline.substring(0, 200);
      return "pid " + pid + " start " + start + " cmd " + cmdline;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
