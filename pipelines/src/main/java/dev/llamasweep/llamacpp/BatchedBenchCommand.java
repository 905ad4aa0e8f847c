package dev.llamasweep.llamacpp;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * The llama-batched-bench argv for one point of a batch curve: B sequences ({@code -npl B}) decoded
 * together, {@code generate} steps each, after {@code depth} tokens of context per sequence
 * ({@code -npp}). Its repetitions are repeated {@code -ntg} values in one process (the tool loops
 * over pp, then tg, then pl), led by a one-step warm-up point that {@link BatchedBenchJsonl#record}
 * sets aside, as llama-bench discards its own warm-up run.
 */
public final class BatchedBenchCommand {
  private BatchedBenchCommand() {}

  /** Steps of the warm-up point: one step allocates what a step of B tokens needs before any timed step. */
  public static final long WARMUP_STEPS = 1;

  /** What one point runs. */
  public record Point(long batch, long generate, long depth, long repetitions) {
    /** What a batch cell's parameters ask for: the one place a point is read off them (planning and reading back). */
    public static Point of(dev.llamasweep.spec.Params p) {
      return new Point(p.batch(), p.generate(), p.depth(), p.repetitions());
    }

    /** A context that holds every sequence's depth and steps; llama.cpp pads each sequence's share to 256, never below it. */
    public long context() {
      return batch * (depth + generate);
    }
  }

  /**
   * @param threads the resolved thread count, or null for llama.cpp's default
   * @param gpuLayers -ngl, or null for llama.cpp's default
   * @param flashAttn -fa on/off, or null for llama.cpp's default (auto)
   */
  public static List<String> argv(Path binDir, Path model, Point p, Integer threads, Long gpuLayers, Boolean flashAttn, List<String> extraArgs) {
    List<String> a = new ArrayList<>();
    a.add(binDir.resolve("llama-batched-bench").toString());
    a.add("-m");
    a.add(model.toString());
    a.add("-c");
    a.add(String.valueOf(p.context()));
    a.add("-npp");
    a.add(String.valueOf(p.depth()));
    StringJoiner steps = new StringJoiner(",");
    steps.add(String.valueOf(WARMUP_STEPS));
    for (long r = 0; r < p.repetitions(); r++) steps.add(String.valueOf(p.generate()));
    a.add("-ntg");
    a.add(steps.toString());
    a.add("-npl");
    a.add(String.valueOf(p.batch()));
    if (threads != null) {
      a.add("-t");
      a.add(String.valueOf(threads));
    }
    if (gpuLayers != null) {
      a.add("-ngl");
      a.add(String.valueOf(gpuLayers));
    }
    if (flashAttn != null) a.addAll(Flags.serverFlashAttn(flashAttn));
    a.addAll(extraArgs);
    a.add("--output-format");
    a.add("jsonl");
    return a;
  }

  /** The version argv of the same binary: batched-bench's JSON lines carry no build, its --version does. */
  public static List<String> versionArgv(Path binDir) {
    return List.of(binDir.resolve("llama-batched-bench").toString(), "--version");
  }

  /** A build as --version names it: "version: 0.4.0-dev (build 1, commit 80fb11a)". */
  public record Build(long number, String commit) {
    public static final Build UNKNOWN = new Build(0, "");
  }

  /** The build in a --version output, or {@link Build#UNKNOWN} when the output names none. */
  public static Build buildOf(String versionOutput) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\(build (\\d+), commit ([0-9a-fA-F]+)\\)").matcher(versionOutput);
    return m.find() ? new Build(Long.parseLong(m.group(1)), m.group(2)) : Build.UNKNOWN;
  }
}
