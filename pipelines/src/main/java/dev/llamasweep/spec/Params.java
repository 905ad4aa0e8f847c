package dev.llamasweep.spec;

import java.io.Serializable;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * A cell's parameters: the bench and one canonical value per axis it sets (text, {@code Long} or
 * {@code Boolean}, as {@link Axis#parse} made it). The only way code reads a parameter: typed
 * accessors for the ones code acts on, with llama-bench's defaults defined here once, and
 * {@link #get(Axis)} for code that walks every axis (grids, labels, tables). The canonical text,
 * and so a cell's id, is {@code key=value} lines in key order, unchanged since ids were first pinned.
 */
public final class Params implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The key the bench is stored under, beside the axes' keys (part of the id). */
  public static final String BENCH = "bench";

  /** What llama-bench runs when neither grid, backend nor the spec's defaults say otherwise. */
  static final Map<Axis, Object> LLAMA_BENCH_DEFAULTS = Map.of(
      Axis.REPETITIONS, 5L, Axis.PROMPT, 512L, Axis.GENERATE, 128L, Axis.DEPTH, 0L);
  /** What a speculative run (one generation of a prompt file) takes when nothing says otherwise. */
  static final Map<Axis, Object> SPECULATIVE_DEFAULTS = Map.of(Axis.REPETITIONS, 5L, Axis.GENERATE, 256L);

  /**
   * What a batch curve's point runs when nothing says otherwise: 32 decode steps per repetition (enough
   * to time a step to a few per cent on a CPU at B = 1), from an empty context.
   */
  static final Map<Axis, Object> BATCH_DEFAULTS = Map.of(Axis.REPETITIONS, 5L, Axis.GENERATE, 32L, Axis.DEPTH, 0L);

  /**
   * What a server experiment runs when nothing says otherwise: 32 tokens per request (enough steps for an
   * inter-token distribution) and 5 rounds of N requests, after one warm-up round set aside.
   */
  static final Map<Axis, Object> SERVER_DEFAULTS = Map.of(Axis.REPETITIONS, 5L, Axis.GENERATE, 32L);

  private final TreeMap<String, Object> values;
  private final Skeleton skeleton;

  private Params(TreeMap<String, Object> values, Skeleton skeleton) {
    this.values = values;
    this.skeleton = skeleton;
  }

  /**
   * What a fixed-cost skeleton cell was made of: the model it stands for, its layer count and the
   * bytes a token of it reads, and whether it ran with CUDA graphs turned off (its twin that shows the
   * launch overhead graphs remove). Kept in cell.json beside the axes; not part of the id.
   */
  public record Skeleton(String of, long layers, double bytesPerToken, boolean noCudaGraphs) implements Serializable {
    public static final String OF = "skeleton_of";
    public static final String LAYERS = "skeleton_layers";
    public static final String BYTES_PER_TOKEN = "skeleton_bytes_per_token";
    public static final String NO_CUDA_GRAPHS = "skeleton_no_cuda_graphs";

    public Skeleton(String of, long layers, double bytesPerToken) {
      this(of, layers, bytesPerToken, false);
    }
  }

  /** The defaults a bench's cells start from. */
  public static Map<Axis, Object> defaults(Bench bench) {
    return switch (bench) {
      case LLAMA_BENCH -> LLAMA_BENCH_DEFAULTS;
      case SPECULATIVE -> SPECULATIVE_DEFAULTS;
      case BATCH -> BATCH_DEFAULTS;
      case SERVER -> SERVER_DEFAULTS;
    };
  }

  /** A grid point's parameters: values already checked by {@link Axis#parse}. */
  public static Params of(Bench bench, Map<Axis, Object> axes) {
    TreeMap<String, Object> v = new TreeMap<>();
    v.put(BENCH, bench.word);
    axes.forEach((a, x) -> v.put(a.key, canonical(a, x, a.key)));
    return new Params(v, null);
  }

  /**
   * Parameters as a file stored them (cell.json's typed values, cells.csv's text): each typed by its
   * axis. A key that is no axis, or a value its axis cannot hold, is refused with {@code where} named.
   */
  public static Params read(Map<String, ?> stored, String where) {
    TreeMap<String, Object> v = new TreeMap<>();
    Skeleton skeleton = null;
    if (stored.get(Skeleton.OF) != null) {
      skeleton = new Skeleton(String.valueOf(stored.get(Skeleton.OF)), whole(String.valueOf(stored.get(Skeleton.LAYERS)), where + ": " + Skeleton.LAYERS),
          stored.get(Skeleton.BYTES_PER_TOKEN) instanceof Number n ? n.doubleValue() : 0,
          Boolean.TRUE.equals(stored.get(Skeleton.NO_CUDA_GRAPHS)) || "true".equals(String.valueOf(stored.get(Skeleton.NO_CUDA_GRAPHS))));
    }
    for (Map.Entry<String, ?> e : stored.entrySet()) {
      if (e.getValue() == null || e.getKey().startsWith("skeleton_")) continue;
      if (e.getKey().equals(BENCH)) {
        try {
          v.put(BENCH, Bench.of(String.valueOf(e.getValue())).word);
        } catch (IllegalArgumentException unknown) {
          throw new IllegalArgumentException(where + ": bench must be one of " + Bench.words() + ", not '" + e.getValue() + "'.");
        }
        continue;
      }
      Axis a = Axis.of(e.getKey()).orElseThrow(() -> new IllegalArgumentException(
          where + ": '" + e.getKey() + "' is not a parameter llama-sweep knows (one of " + Axis.allKeys() + ", config, adaptive)."));
      v.put(a.key, canonical(a, e.getValue(), where + ": " + a.key));
    }
    return new Params(v, skeleton);
  }

  /** A value in its axis's type: numbers as Long, flags as Boolean, "auto" threads and names as text. */
  private static Object canonical(Axis a, Object x, String where) {
    String text = String.valueOf(x);
    return switch (a.type) {
      case COUNT, POSITIVE -> {
        if (x instanceof Long l) yield l;
        if (x instanceof Integer i) yield (long) i;
        yield whole(text, where);
      }
      case BOOL -> {
        if (x instanceof Boolean b) yield b;
        if (text.equals("true") || text.equals("false")) yield Boolean.parseBoolean(text);
        throw new IllegalArgumentException(where + " must be true or false, not '" + text + "'.");
      }
      case THREADS -> x instanceof Long || x instanceof Integer ? (Object) ((Number) x).longValue()
          : text.equals("auto") ? "auto" : (Object) whole(text, where);
      case MODEL, BACKEND, WORD -> text;
    };
  }

  private static long whole(String text, String where) {
    if (!text.matches("-?\\d{1,18}")) throw new IllegalArgumentException(where + " must be a whole number, not '" + text + "'.");
    return Long.parseLong(text);
  }

  /** The value of an axis, or null where the cell does not set it. */
  public Object get(Axis a) {
    return values.get(a.key);
  }

  public boolean has(Axis a) {
    return values.containsKey(a.key);
  }

  /** Every key (bench, the axes set, a skeleton's facts) with its value, in key order: what cell.json holds. */
  public Map<String, Object> asMap() {
    if (skeleton == null) return Collections.unmodifiableMap(values);
    TreeMap<String, Object> v = new TreeMap<>(values);
    v.put(Skeleton.OF, skeleton.of());
    v.put(Skeleton.LAYERS, skeleton.layers());
    v.put(Skeleton.BYTES_PER_TOKEN, skeleton.bytesPerToken());
    // written only when set, so the cell.json of every other skeleton reads as it always has
    if (skeleton.noCudaGraphs()) v.put(Skeleton.NO_CUDA_GRAPHS, true);
    return Collections.unmodifiableMap(v);
  }

  /** The same parameters marked as a skeleton of a model. */
  public Params asSkeleton(Skeleton s) {
    return new Params(values, s);
  }

  /** What this skeleton cell stands for, or empty for a cell of a spec. */
  public Optional<Skeleton> skeleton() {
    return Optional.ofNullable(skeleton);
  }

  /** The axes this cell sets, with their values, in the axes' order. */
  public Map<Axis, Object> axes() {
    Map<Axis, Object> out = new EnumMap<>(Axis.class);
    for (Axis a : Axis.values()) if (values.containsKey(a.key)) out.put(a, values.get(a.key));
    return out;
  }

  /** The same parameters with one axis set (or removed, for null). */
  public Params with(Axis a, Object value) {
    TreeMap<String, Object> v = new TreeMap<>(values);
    if (value == null) v.remove(a.key);
    else v.put(a.key, canonical(a, value, a.key));
    return new Params(v, skeleton);
  }

  /** The canonical form that is hashed: {@code key=value} lines in key order. */
  public String canonical() {
    StringBuilder sb = new StringBuilder();
    values.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
    return sb.toString();
  }

  /** The cell id: the first 12 hex digits of the canonical form's SHA-256. */
  public String id() {
    return dev.llamasweep.io.Hashes.sha256(canonical()).substring(0, 12);
  }

  public Bench bench() {
    return values.containsKey(BENCH) ? Bench.of((String) values.get(BENCH)) : Bench.LLAMA_BENCH;
  }

  public String model() {
    return text(Axis.MODEL);
  }

  public String backend() {
    return text(Axis.BACKEND);
  }

  /** The power profile the cell asks for, or null (leave it as it is). */
  public String profile() {
    return text(Axis.PROFILE);
  }

  /** The draft model's name, or null for a cell without one. */
  public String draft() {
    return text(Axis.DRAFT);
  }

  /** The prompt file's name (speculative cells), or null. */
  public String promptFile() {
    return text(Axis.PROMPT_FILE);
  }

  /** Tokens a draft may propose per step; 0 (no drafting) where unset. */
  public long draftMax() {
    return number(Axis.DRAFT_MAX).orElse(0);
  }

  /** Tokens generated per repetition, with the bench's default where unset. */
  public long generate() {
    return numberOrDefault(Axis.GENERATE);
  }

  /** Context already filled before the timed tokens (llama-bench -d; a batch point's -npp per sequence), with the bench's default where unset. */
  public long depth() {
    return numberOrDefault(Axis.DEPTH);
  }

  /** Sequences a batch point decodes per step (B); 0 for a cell that is not a batch point. */
  public long batch() {
    return number(Axis.BATCH).orElse(0);
  }

  /** Requests a server cell keeps in flight at once (its -np); 0 for a cell that is not one. */
  public long concurrency() {
    return number(Axis.CONCURRENCY).orElse(0);
  }

  /** Repetitions (an adaptive cell's minimum), with the bench's default where unset. */
  public long repetitions() {
    return numberOrDefault(Axis.REPETITIONS);
  }

  /** Layers offloaded, where the cell says; llama-bench's own default (all) where it does not. */
  public OptionalLong gpuLayers() {
    return number(Axis.GPU_LAYERS);
  }

  /** Whether the cell keeps every layer on the CPU (gpu_layers 0). */
  public boolean cpuOnly() {
    return gpuLayers().isPresent() && gpuLayers().getAsLong() == 0;
  }

  /** Adaptive repetitions, where the spec asked for them. */
  public Optional<Adaptive> adaptive() {
    Object a = values.get(Axis.ADAPTIVE.key);
    return a == null ? Optional.empty() : Optional.of(Adaptive.parse(String.valueOf(a)));
  }

  private String text(Axis a) {
    Object v = values.get(a.key);
    return v == null ? null : v.toString();
  }

  private OptionalLong number(Axis a) {
    return values.get(a.key) instanceof Long l ? OptionalLong.of(l) : OptionalLong.empty();
  }

  private long numberOrDefault(Axis a) {
    OptionalLong v = number(a);
    return v.isPresent() ? v.getAsLong() : ((Number) defaults(bench()).getOrDefault(a, 0L)).longValue();
  }

  /**
   * Adaptive repetitions: add rounds until the 95% interval's half-width is under targetCiPct of the
   * mean, or max repetitions are reached. Stored as "max=30;target_ci_pct=1.0" (part of the id).
   */
  public record Adaptive(long max, double targetCiPct) implements Serializable {
    public String word() {
      return "max=" + max + ";target_ci_pct=" + targetCiPct;
    }

    static Adaptive parse(String word) {
      long max = 0;
      double target = 0;
      for (String kv : word.split(";")) {
        String[] f = kv.split("=", 2);
        if (f.length == 2 && f[0].equals("max")) max = Long.parseLong(f[1]);
        if (f.length == 2 && f[0].equals("target_ci_pct")) target = Double.parseDouble(f[1]);
      }
      if (max < 1 || !(target > 0)) throw new IllegalArgumentException("adaptive must read max=N;target_ci_pct=P, not '" + word + "'.");
      return new Adaptive(max, target);
    }

    /** The target as a fraction of the mean. */
    public double targetFraction() {
      return targetCiPct / 100;
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%d repetitions at most, until ±%s%%", max, targetCiPct);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Params p && p.values.equals(values) && java.util.Objects.equals(p.skeleton, skeleton);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  @Override
  public String toString() {
    return asMap().toString();
  }
}
