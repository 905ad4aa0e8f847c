package dev.llamasweep.llamacpp;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Comparator;
import java.util.List;

/**
 * llama-bench's record fields in one table, as tools/llama-bench's {@code test::get_fields()} and
 * {@code get_field_type()} define them: name, type and what the field is (a build, the machine, the
 * model, a parameter of the run, the test, a result). Every reader of llama-bench records takes its
 * lists from here: the SQLite export's schema, ingest's cell configuration and compare's matching.
 *
 * <p>Two orders come from upstream and are both kept: the table is in llama-bench's own field order
 * (its SQL schema); {@code key} is the field's place among scripts/compare-llama-bench.py's key
 * properties, the order ingest joins a record's configuration in (cell ids depend on it).
 */
public final class BenchFields {
  private BenchFields() {}

  /** How a field is typed in llama-bench's SQL output. */
  public enum Type {
    INT("INTEGER"), BOOL("INTEGER"), FLOAT("REAL"), TEXT("TEXT");

    public final String sql;

    Type(String sql) { this.sql = sql; }
  }

  /** What a field tells. */
  public enum Role {
    /** Which llama.cpp made the record. */
    BUILD,
    /** The machine it ran on. */
    MACHINE,
    /** The model as llama-bench saw it. */
    MODEL,
    /** A parameter of the run that is an axis of a cell (model file, backends, threads, layers, flash attention). */
    AXIS,
    /** A parameter of the run that is no axis: ingest joins these into a cell's config. */
    RUN,
    /** The test's shape: prompt, generated tokens, depth. */
    TEST,
    /** What the test measured. */
    RESULT
  }

  /**
   * @param sql whether today's llama-bench writes it (false: a field an older llama-bench wrote, such as use_mmap)
   * @param key the field's place in compare-llama-bench.py's key properties, or -1 when it is not one
   */
  public record Field(String name, Type type, Role role, boolean sql, int key) {}

  private static Field f(String name, Type type, Role role, int key) {
    return new Field(name, type, role, true, key);
  }

  /** Every field, in llama-bench's order; the fields older llama-benches wrote come last. */
  public static final List<Field> ALL = List.of(
      f("build_commit", Type.TEXT, Role.BUILD, 0), f("build_number", Type.INT, Role.BUILD, 1),
      f("cpu_info", Type.TEXT, Role.MACHINE, 2), f("gpu_info", Type.TEXT, Role.MACHINE, 3),
      f("backends", Type.TEXT, Role.AXIS, 5),
      f("model_filename", Type.TEXT, Role.AXIS, 4), f("model_type", Type.TEXT, Role.MODEL, -1),
      f("model_size", Type.INT, Role.MODEL, -1), f("model_n_params", Type.INT, Role.MODEL, -1),
      f("n_batch", Type.INT, Role.RUN, 8), f("n_ubatch", Type.INT, Role.RUN, 9), f("n_threads", Type.INT, Role.AXIS, 6),
      f("cpu_mask", Type.TEXT, Role.RUN, 13), f("cpu_strict", Type.BOOL, Role.RUN, 14), f("poll", Type.INT, Role.RUN, 15),
      f("type_k", Type.TEXT, Role.RUN, 16), f("type_v", Type.TEXT, Role.RUN, 17), f("n_gpu_layers", Type.INT, Role.AXIS, 7),
      f("n_cpu_moe", Type.INT, Role.RUN, 10), f("split_mode", Type.TEXT, Role.RUN, 19), f("main_gpu", Type.INT, Role.RUN, 11),
      f("no_kv_offload", Type.BOOL, Role.RUN, 18), f("flash_attn", Type.INT, Role.AXIS, 32), f("devices", Type.TEXT, Role.RUN, 27),
      f("tensor_split", Type.TEXT, Role.RUN, 20), f("tensor_buft_overrides", Type.TEXT, Role.RUN, 21),
      f("load_mode", Type.TEXT, Role.RUN, 25), f("lazy_mode", Type.TEXT, Role.RUN, 26),
      f("embeddings", Type.BOOL, Role.RUN, 12),
      f("no_op_offload", Type.INT, Role.RUN, 28), f("no_host", Type.BOOL, Role.RUN, 29), f("fit_target", Type.INT, Role.RUN, 30),
      f("fit_min_ctx", Type.INT, Role.RUN, 31),
      f("n_prompt", Type.INT, Role.TEST, -1), f("n_gen", Type.INT, Role.TEST, -1), f("n_depth", Type.INT, Role.TEST, -1),
      f("test_time", Type.TEXT, Role.RESULT, -1), f("avg_ns", Type.INT, Role.RESULT, -1), f("stddev_ns", Type.INT, Role.RESULT, -1),
      f("avg_ts", Type.FLOAT, Role.RESULT, -1), f("stddev_ts", Type.FLOAT, Role.RESULT, -1),
      new Field("defrag_thold", Type.TEXT, Role.RUN, false, 22), new Field("use_direct_io", Type.TEXT, Role.RUN, false, 23),
      new Field("use_mmap", Type.BOOL, Role.RUN, false, 24));

  /** The columns of llama-bench's {@code -o sql} table, in its order. */
  public static final List<String> SQL_COLUMNS = ALL.stream().filter(Field::sql).map(Field::name).toList();

  /** What a record's configuration is made of besides its axes (build, machine and run parameters), in the key order. */
  public static final List<String> CONFIG = keyed(List.of(Role.BUILD, Role.MACHINE, Role.RUN));

  /** The parameters two records must share to be the same run (not where or with which build), in the key order. */
  public static final List<String> PARAMETERS = keyed(List.of(Role.AXIS, Role.RUN));

  private static List<String> keyed(List<Role> roles) {
    return ALL.stream().filter(x -> x.key() >= 0 && roles.contains(x.role())).sorted(Comparator.comparingInt(Field::key)).map(Field::name).toList();
  }

  public static Field field(String name) {
    return ALL.stream().filter(x -> x.name().equals(name)).findFirst().orElse(null);
  }

  /**
   * How a record loaded its model: llama-bench's load_mode ("mmap", "none", …), or an older llama-bench's
   * use_mmap (true or 1 is "mmap", else "none"); "" when the record says neither.
   */
  public static String loadMode(JsonNode record) {
    if (record.hasNonNull("load_mode")) return record.get("load_mode").asText();
    if (!record.hasNonNull("use_mmap")) return "";
    JsonNode m = record.get("use_mmap");
    return m.asBoolean() || m.asText().equals("1") ? "mmap" : "none";
  }
}
