package dev.llamasweep.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * How a process ended, as a person reads it. The JVM reports a child killed by signal N as exit
 * 128 + N (what a shell prints too), so "exit 139" is SIGSEGV: a crash, not a failure the program chose.
 */
public record ExitStatus(int code) {
  private static final Map<Integer, String> NAMES = Map.ofEntries(
      Map.entry(1, "SIGHUP"), Map.entry(2, "SIGINT"), Map.entry(3, "SIGQUIT"), Map.entry(4, "SIGILL"),
      Map.entry(5, "SIGTRAP"), Map.entry(6, "SIGABRT"), Map.entry(7, "SIGBUS"), Map.entry(8, "SIGFPE"),
      Map.entry(9, "SIGKILL"), Map.entry(11, "SIGSEGV"), Map.entry(13, "SIGPIPE"), Map.entry(15, "SIGTERM"),
      Map.entry(31, "SIGSYS"));

  /** The signal that killed the process, or 0 when it exited by itself. */
  public int signal() {
    return code > 128 && code < 128 + 65 ? code - 128 : 0;
  }

  public boolean crashed() {
    return signal() != 0;
  }

  /** "SIGSEGV" for signal 11; "signal 40" for one without a common name. */
  public String signalName() {
    return NAMES.getOrDefault(signal(), "signal " + signal());
  }

  /** "SIGSEGV (signal 11)" for a crash, "exit 3" otherwise. */
  public String describe() {
    if (!crashed()) return "exit " + code;
    String name = signalName();
    return name.startsWith("signal ") ? name : name + " (signal " + signal() + ")";
  }

  /** The last {@code n} non-blank lines of a log, joined by " / " (empty when there are none or it cannot be read). */
  public static String tail(Path log, int n) {
    try {
      if (!Files.isRegularFile(log)) return "";
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8).stream().map(String::strip).filter(l -> !l.isEmpty()).toList();
      return String.join(" / ", lines.subList(Math.max(0, lines.size() - n), lines.size()));
    } catch (IOException | java.io.UncheckedIOException e) {
      return "";
    }
  }
}
