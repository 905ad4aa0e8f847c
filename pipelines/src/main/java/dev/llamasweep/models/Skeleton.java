package dev.llamasweep.models;

import dev.llamasweep.gguf.GgufInfo;
import dev.llamasweep.gguf.GgufWriter;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A model's skeleton: the same architecture, layer count, experts, head width and tensor types, with
 * every width shrunk (embedding and feed-forward widths to {@link #WIDTH}; fewer heads, in the model's
 * ratio of query to KV heads, each as wide as the model's, so the same attention kernels run), so a
 * token reads a few megabytes instead of gigabytes. What a
 * token of the skeleton costs is what a token costs whatever its bytes: kernel launches, synchronisation
 * and the per-layer work of the backend — the fixed cost per token. Skeletons of half and twice the
 * layers show whether it grows with layers, as a per-layer cost does.
 */
public final class Skeleton {
  public static final long WIDTH = 256;
  /** Part of a skeleton's cached file name: a change to how skeletons are made (k2: biases shrunk with their heads) makes new files. */
  public static final String VERSION = "k2";
  private static final Pattern BLOCK = Pattern.compile("^blk\\.(\\d+)\\.(.+)$");

  private Skeleton() {}

  /** Why a model has no skeleton here (an architecture whose widths cannot be shrunk consistently). */
  public static final class Unsupported extends Exception {
    public Unsupported(String why) { super(why); }
  }

  /** The skeleton of a header: its tensors (names and shrunk shapes, same types) and the metadata it overrides. */
  public record Plan(String architecture, int layers, long heads, long kvHeads, long headDim, List<GgufInfo.Tensor> tensors, Map<String, Long> overrides) {
    public long tensorBytes() {
      return tensors.stream().mapToLong(GgufInfo.Tensor::bytes).sum();
    }
  }

  /** The skeleton of {@code info} with {@code layers} layers (its own count, or half or twice it: layer i copies layer i mod n). */
  public static Plan plan(GgufInfo info, int layers) throws Unsupported {
    String a = info.architecture();
    int n = (int) info.blockCount();
    if (n <= 0) throw new Unsupported("the header names no layers (" + a + ".block_count)");
    long embd = need(info, a + ".embedding_length");
    long heads = need(info, a + ".attention.head_count");
    long kvHeads = info.integer(a + ".attention.head_count_kv", heads);
    long ff = info.integer(a + ".feed_forward_length", -1);
    long ffExp = info.integer(a + ".expert_feed_forward_length", -1);
    long headDim = info.integer(a + ".attention.key_length", embd / heads);
    long valueDim = info.integer(a + ".attention.value_length", headDim);
    if (valueDim != headDim) throw new Unsupported("keys and values of different widths (" + headDim + " and " + valueDim + ") are not shrunk here");
    if (layers != n && info.metadata().values().stream().anyMatch(v -> v instanceof List<?> l && l.size() == n)) {
      throw new Unsupported("per-layer metadata (sliding-window patterns, per-layer heads) is kept only at the model's own " + n + " layers");
    }
    // heads keep their width (attention kernels exist for the real head sizes only: a head of 8 falls back to slower paths, and
    // would measure those); fewer of them, in the model's ratio of query to KV heads, so that a layer reads about WIDTH wide
    if (kvHeads <= 0 || heads % kvHeads != 0) throw new Unsupported(heads + " query heads do not share " + kvHeads + " KV heads evenly");
    if (info.metadata().get(a + ".attention.head_count_kv") instanceof List<?>) {
      throw new Unsupported("per-layer KV head counts are not shrunk here");
    }
    long ratio = heads / kvHeads;
    long kv = Math.max(1, WIDTH / (headDim * ratio));
    while (kv < kvHeads && (kv * ratio * headDim) % WIDTH != 0) kv++;
    long q = kv * ratio;
    List<GgufInfo.Tensor> out = new ArrayList<>();
    for (GgufInfo.Tensor t : info.tensors()) {
      Matcher m = BLOCK.matcher(t.name());
      if (m.matches() && Integer.parseInt(m.group(1)) >= n) continue;
      if (m.matches() && Integer.parseInt(m.group(1)) != 0 && layers != n) continue;  // layers are rebuilt from layer 0 below
      String role = m.matches() ? m.group(2) : t.name();
      long[] ne = t.ne().clone();
      for (int i = 0; i < ne.length; i++) {
        ne[i] = shrink(role, i, ne[i], embd, ff, ffExp, heads, kvHeads, headDim, q, kv);
      }
      if (t.type().blockSize > 1 && ne[0] % t.type().blockSize != 0) {
        throw new Unsupported(t.name() + " would have rows of " + ne[0] + ", not a multiple of " + t.type() + "'s block of " + t.type().blockSize);
      }
      if (m.matches() && layers != n) {
        for (int l = 0; l < layers; l++) {
          // every layer a copy of layer 0's shape (per-layer shapes differ only where metadata arrays say so, refused above)
          out.add(new GgufInfo.Tensor("blk." + l + "." + role, ne, t.type(), 0));
        }
      } else {
        out.add(new GgufInfo.Tensor(t.name(), ne, t.type(), 0));
      }
    }
    if (layers != n) out.sort(java.util.Comparator.comparingInt(Skeleton::order));
    Map<String, Long> o = new java.util.LinkedHashMap<>();
    o.put(a + ".block_count", (long) layers);
    o.put(a + ".embedding_length", WIDTH);
    if (ff > 0) o.put(a + ".feed_forward_length", WIDTH);
    if (ffExp > 0) o.put(a + ".expert_feed_forward_length", WIDTH);
    o.put(a + ".attention.head_count", q);
    o.put(a + ".attention.head_count_kv", kv);
    o.put(a + ".attention.key_length", headDim);
    o.put(a + ".attention.value_length", headDim);
    return new Plan(a, layers, q, kv, headDim, List.copyOf(out), o);
  }

  /** Global tensors first, then layer by layer in the order the model's own layer 0 lists them. */
  private static int order(GgufInfo.Tensor t) {
    Matcher m = BLOCK.matcher(t.name());
    return m.matches() ? 1 + Integer.parseInt(m.group(1)) : 0;
  }

  /** One dimension of a tensor, by its role: head widths where a role holds heads, model and feed-forward widths by value elsewhere. */
  static long shrink(String role, int axis, long d, long embd, long ff, long ffExp, long heads, long kvHeads, long headDim, long q, long kv) {
    boolean isQ = role.startsWith("attn_q.") || role.startsWith("attn_q_b.");
    boolean isKv = role.startsWith("attn_k.") || role.startsWith("attn_v.");
    boolean isO = role.startsWith("attn_output.");
    // a weight's heads are its rows (axis 1); a bias (gpt-oss has them on q, k and v) is one row of them (axis 0)
    int headAxis = role.endsWith(".bias") ? 0 : 1;
    if (role.startsWith("attn_sinks.") && d == heads) return q;
    if (isQ && axis == headAxis && d == heads * headDim) return q * headDim;
    if (isKv && axis == headAxis && d == kvHeads * headDim) return kv * headDim;
    if (isO && axis == 0 && d == heads * headDim) return q * headDim;
    if (axis <= 1 && (d == embd || d == ff || d == ffExp)) return WIDTH;
    return d;
  }

  private static long need(GgufInfo info, String key) throws Unsupported {
    long v = info.integer(key, -1);
    if (v <= 0) throw new Unsupported("the header has no " + key);
    return v;
  }

  /**
   * Writes the skeleton as a GGUF with random weights: the header's metadata (tokenizer included) with
   * the plan's overrides, then the plan's tensors, filled as {@link SyntheticModels#like} fills them.
   */
  public static Path write(Path header, GgufInfo info, Plan plan, Path out, long seed) throws IOException {
    GgufWriter w = new GgufWriter();
    Set<String> overridden = plan.overrides().keySet();
    SyntheticModels.copyKeys(header, w, k -> !k.equals("general.alignment") && !overridden.contains(k));
    plan.overrides().forEach(w::u32);
    long s = seed;
    for (GgufInfo.Tensor t : plan.tensors()) {
      w.tensor(t.name(), t.type(), GgufWriter.Fill.of(t.name(), t.type()), s++, t.ne());
    }
    return w.writeAtomically(out);
  }
}
