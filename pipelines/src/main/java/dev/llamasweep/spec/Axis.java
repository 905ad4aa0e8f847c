package dev.llamasweep.spec;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The parameters a grid can vary. The first five are the user's experiment axes; the rest are the
 * bench parameters, which are axes too so that any of them can be swept.
 */
public enum Axis {
  MODEL("model", Type.MODEL),
  BACKEND("backend", Type.BACKEND),
  PROFILE("profile", Type.WORD),
  DRAFT_MAX("draft_max", Type.COUNT),
  MMAP("mmap", Type.BOOL),
  PROMPT("prompt", Type.COUNT),
  GENERATE("generate", Type.COUNT),
  DEPTH("depth", Type.COUNT),
  REPETITIONS("repetitions", Type.POSITIVE),
  THREADS("threads", Type.THREADS),
  GPU_LAYERS("gpu_layers", Type.COUNT),
  FLASH_ATTN("flash_attn", Type.BOOL),
  DRAFT("draft", Type.MODEL),
  PROMPT_FILE("prompt_file", Type.WORD),
  /** Sequences decoded together in one step (llama-batched-bench -npl): the B of a batch curve. */
  BATCH("batch", Type.POSITIVE),
  /** How llama-bench spreads a model over devices (-sm): none, layer, row or tensor. */
  SPLIT_MODE("split_mode", Type.WORD),
  /** The share of the model each device holds (-ts), proportions such as "3/1". */
  TENSOR_SPLIT("tensor_split", Type.WORD),
  /** The device that holds the whole model with split_mode none, or the intermediate results with row (-mg). */
  MAIN_GPU("main_gpu", Type.COUNT),
  /** Requests in flight at once against one llama-server (its -np slots): a server experiment's load. */
  CONCURRENCY("concurrency", Type.POSITIVE),
  /**
   * Every other llama-bench parameter of an ingested record (batch sizes, KV types, load mode, devices,
   * build, …) as "field=value;…", so records that differ in any of them are never one cell. Not a spec axis.
   */
  CONFIG("config", Type.WORD),
  /** Adaptive repetitions ("max=30;target_ci_pct=1"), set by {@code repetitions: {min, max, target_ci_pct}}; not written directly. */
  ADAPTIVE("adaptive", Type.WORD);

  /** How an axis value is checked and normalised. */
  public enum Type { MODEL, BACKEND, WORD, COUNT, POSITIVE, BOOL, THREADS }

  public final String key;
  public final Type type;

  Axis(String key, Type type) {
    this.key = key;
    this.type = type;
  }

  /**
   * The largest value llama.cpp can take for a number axis: its flags are 32-bit ints, and a context
   * of prompt + generate + depth must fit one, so nothing wraps or overflows downstream.
   */
  public long max() {
    return switch (this) {
      case THREADS -> 4096;
      case REPETITIONS -> 1_000_000;
      case GPU_LAYERS -> 100_000;
      case DRAFT_MAX -> 4096;
      case BATCH, CONCURRENCY -> MAX_SEQUENCES;
      case MAIN_GPU -> MAX_DEVICES - 1;
      case PROMPT, GENERATE, DEPTH -> 1L << 24;  // 16,777,216 tokens: three of them still fit an int
      default -> Long.MAX_VALUE;
    };
  }

  /** llama.cpp spreads a model over at most this many devices (llama_max_devices(), LLAMA_MAX_DEVICES). */
  public static final long MAX_DEVICES = 16;

  /** llama-bench's split modes (tools/llama-bench: -sm none|layer|row|tensor). */
  public static final java.util.List<String> SPLIT_MODES = java.util.List.of("none", "layer", "row", "tensor");

  /** llama.cpp decodes at most this many sequences in one context (LLAMA_MAX_SEQ, src/llama-cparams.h). */
  public static final long MAX_SEQUENCES = 256;

  private long bounded(Node n, long v) {
    if (this == CONCURRENCY && v > max()) {
      throw n.error("must be at most " + MAX_SEQUENCES + ", not " + v + ": llama-server serves at most " + MAX_SEQUENCES
          + " requests at once (one sequence per slot, LLAMA_MAX_SEQ).");
    }
    if (this == BATCH && v > max()) {
      throw n.error("must be at most " + MAX_SEQUENCES + ", not " + v + ": llama.cpp decodes at most " + MAX_SEQUENCES
          + " sequences at once (LLAMA_MAX_SEQ); a prompt of B tokens (bench: llama-bench, prompt: B) reads the weights once for B tokens beyond that.");
    }
    if (v > max()) throw n.error("must be at most " + String.format(java.util.Locale.ROOT, "%,d", max()) + ", not " + String.format(java.util.Locale.ROOT, "%,d", v) + ".");
    return v;
  }

  /**
   * A tensor split as llama-bench's -ts takes it: non-negative proportions separated by '/', one per device,
   * at most {@link #MAX_DEVICES}, not all zero (llama-bench reads each with std::stof, which aborts on anything else).
   */
  private String tensorSplit(Node n) {
    if (!n.isScalar() || n.isBool()) throw n.error("must be proportions per device such as 3/1, not " + n.describe() + ".");
    String v = n.string().trim();
    String[] parts = v.split("/", -1);
    boolean ok = parts.length <= MAX_DEVICES;
    double sum = 0;
    for (String p : parts) {
      if (!p.matches("\\d+(\\.\\d+)?")) {
        ok = false;
        break;
      }
      sum += Double.parseDouble(p);
    }
    if (!ok || !(sum > 0)) {
      throw n.error("must be one non-negative proportion per device separated by '/' (at most " + MAX_DEVICES + ", not all 0), such as 3/1, not '" + v + "'.");
    }
    return v;
  }

  /** Any axis by its key, config and adaptive included (what files that store parameters by key need). */
  public static Optional<Axis> of(String key) {
    return Arrays.stream(values()).filter(a -> a.key.equals(key)).findFirst();
  }

  /** Every axis in the order of its key: the order cell.json and the canonical text list them. */
  public static java.util.List<Axis> inKeyOrder() {
    return Arrays.stream(values()).sorted(java.util.Comparator.comparing(a -> a.key)).toList();
  }

  /** An axis a spec may name (config is set by ingest only). */
  public static Optional<Axis> byKey(String key) {
    return Arrays.stream(values()).filter(a -> a != CONFIG && a != ADAPTIVE && a.key.equals(key)).findFirst();
  }

  public static String allKeys() {
    return Arrays.stream(values()).filter(a -> a != CONFIG && a != ADAPTIVE).map(a -> a.key).collect(Collectors.joining(", "));
  }

  /** Checks a YAML scalar against this axis's type and returns its canonical value. */
  public Object parse(Node n) {
    return switch (type) {
      case MODEL, BACKEND, WORD -> {
        if (this == TENSOR_SPLIT) yield tensorSplit(n);
        if (!n.isScalar() || n.isInt() || n.isBool() || n.isFloat()) {
          throw n.error("must be a name, not " + n.describe() + ".");
        }
        if (this == SPLIT_MODE && !SPLIT_MODES.contains(n.string())) {
          throw n.error("must be one of " + String.join(", ", SPLIT_MODES) + " (llama-bench's -sm), not '" + n.string() + "'.");
        }
        yield n.string();
      }
      case COUNT -> {
        long v = n.integer();
        if (v < 0) throw n.error("must be 0 or more, not " + v + ".");
        yield bounded(n, v);
      }
      case POSITIVE -> {
        long v = n.integer();
        if (v < 1) throw n.error("must be 1 or more, not " + v + ".");
        yield bounded(n, v);
      }
      case BOOL -> n.bool();
      case THREADS -> {
        if (n.isScalar() && !n.isInt() && "auto".equals(n.string())) yield "auto";
        if (!n.isInt()) throw n.error("must be a number of threads or 'auto', not " + n.describe() + ".");
        long v = n.integer();
        if (v < 1) throw n.error("must be 1 or more threads, not " + v + ".");
        yield bounded(n, v);
      }
    };
  }
}
