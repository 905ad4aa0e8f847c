package dev.llamasweep.results;

import dev.llamasweep.io.AtomicFiles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llamasweep.gguf.GgufInfo;
import dev.llamasweep.gguf.GgufShapes;
import dev.llamasweep.stats.ModelShape;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * data/&lt;spec&gt;/models.json: what each model's GGUF header said when the sweep ran (file, architecture,
 * the hyper-parameters that decide bytes per token, and every tensor's name, type, shape and bytes),
 * so reports compute bytes per token from data alone and a reader can check the arithmetic.
 */
public final class ModelHeaders {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ModelHeaders() {}

  /** One model as recorded: where it came from and its shape. */
  public record Entry(String name, String file, long tensorBytes, ModelShape shape, dev.llamasweep.models.ModelOrigin origin) {}

  public static ObjectNode toJson(String name, Path file, GgufInfo g) {
    ModelShape s = GgufShapes.of(g);
    ObjectNode n = JSON.createObjectNode();
    n.put("file", file.toString());
    n.put("file_bytes", g.fileSize());
    n.put("tensor_bytes", g.tensorBytes());
    n.put("architecture", s.architecture());
    n.put("layers", s.layers());
    n.set("kv_heads", JSON.valueToTree(s.kvHeads()));
    n.put("key_length", s.keyLength());
    n.put("value_length", s.valueLength());
    n.put("expert_count", s.expertCount());
    n.put("expert_used_count", s.expertUsed());
    n.put("sliding_window", s.slidingWindow());
    n.set("sliding_layers", JSON.valueToTree(s.slidingLayers()));
    n.put("mla_kv_rank", s.mlaKvRank());
    n.put("mla_rope_dim", s.mlaRopeDim());
    n.put("skipped_layers", s.skippedLayers());
    if (s.notCovered() != null) n.put("not_covered", s.notCovered());
    ArrayNode ts = n.putArray("tensors");
    for (GgufInfo.Tensor t : g.tensors()) {
      ObjectNode tn = ts.addObject();
      tn.put("name", t.name());
      tn.put("type", t.type().ggmlName());
      tn.set("ne", JSON.valueToTree(t.ne()));
      tn.put("bytes", t.bytes());
    }
    return n;
  }

  /** Writes the headers of the models that could be read; a model that is missing or not GGUF is left out. */
  public static void write(Path file, Map<String, Path> models, java.util.function.Function<String, GgufInfo> header) {
    write(file, models, header, name -> null);
  }

  /** With each model's origin (hf: or the catalogue) where it has one: what was resolved, its size and content hash. */
  public static void write(Path file, Map<String, Path> models, java.util.function.Function<String, GgufInfo> header,
      java.util.function.Function<String, dev.llamasweep.models.ModelOrigin> origin) {
    ObjectNode root = JSON.createObjectNode();
    models.forEach((name, path) -> {
      GgufInfo g = header.apply(name);
      if (g == null) return;
      ObjectNode n = toJson(name, path, g);
      dev.llamasweep.models.ModelOrigin o = origin.apply(name);
      if (o != null) {
        ObjectNode on = n.putObject("origin");
        on.put("kind", o.kind());
        on.put("reference", o.reference());
        on.put(o.kind().equals("hf") ? "commit" : "source", o.detail());
        on.put("file", o.file());
        if (o.bytes() >= 0) on.put("bytes", o.bytes());
        if (o.sha256() != null) {
          on.put("sha256", o.sha256());
          on.put("sha256_from", o.sha256From());
        }
        if (o.kind().equals("catalogue")) on.put("weights", "random: the published shape and llama-quantize's types, not the model's values");
      }
      root.set(name, n);
    });
    AtomicFiles.write(file, w -> w.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root)));
  }

  public static Map<String, Entry> read(Path file) {
    Map<String, Entry> out = new LinkedHashMap<>();
    if (!dev.llamasweep.io.InputFiles.present(file)) return out;
    // unreadable: no header is known, and each figure that needs one says "no GGUF header for <model>"
    JsonNode root;
    try {
      root = dev.llamasweep.io.InputFiles.json(file, dev.llamasweep.io.InputFiles.Kind.RECORD);
    } catch (IllegalArgumentException e) {
      return out;
    }
    root.fields().forEachRemaining(e -> out.put(e.getKey(), entry(e.getKey(), e.getValue())));
    return out;
  }

  private static Entry entry(String name, JsonNode n) {
    List<ModelShape.Tensor> tensors = new ArrayList<>();
    for (JsonNode t : n.path("tensors")) {
      long rows = 1;
      JsonNode ne = t.path("ne");
      for (int i = 1; i < ne.size(); i++) rows *= ne.get(i).asLong();
      tensors.add(new ModelShape.Tensor(t.path("name").asText(), t.path("bytes").asLong(), rows, ne.size() > 0 ? ne.get(0).asLong() : -1, ne.size(),
          t.hasNonNull("type") ? t.get("type").asText() : null));
    }
    List<Long> kvHeads = new ArrayList<>();
    n.path("kv_heads").forEach(v -> kvHeads.add(v.asLong()));
    List<Boolean> sliding = new ArrayList<>();
    n.path("sliding_layers").forEach(v -> sliding.add(v.asBoolean()));
    ModelShape s = new ModelShape(n.path("architecture").asText(), tensors, n.path("layers").asInt(), kvHeads,
        n.path("key_length").asLong(), n.path("value_length").asLong(), n.path("expert_count").asLong(),
        n.path("expert_used_count").asLong(), n.path("sliding_window").asLong(), sliding, n.path("mla_kv_rank").asLong(),
        n.path("mla_rope_dim").asLong(), n.path("skipped_layers").asInt(), n.hasNonNull("not_covered") ? n.get("not_covered").asText() : null);
    JsonNode o = n.path("origin");
    dev.llamasweep.models.ModelOrigin origin = o.isObject() ? new dev.llamasweep.models.ModelOrigin(o.path("kind").asText(),
        o.path("reference").asText(), o.has("commit") ? o.path("commit").asText() : o.path("source").asText(), o.path("file").asText(),
        o.path("bytes").asLong(-1), o.has("sha256") ? o.path("sha256").asText() : null, o.has("sha256_from") ? o.path("sha256_from").asText() : null)
        : null;
    return new Entry(name, n.path("file").asText(), n.path("tensor_bytes").asLong(), s, origin);
  }
}
