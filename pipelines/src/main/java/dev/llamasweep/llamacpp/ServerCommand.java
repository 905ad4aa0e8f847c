package dev.llamasweep.llamacpp;

import dev.llamasweep.spec.Axis;
import dev.llamasweep.spec.Cell;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A speculative-decoding cell runs llama-server: the target alone for draft_max 0, target plus
 * draft otherwise, and one /completion request with greedy sampling, a fixed seed and a fixed
 * number of generated tokens. Baseline and speculative runs are timed by the same code in the
 * same binary ({@code timings.predicted_per_second}), so they compare.
 */
public final class ServerCommand {
  /** Replaced by a free loopback port when the cell runs. */
  public static final String PORT = "{port}";
  public static final long SEED = 42;

  private ServerCommand() {}

  public static List<String> argv(Cell cell, Path binDir, Path target, Path draft, Flags.SpecDialect dialect,
      Integer threads, int contextSize, List<String> extraArgs) {
    return argv(cell, binDir, target, draft, dialect, threads, contextSize, 1, extraArgs);
  }

  /**
   * @param slots llama-server's -np: requests it decodes together, each with its own contextSize (so -c is
   *     slots × contextSize: llama-server splits its context evenly between slots)
   */
  public static List<String> argv(Cell cell, Path binDir, Path target, Path draft, Flags.SpecDialect dialect,
      Integer threads, int contextSize, int slots, List<String> extraArgs) {
    List<String> a = new ArrayList<>();
    a.add(binDir.resolve("llama-server").toString());
    a.add("-m");
    a.add(target.toString());
    long draftMax = cell.get(Axis.DRAFT_MAX) == null ? 0 : cell.getLong(Axis.DRAFT_MAX);
    if (draftMax > 0) a.addAll(Flags.serverDraft(dialect, draft.toString(), draftMax));
    if (threads != null) {
      a.add("-t");
      a.add(String.valueOf(threads));
      if (draftMax > 0) {
        a.add("-td");
        a.add(String.valueOf(threads));
      }
    }
    if (cell.get(Axis.GPU_LAYERS) != null) {
      a.add("-ngl");
      a.add(String.valueOf(cell.getLong(Axis.GPU_LAYERS)));
      if (draftMax > 0) a.addAll(Flags.serverDraftGpuLayers(cell.getLong(Axis.GPU_LAYERS)));
    }
    if (cell.get(Axis.FLASH_ATTN) != null) a.addAll(Flags.serverFlashAttn((Boolean) cell.get(Axis.FLASH_ATTN)));
    a.addAll(List.of("-c", String.valueOf((long) contextSize * slots), "-np", String.valueOf(slots), "--no-webui", "--host", "127.0.0.1", "--port", PORT));
    a.addAll(extraArgs);
    return a;
  }

  /** Context for the prompt and the generated tokens: a token is at least one character of the prompt. */
  public static int contextSize(int promptChars, long generate) {
    long need = promptChars + generate + 64;
    return (int) Math.max(4096, (need + 1023) / 1024 * 1024);
  }

  /** A server cell's request: the same, streamed (one event per token, so each token's arrival is timed). */
  public static Map<String, Object> streamedRequest(String prompt, long generate) {
    Map<String, Object> r = request(prompt, generate);
    r.put("stream", true);
    return r;
  }

  /** The /completion request: greedy, seeded, exactly {@code generate} tokens (EOS ignored). */
  public static Map<String, Object> request(String prompt, long generate) {
    Map<String, Object> r = new TreeMap<>();
    r.put("prompt", prompt);
    r.put("n_predict", generate);
    r.put("temperature", 0);
    r.put("top_k", 1);
    r.put("seed", SEED);
    r.put("cache_prompt", false);
    r.put("ignore_eos", true);
    return r;
  }
}
