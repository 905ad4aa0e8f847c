package dev.llamasweep.gguf;

import dev.llamasweep.stats.ModelShape;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns a GGUF header into the shape the bytes-per-token arithmetic reads, with llama.cpp's own
 * per-architecture rules where the header leaves them implicit (src/models/*.cpp of the pinned
 * source): which layers use a sliding window (every n-th layer is global), default windows, and
 * which architectures carry state the arithmetic does not cover.
 */
public final class GgufShapes {
  /** An architecture's sliding-window period (n − 1 of every n layers slide), its default window (0: from the header only), and whether the global layer comes first. */
  record Swa(int period, long defaultWindow, boolean denseFirst) {}

  private static final Map<String, Swa> SWA = Map.ofEntries(
      Map.entry("gemma2", new Swa(2, 4096, false)),
      Map.entry("gemma3", new Swa(6, 0, false)),
      Map.entry("gemma3n", new Swa(5, 0, false)),
      Map.entry("gemma-embedding", new Swa(6, 0, false)),
      Map.entry("gpt-oss", new Swa(2, 0, false)),
      Map.entry("cohere2", new Swa(4, 0, false)),
      Map.entry("olmo2", new Swa(4, 0, false)),
      Map.entry("exaone4", new Swa(4, 4096, false)),
      Map.entry("llama4", new Swa(4, 8192, false)),
      Map.entry("smallthinker", new Swa(4, 0, true)));

  private GgufShapes() {}

  public static ModelShape of(GgufInfo g) {
    String a = g.architecture();
    int layers = (int) Math.max(0, g.blockCount());
    List<ModelShape.Tensor> tensors = new ArrayList<>();
    for (GgufInfo.Tensor t : g.tensors()) tensors.add(new ModelShape.Tensor(t.name(), t.bytes(), t.rows(), t.ne().length > 0 ? t.ne()[0] : -1, t.ne().length,
        t.type().ggmlName()));
    long embd = g.integer(a + ".embedding_length", 0);
    List<Long> heads = g.perLayer(a + ".attention.head_count", layers, 0);
    long head0 = heads.stream().filter(h -> h > 0).findFirst().orElse(0L);
    List<Long> kvHeads = g.perLayer(a + ".attention.head_count_kv", layers, -1);
    for (int i = 0; i < layers; i++) if (kvHeads.get(i) < 0) kvHeads.set(i, heads.get(i));  // no GQA key: one KV head per head
    long headDim = head0 > 0 ? embd / head0 : 0;
    long keyLength = g.integer(a + ".attention.key_length", headDim);
    long valueLength = g.integer(a + ".attention.value_length", headDim);
    long experts = g.integer(a + ".expert_count", 0);
    long used = g.integer(a + ".expert_used_count", 0);

    long window = g.integer(a + ".attention.sliding_window", -1);
    List<Boolean> sliding = new ArrayList<>();
    Swa swa = SWA.get(a);
    Object pattern = g.metadata().get(a + ".attention.sliding_window_pattern");
    if (swa != null && window < 0) window = swa.defaultWindow();
    boolean hasSwa = window > 0 && (swa != null || pattern != null);
    for (int il = 0; il < layers; il++) {
      boolean s = false;
      if (hasSwa) {
        if (pattern instanceof List<?> per) {
          s = il < per.size() && (per.get(il) instanceof Boolean b ? b : per.get(il) instanceof Long l && l != 0);
        } else {
          long period = pattern instanceof Long p ? p : swa != null ? swa.period() : 0;
          boolean denseFirst = swa != null && swa.denseFirst();
          s = period == 0 || (denseFirst ? il % period != 0 : il % period < period - 1);
        }
      }
      sliding.add(s);
    }

    long mlaRank = g.integer(a + ".attention.kv_lora_rank", 0);
    long ropeDim = g.integer(a + ".rope.dimension_count", 0);
    int skipped = (int) Math.min(layers, g.integer(a + ".nextn_predict_layers", 0));
    String notCovered = null;
    boolean recurrent = g.metadata().keySet().stream().anyMatch(k -> k.startsWith(a + ".ssm.") || k.startsWith(a + ".rwkv.")
        || k.startsWith(a + ".shortconv."));
    if (recurrent) {
      notCovered = "the recurrent state of " + a + " layers (read per token, not counted)";
    } else if (layers == 0 || head0 == 0) {
      notCovered = "the header of " + (a.isEmpty() ? "this model" : a) + " gives no layer count or attention heads, so the KV cache is not counted";
    }
    return new ModelShape(a, tensors, layers, kvHeads, keyLength, valueLength, experts, used, Math.max(0, window), sliding,
        mlaRank, mlaRank > 0 ? ropeDim : 0, skipped, notCovered);
  }
}
