package dev.llamasweep.benchhost;

import dev.llamasweep.io.Processes;
import dev.llamasweep.host.HostLock;
import dev.llamasweep.llamacpp.BenchJsonl;
import dev.llamasweep.spec.SpecException;
import picocli.CommandLine;

/** Every failure a user can cause ends as one sentence on stderr, in both command lines (the full one and the bench-host executor). */
public final class Errors {
  private Errors() {}

  /** Runs a command line with the one-sentence error handling. */
  public static int execute(CommandLine cl, String... args) {
    // Beam logs each pipeline step at INFO; the sweep prints its own progress
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
      Throwable t = rootCause(e);
      if (t instanceof java.io.UncheckedIOException io) {
        // a file that cannot be read or written (disk full, permissions): say which, no stack trace
        String what = io.getMessage() != null && !io.getMessage().equals(String.valueOf(io.getCause())) ? io.getMessage() + ": " : "";
        cmd.getErr().println("llama-sweep: cannot read or write a file: " + what + describe(io.getCause()) + ".");
        return 1;
      }
      if (t instanceof SpecException || t instanceof IllegalArgumentException || t instanceof HostLock.Busy
          || t instanceof Processes.ToolFailure || t instanceof BenchJsonl.MalformedOutput) {
        cmd.getErr().println("llama-sweep: " + t.getMessage());
        return t instanceof SpecException || t instanceof IllegalArgumentException ? 2 : 1;
      }
      throw e;
    });
    return cl.execute(args);
  }

  private static String describe(java.io.IOException e) {
    if (e instanceof java.nio.file.AccessDeniedException a) return a.getFile() + " (permission denied)";
    if (e instanceof java.nio.file.NoSuchFileException n) return n.getFile() + " does not exist";
    return e.getMessage();
  }

  static Throwable rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t
        && !(t instanceof SpecException || t instanceof Processes.ToolFailure || t instanceof HostLock.Busy
            || t instanceof java.io.UncheckedIOException)) {
      t = t.getCause();
    }
    return fromCluster(t);
  }

  /**
   * A Flink cluster sends a job's failure back as its text (org.apache.flink.util.SerializedThrowable:
   * "java.lang.IllegalArgumentException: data/x/samples.csv:5: …") when the client cannot rebuild the
   * original class: a located sentence of ours is recognised by that prefix, so it is said as on any runner.
   */
  static Throwable fromCluster(Throwable t) {
    String prefix = IllegalArgumentException.class.getName() + ": ";
    if (t.getClass().getName().equals("org.apache.flink.util.SerializedThrowable") && t.getMessage() != null && t.getMessage().startsWith(prefix)) {
      return new IllegalArgumentException(t.getMessage().substring(prefix.length()));
    }
    return t;
  }
}
