package dev.llamasweep.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** Small helpers for running tools (never through a shell: argv arrays only). */
public final class Processes {
  private Processes() {}

  /** Thrown when a set-up tool fails; the message is one sentence a user can act on. */
  public static final class ToolFailure extends RuntimeException {
    public ToolFailure(String message) { super(message); }
  }

  /** Runs a command, passing each output line (stdout and stderr merged) to {@code lines}. */
  public static int run(List<String> argv, Path dir, Map<String, String> env, Consumer<String> lines) {
    ProcessBuilder pb = new ProcessBuilder(Children.guarded(argv)).redirectErrorStream(true);
    if (dir != null) pb.directory(dir.toFile());
    if (env != null) pb.environment().putAll(env);
    try {
      Process p = pb.start();
      p.getOutputStream().close();
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) lines.accept(line);
      }
      return p.waitFor();
    } catch (IOException e) {
      throw new ToolFailure("could not start " + argv.get(0) + ": " + e.getMessage() + ".");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ToolFailure("interrupted while running " + argv.get(0) + ".");
    }
  }

  /** Runs a command and returns its output, failing with the output's tail if it exits non-zero. */
  public static String check(List<String> argv, Path dir, String what) {
    List<String> out = new ArrayList<>();
    int rc = run(argv, dir, null, out::add);
    if (rc != 0) {
      throw new ToolFailure(what + " failed (exit " + rc + ", command: " + String.join(" ", argv) + "): "
          + String.join("\n", out.subList(Math.max(0, out.size() - 15), out.size())));
    }
    return String.join("\n", out);
  }

  /** Runs a command, echoing progress lines to {@code progress}, keeping the tail for errors. */
  public static void checkWithProgress(List<String> argv, Path dir, String what, PrintStream progress,
      java.util.function.Predicate<String> show) {
    List<String> tail = new ArrayList<>();
    int rc = run(argv, dir, null, line -> {
      tail.add(line);
      if (tail.size() > 40) tail.remove(0);
      if (show.test(line)) progress.println("  " + line);
    });
    if (rc != 0) {
      throw new ToolFailure(what + " failed (exit " + rc + ", command: " + String.join(" ", argv) + "); last output:\n"
          + String.join("\n", tail));
    }
  }

  /** A short command's exit status and combined output. */
  public record Captured(int exit, String output) {}

  /** Runs a short command and returns its combined output, or null if it cannot start or hangs. */
  public static String capture(List<String> argv, Map<String, String> env, long timeoutSeconds) {
    Captured c = captureWithExit(argv, env, timeoutSeconds);
    return c == null ? null : c.output();
  }

  /** Runs a short command; null if it cannot start or does not finish in time. */
  public static Captured captureWithExit(List<String> argv, Map<String, String> env, long timeoutSeconds) {
    // short tools (--help, --list-devices, probes) die with the sweep too
    ProcessBuilder pb = new ProcessBuilder(argv.get(0).equals("setpriv") ? argv : Children.guarded(argv)).redirectErrorStream(true);
    if (env != null) pb.environment().putAll(env);
    try {
      Process p = pb.start();
      p.getOutputStream().close();
      byte[][] holder = new byte[1][];
      Thread reader = new Thread(() -> {
        try {
          holder[0] = p.getInputStream().readAllBytes();
        } catch (IOException e) {
          holder[0] = new byte[0];
        }
      });
      reader.start();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        return null;
      }
      reader.join(5000);
      return new Captured(p.exitValue(), holder[0] == null ? "" : new String(holder[0], StandardCharsets.UTF_8));
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /**
   * Runs a command with its output in files (nothing read into memory); the exit status, or null when
   * it did not finish within the timeout (it is killed then) or could not start.
   */
  public static Integer runToFiles(List<String> argv, Path stdout, Path stderr, long timeoutSeconds) {
    ProcessBuilder pb = new ProcessBuilder(Children.guarded(argv)).redirectOutput(stdout.toFile()).redirectError(stderr.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    try {
      Process p = pb.start();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
        return null;
      }
      return p.exitValue();
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
