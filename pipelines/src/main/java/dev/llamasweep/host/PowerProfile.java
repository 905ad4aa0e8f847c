package dev.llamasweep.host;

import dev.llamasweep.execute.Processes;
import java.util.List;

/** Reads the active power profile from power-profiles-daemon, or says why it cannot. */
public final class PowerProfile {
  private PowerProfile() {}

  public static String observe() {
    String out = Processes.capture(List.of("powerprofilesctl", "get"), null, 10);
    if (out == null) return "unknown: powerprofilesctl is not available";
    String v = out.trim();
    if (v.isEmpty() || v.contains("\n") || v.contains(" ")) {
      String first = v.isEmpty() ? "no output" : v.lines().findFirst().orElse("");
      return "unknown: powerprofilesctl get said: " + first;
    }
    return v;
  }
}
