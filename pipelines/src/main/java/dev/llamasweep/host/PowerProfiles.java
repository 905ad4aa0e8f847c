package dev.llamasweep.host;

import dev.llamasweep.io.Processes;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The power profile through power-profiles-daemon's own client, powerprofilesctl: read it, list
 * what is offered, set it and read it back. Every failure is a sentence a report can show.
 */
public final class PowerProfiles {
  private static final Pattern LISTED = Pattern.compile("(?m)^[* ] (\\S+):\\s*$");

  /** What a get or set ended in: the profile observed, or why there is none. */
  public record State(String profile, String problem) {
    public boolean ok() { return problem == null; }

    /** The profile, or "unknown: why" for result.json and the report. */
    public String label() { return ok() ? profile : "unknown: " + problem; }
  }

  public State get() {
    Processes.Captured c = Processes.captureWithExit(List.of("powerprofilesctl", "get"), null, 15);
    if (c == null) return new State(null, "powerprofilesctl is not available or did not answer");
    String out = c.output().trim();
    if (c.exit() != 0 || out.isEmpty() || out.contains(" ")) return new State(null, "powerprofilesctl get said: " + firstLine(out));
    return new State(out, null);
  }

  public List<String> available() {
    Processes.Captured c = Processes.captureWithExit(List.of("powerprofilesctl", "list"), null, 15);
    if (c == null || c.exit() != 0) return List.of();
    return parseList(c.output());
  }

  static List<String> parseList(String text) {
    List<String> out = new ArrayList<>();
    Matcher m = LISTED.matcher(text);
    while (m.find()) out.add(m.group(1));
    return out;
  }

  /** Sets a profile, reads it back, then waits for clocks to settle; the State says what is active. */
  public State set(String profile, long settleSeconds) {
    State before = get();
    if (!before.ok()) return new State(null, "cannot set the power profile '" + profile + "': " + before.problem());
    if (!before.profile().equals(profile)) {
      List<String> offered = available();
      if (!offered.isEmpty() && !offered.contains(profile)) {
        return new State(before.profile(), "cannot set the power profile '" + profile + "': this machine offers only " + String.join(", ", offered));
      }
      Processes.Captured c = Processes.captureWithExit(List.of("powerprofilesctl", "set", profile), null, 15);
      if (c == null || c.exit() != 0) {
        return new State(before.profile(), "cannot set the power profile '" + profile + "': powerprofilesctl set said: "
            + (c == null ? "no answer" : firstLine(c.output().trim())));
      }
    }
    State after = get();
    if (!after.ok()) return after;
    if (!after.profile().equals(profile)) {
      return new State(after.profile(), "asked for the power profile '" + profile + "' but powerprofilesctl get reads back '" + after.profile() + "'");
    }
    if (settleSeconds > 0 && !before.profile().equals(profile)) {
      try {
        Thread.sleep(settleSeconds * 1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return after;
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
