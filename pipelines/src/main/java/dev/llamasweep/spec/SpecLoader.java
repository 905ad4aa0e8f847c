package dev.llamasweep.spec;

import dev.llamasweep.spec.Spec.Backend;
import dev.llamasweep.spec.Spec.Experiment;
import dev.llamasweep.spec.Spec.HostMemory;
import dev.llamasweep.spec.Spec.Location;
import dev.llamasweep.spec.Spec.Model;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Reads and validates a spec. Every problem is reported as one {@link SpecException} naming the
 * file, line, column and field; nothing is returned unless the whole spec is valid.
 */
public final class SpecLoader {
  static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
  private static final Set<String> TOP = Set.of("name", "description", "host", "backends", "models",
      "defaults", "timeout_s", "profile_policy", "profile_settle_s", "quiet", "cooldown", "threshold_pct", "drift", "experiments");
  /** The sequences a batch curve decodes together when its grid names no batch axis: doubling to where a small model on a CPU turns compute-bound. */
  public static final List<Object> DEFAULT_BATCHES = List.of(1L, 2L, 4L, 8L, 16L, 32L);
  /** A server experiment's concurrency levels when it names none. */
  public static final List<Object> DEFAULT_CONCURRENCY = List.of(1L, 2L, 4L);
  /** The synthetic models the toolchain can generate. */
  public static final Set<String> SYNTHETIC = Set.of("target", "draft", "moe", "gqa", "dense7b", "moe-large");
  /** The synthetic models written directly as Q4_0 (no quantize step). */
  static final Set<String> DIRECT = Set.of("moe", "gqa", "dense7b", "moe-large");
  /** The types llama-quantize makes of the dense synthetic models (MXFP4_MOE is for experts, which they have none of). */
  static final List<String> QUANTIZED = dev.llamasweep.catalogue.Catalogue.QUANTS.stream().filter(q -> !q.equals("MXFP4_MOE")).toList();

  private final Path workDir;
  /** Where the defaults name a split_mode, for errors about cells that take it from there. */
  private Node defaultSplitModeNode;

  public SpecLoader(Path workDir) {
    this.workDir = workDir;
  }

  public Spec load(Path file) {
    String display = display(file);
    Node root = Node.load(file, display);
    Map<String, Node> top = root.map();
    checkKeys(top, TOP, "top level");

    String name = requireName(top, root, "name");
    HostMemory memory = top.containsKey("host") ? host(top.get("host")) : null;
    Map<String, Model> models = new SpecResources(this).models(required(top, root, "models"));
    Map<String, Backend> backends = new SpecResources(this).backends(required(top, root, "backends"));
    Map<Axis, Object> defaults = new EnumMap<>(Axis.class);
    if (top.containsKey("defaults")) {
      Node d = top.get("defaults");
      for (Map.Entry<String, Node> e : d.map().entrySet()) {
        Axis axis = axisOf(e.getValue(), e.getKey());
        if (axis == Axis.REPETITIONS && e.getValue().isMap()) {
          Object[] a = adaptive(e.getValue());
          defaults.put(Axis.REPETITIONS, a[0]);
          defaults.put(Axis.ADAPTIVE, a[1]);
          continue;
        }
        Object v = axis.parse(e.getValue());
        checkReference(axis, v, e.getValue(), models, backends);
        if (axis == Axis.PROMPT_FILE) checkPromptFile((String) v, e.getValue());
        if (axis == Axis.SPLIT_MODE) defaultSplitModeNode = e.getValue();
        defaults.put(axis, v);
      }
    }
    long timeout = 1800;
    if (top.containsKey("timeout_s")) {
      timeout = top.get("timeout_s").integer();
      if (timeout < 1) throw top.get("timeout_s").error("must be at least 1 second, not " + timeout + ".");
      if (timeout > 7 * 86_400) throw top.get("timeout_s").error("must be at most 604,800 seconds (a week), not " + timeout + ".");
    }
    ProfilePolicy policy = ProfilePolicy.APPLY;
    if (top.containsKey("profile_policy")) {
      String w = top.get("profile_policy").string();
      policy = ProfilePolicy.byWord(w).orElseThrow(() -> top.get("profile_policy").error("must be 'apply' (set each cell's profile, fail cells "
          + "when it cannot), 'where-available' (set it, skip cells where it cannot be set) or 'record' (run and label with the observed profile), not '"
          + w + "'."));
    }
    long settle = 5;
    if (top.containsKey("profile_settle_s")) {
      settle = top.get("profile_settle_s").integer();
      if (settle < 0) throw top.get("profile_settle_s").error("must be 0 or more seconds, not " + settle + ".");
      if (settle > 3600) throw top.get("profile_settle_s").error("must be at most 3600 seconds, not " + settle + ".");
    }
    QuietPolicy quiet = QuietPolicy.WARN;
    if (top.containsKey("quiet")) {
      String w = top.get("quiet").string();
      quiet = QuietPolicy.byWord(w).orElseThrow(() -> top.get("quiet").error("must be 'warn' (run and flag the cell), 'wait' (wait up to a "
          + "minute for quiet) or 'refuse' (fail the cell) when the machine is busy, not '" + w + "'."));
    }
    dev.llamasweep.spec.Cooldown cooldown = null;
    if (top.containsKey("cooldown")) {
      Node c = top.get("cooldown");
      checkKeys(c.map(), Set.of("max_temp_c", "max_wait_s"), "cooldown section");
      Node t = required(c.map(), c, "max_temp_c");
      double maxT = t.isInt() ? t.integer() : t.number();
      if (maxT < 20 || maxT > 120) throw t.error("must be a temperature between 20 and 120 °C, not " + maxT + ".");
      long wait = c.map().containsKey("max_wait_s") ? c.map().get("max_wait_s").integer() : 300;
      if (wait < 1 || wait > 3600) throw c.map().get("max_wait_s").error("must be between 1 and 3600 seconds, not " + wait + ".");
      cooldown = new dev.llamasweep.spec.Cooldown(maxT, wait);
    }
    double threshold = Spec.DEFAULT_THRESHOLD;
    if (top.containsKey("threshold_pct")) {
      Node t = top.get("threshold_pct");
      double v = t.isInt() ? t.integer() : t.number();
      if (!(v >= 0) || v > 50) throw t.error("must be a percentage from 0 to 50 (the smallest change worth calling real), not " + v + ".");
      threshold = v / 100.0;
    }
    Spec.Drift drift = null;
    if (top.containsKey("drift")) {
      Node d = top.get("drift");
      checkKeys(d.map(), Set.of("anchor", "every_cells", "every_minutes"), "drift section");
      String anchor = d.map().containsKey("anchor") ? d.map().get("anchor").string() : null;
      if (anchor != null && !anchor.matches("[0-9a-f]{1,12}")) throw d.map().get("anchor").error("must be a cell id or its prefix (make plan lists them), not '" + anchor + "'.");
      int every = 0;
      if (d.map().containsKey("every_cells")) {
        every = (int) d.map().get("every_cells").integer();
        if (every < 1 || every > 10_000) throw d.map().get("every_cells").error("must be from 1 to 10000 cells, not " + every + ".");
      }
      double minutes = 0;
      if (d.map().containsKey("every_minutes")) {
        Node m = d.map().get("every_minutes");
        minutes = m.isInt() ? m.integer() : m.number();
        if (!(minutes > 0) || minutes > 1440) throw m.error("must be more than 0 and at most 1440 minutes, not " + minutes + ".");
      }
      if (every == 0 && minutes == 0) every = 5;
      drift = new Spec.Drift(anchor, every, minutes, Spec.Location.of(d.map().containsKey("anchor") ? d.map().get("anchor") : d));
    }
    Node exps = required(top, root, "experiments");
    if (exps.list().isEmpty()) throw exps.error("lists no experiments; add at least one.");
    List<Experiment> experiments = new ArrayList<>();
    Set<String> seen = new java.util.HashSet<>();
    for (Node e : exps.list()) {
      Experiment x = experiment(e, models, backends, defaults);
      if (!seen.add(x.name())) {
        throw e.map().get("name").error("repeats the experiment name '" + x.name() + "'; names must be unique.");
      }
      experiments.add(x);
    }
    return new Spec(name, file, memory, backends, models, defaults, timeout, List.copyOf(experiments), workDir, policy, settle, quiet, cooldown, threshold, drift);
  }

  private String display(Path file) {
    Path abs = file.toAbsolutePath().normalize();
    Path wd = workDir.toAbsolutePath().normalize();
    return abs.startsWith(wd) ? wd.relativize(abs).toString() : abs.toString();
  }

  static Node required(Map<String, Node> map, Node parent, String key) {
    Node n = map.get(key);
    if (n == null || n.isNull()) {
      String f = parent.field().isEmpty() ? key : parent.field() + "." + key;
      throw new SpecException(parent.file(), parent.line(), parent.column(), f, "is required but missing.");
    }
    return n;
  }

  static String requireName(Map<String, Node> map, Node parent, String key) {
    Node n = required(map, parent, key);
    String v = n.string();
    if (!NAME.matcher(v).matches()) {
      throw n.error("must be a plain name of letters, digits, '.', '_' or '-' (it names folders), not '" + v + "'.");
    }
    return v;
  }

  /**
   * {@code repetitions: {min: 3, max: 30, target_ci_pct: 1}}: start with min, add rounds until the 95%
   * interval's half-width is under target_ci_pct of the mean or max is reached. Returns {min, "max=…;target_ci_pct=…"}.
   */
  private static Object[] adaptive(Node n) {
    Map<String, Node> m = n.map();
    checkKeys(m, Set.of("min", "max", "target_ci_pct"), "adaptive repetitions");
    long min = m.containsKey("min") ? m.get("min").integer() : 3;
    long max = required(m, n, "max").integer();
    Node t = required(m, n, "target_ci_pct");
    double target = t.isInt() ? t.integer() : t.number();
    if (min < 2 || min > 1000) throw (m.containsKey("min") ? m.get("min") : n).error("must be between 2 and 1000 repetitions, not " + min + ".");
    if (max < min || max > 10_000) throw m.get("max").error("must be between min (" + min + ") and 10,000 repetitions, not " + max + ".");
    if (!(target > 0) || target > 100) throw t.error("must be a percentage above 0 and at most 100, not " + target + ".");
    return new Object[] {min, new Params.Adaptive(max, target).word()};
  }

  static void checkKeys(Map<String, Node> map, Set<String> allowed, String where) {
    for (Map.Entry<String, Node> e : map.entrySet()) {
      if (!allowed.contains(e.getKey())) {
        throw e.getValue().keyError("is not a known key at the " + where + "; expected one of "
            + String.join(", ", new java.util.TreeSet<>(allowed)) + ".");
      }
    }
  }

  private static HostMemory host(Node n) {
    Map<String, Node> m = n.map();
    checkKeys(m, Set.of("memory"), "host section");
    Node mem = required(m, n, "memory");
    Map<String, Node> mm = mem.map();
    checkKeys(mm, Set.of("transfer_rate_mts", "bus_width_bits", "gb_s", "note"), "host.memory section");
    if (mm.containsKey("gb_s")) {
      if (mm.containsKey("transfer_rate_mts") || mm.containsKey("bus_width_bits")) {
        throw mm.get("gb_s").keyError("is given with transfer_rate_mts/bus_width_bits; give either a figure in GB/s or the rate and width.");
      }
      Node g = mm.get("gb_s");
      double v = g.isInt() ? g.integer() : g.number();
      if (!(v > 0) || v > 1_000_000) throw g.error("must be a positive bandwidth in GB/s up to 1,000,000, not " + v + ".");
      return HostMemory.ofGBs(v, mm.containsKey("note") ? mm.get("note").string() : null);
    }
    long rate = required(mm, mem, "transfer_rate_mts").integer();
    long bits = required(mm, mem, "bus_width_bits").integer();
    if (rate <= 0) throw mm.get("transfer_rate_mts").error("must be a positive transfer rate in MT/s, not " + rate + ".");
    if (rate > 1_000_000) throw mm.get("transfer_rate_mts").error("must be at most 1,000,000 MT/s, not " + rate + ".");
    if (bits <= 0 || bits % 8 != 0) throw mm.get("bus_width_bits").error("must be a positive multiple of 8 bits, not " + bits + ".");
    if (bits > 1 << 16) throw mm.get("bus_width_bits").error("must be at most 65,536 bits, not " + bits + ".");
    String note = mm.containsKey("note") ? mm.get("note").string() : null;
    return new HostMemory(rate, bits, note);
  }

  /**
   * Names are matched exactly, so two that differ only in case ("Target" and "target") would be two
   * things a reader cannot tell apart in a table or on a case-insensitive disk: refused.
   */
  static void refuseCaseTwins(Map<String, Node> map, String what) {
    Map<String, String> seen = new java.util.HashMap<>();
    for (Map.Entry<String, Node> e : map.entrySet()) {
      String folded = e.getKey().toLowerCase(java.util.Locale.ROOT);
      String twin = seen.putIfAbsent(folded, e.getKey());
      if (twin != null) {
        throw e.getValue().keyError("differs from the " + what + " '" + twin + "' only in case; names are exact, so give each a distinct name.");
      }
    }
  }

  static Axis axisOf(Node n, String key) {
    return Axis.byKey(key).orElseThrow(() -> n.keyError("is not a known axis; expected one of " + Axis.allKeys() + "."));
  }

  private static void checkReference(Axis axis, Object v, Node n, Map<String, Model> models, Map<String, Backend> backends) {
    if (axis.type == Axis.Type.MODEL && !models.containsKey(v)) {
      throw n.error("names the model '" + v + "', which is not defined under models (defined: " + String.join(", ", models.keySet()) + ").");
    }
    if (axis.type == Axis.Type.BACKEND && !backends.containsKey(v)) {
      throw n.error("names the backend '" + v + "', which is not defined under backends (defined: " + String.join(", ", backends.keySet()) + ").");
    }
  }

  private static String rpcOnlyBench(Object backend, Bench bench) {
    return "names the backend '" + backend + "', whose layers run on rpc-servers; llama-sweep runs rpc-servers under llama-bench only, "
        + "not under bench: " + bench.word + " (use bench: llama-bench for this backend).";
  }

  private Experiment experiment(Node e, Map<String, Model> models, Map<String, Backend> backends, Map<Axis, Object> defaults) {
    Map<String, Node> m = e.map();
    checkKeys(m, Set.of("name", "bench", "grid", "exclude", "baseline", "description", "order", "rounds"), "experiment");
    String order = null;
    if (m.containsKey("order")) {
      order = m.get("order").string();
      if (!order.equals("interleaved") && !order.equals("sequential")) {
        throw m.get("order").error("must be 'interleaved' (cells in rounds, so drift spreads over every arm) or 'sequential', not '" + order + "'.");
      }
    }
    int rounds = 3;
    if (m.containsKey("rounds")) {
      long r = m.get("rounds").integer();
      if (r < 1 || r > 1000) throw m.get("rounds").error("must be between 1 and 1000, not " + r + ".");
      rounds = (int) r;
    }
    String name = requireName(m, e, "name");
    Node benchNode = m.get("bench");
    Bench bench;
    try {
      bench = benchNode == null ? Bench.LLAMA_BENCH : Bench.of(benchNode.string());
    } catch (IllegalArgumentException ex) {
      throw benchNode.error("must be one of " + Bench.words() + ", not '" + benchNode.string() + "'.");
    }
    Node gridNode = required(m, e, "grid");
    Map<Axis, List<Object>> grid = new LinkedHashMap<>();
    Node rowNode = null;
    for (Map.Entry<String, Node> g : gridNode.map().entrySet()) {
      Axis axis = axisOf(g.getValue(), g.getKey());
      if (!bench.takes(axis)) {
        List<String> takers = java.util.Arrays.stream(Bench.values()).filter(b -> b.takes(axis)).map(b -> "bench: " + b.word).toList();
        throw g.getValue().keyError("only applies to " + String.join(" or ", takers) + " experiments; " + bench.why + ".");
      }
      List<Object> values = new ArrayList<>();
      if (axis == Axis.REPETITIONS && g.getValue().isMap()) {
        Object[] a = adaptive(g.getValue());
        grid.put(Axis.REPETITIONS, List.of(a[0]));
        grid.put(Axis.ADAPTIVE, List.of(a[1]));
        continue;
      }
      for (Node v : g.getValue().listOrSingle()) {
        Object parsed = axis.parse(v);
        checkReference(axis, parsed, v, models, backends);
        if (axis == Axis.BACKEND && bench != Bench.LLAMA_BENCH && backends.get(parsed).rpc() != null) throw v.error(rpcOnlyBench(parsed, bench));
        if (axis == Axis.PROMPT_FILE) checkPromptFile((String) parsed, v);
        if (axis == Axis.SPLIT_MODE && "row".equals(parsed)) rowNode = v;
        if (values.contains(parsed)) throw v.error("repeats the value " + parsed + " on this axis.");
        values.add(parsed);
      }
      if (values.isEmpty()) throw g.getValue().error("has no values, so the grid would be empty.");
      grid.put(axis, values);
    }
    for (Axis required : List.of(Axis.MODEL, Axis.BACKEND)) {
      if (!grid.containsKey(required) && !defaults.containsKey(required)) {
        throw gridNode.error("needs a '" + required.key + "' axis (or a default " + required.key + ").");
      }
    }
    Object defaultBackend = defaults.get(Axis.BACKEND);
    if (!grid.containsKey(Axis.BACKEND) && bench != Bench.LLAMA_BENCH && defaultBackend != null && backends.get(defaultBackend) != null
        && backends.get(defaultBackend).rpc() != null) {
      throw gridNode.error(rpcOnlyBench(defaultBackend, bench));
    }
    if (bench == Bench.SERVER && !grid.containsKey(Axis.PROMPT_FILE) && !defaults.containsKey(Axis.PROMPT_FILE)) {
      throw gridNode.error("needs a 'prompt_file' axis (or a default prompt_file): each request of a server run sends a fixed prompt.");
    }
    if (bench == Bench.SPECULATIVE) {
      if (!grid.containsKey(Axis.PROMPT_FILE) && !defaults.containsKey(Axis.PROMPT_FILE)) {
        throw gridNode.error("needs a 'prompt_file' axis (or a default prompt_file): a speculative run generates from a fixed prompt.");
      }
      List<Object> maxes = grid.getOrDefault(Axis.DRAFT_MAX, defaults.containsKey(Axis.DRAFT_MAX) ? List.of(defaults.get(Axis.DRAFT_MAX)) : List.of());
      if (maxes.isEmpty()) {
        throw gridNode.error("needs a 'draft_max' axis: 0 for the target alone and the draft sizes to compare, e.g. [0, 4, 8, 16].");
      }
      if (maxes.stream().anyMatch(v -> ((Long) v) > 0) && !grid.containsKey(Axis.DRAFT) && !defaults.containsKey(Axis.DRAFT)) {
        throw gridNode.error("drafts tokens (draft_max > 0) but names no 'draft' model.");
      }
    }
    List<Map<Axis, Object>> exclude = new ArrayList<>();
    if (m.containsKey("exclude") && !m.get("exclude").isNull()) {
      for (Node x : m.get("exclude").list()) {
        exclude.add(point(x, grid, "exclude"));
      }
    }
    Map<Axis, Object> baseline = null;
    if (m.containsKey("baseline") && !m.get("baseline").isNull()) {
      baseline = point(m.get("baseline"), grid, "baseline");
    } else if (bench == Bench.SPECULATIVE && grid.getOrDefault(Axis.DRAFT_MAX, List.of()).contains(0L)) {
      baseline = Map.of(Axis.DRAFT_MAX, 0L);  // the target alone
    }
    if ("interleaved".equals(order) && bench != Bench.LLAMA_BENCH) {
      throw m.get("order").error("applies to llama-bench experiments; " + bench.word + " cells run their repetitions in one go, in order.");
    }
    if (bench == Bench.BATCH && !grid.containsKey(Axis.BATCH) && !defaults.containsKey(Axis.BATCH)) grid.put(Axis.BATCH, DEFAULT_BATCHES);
    if (bench == Bench.SERVER && !grid.containsKey(Axis.CONCURRENCY) && !defaults.containsKey(Axis.CONCURRENCY)) grid.put(Axis.CONCURRENCY, DEFAULT_CONCURRENCY);
    Experiment x = new Experiment(name, bench, grid, List.copyOf(exclude), baseline, Location.of(e), order, rounds);
    if (GridExpander.expand(x).isEmpty()) {
      throw (m.containsKey("exclude") ? m.get("exclude") : gridNode).error("leaves the grid of experiment '" + name + "' empty: every combination is excluded.");
    }
    checkRowSplit(x, defaults, backends, rowNode != null ? rowNode : defaultSplitModeNode);
    return x;
  }

  /**
   * A row split (-sm row) needs the device's split buffer type, and at the pinned llama.cpp only SYCL has one:
   * CUDA, ROCm, Vulkan and RPC devices fail at load ("device CUDA0 does not support split buffers",
   * src/llama-model.cpp make_gpu_buft_list), after the build and the model load were paid for. The cells
   * would only fail, so the spec is refused. A {@code bin:} backend or one on another llama.cpp version may
   * differ (older CUDA builds had split buffers) and runs; a CPU build with no rpc-servers has no GPU
   * device, so llama.cpp never asks.
   */
  private static void checkRowSplit(Experiment x, Map<Axis, Object> defaults, Map<String, Backend> backends, Node at) {
    for (Map<Axis, Object> point : GridExpander.expand(x)) {
      Object mode = point.containsKey(Axis.SPLIT_MODE) ? point.get(Axis.SPLIT_MODE) : defaults.get(Axis.SPLIT_MODE);
      Backend b = backends.get(point.containsKey(Axis.BACKEND) ? point.get(Axis.BACKEND) : defaults.get(Axis.BACKEND));
      if (!"row".equals(mode) || b == null || b.build() == null || b.llamaCpp() != null || at == null) continue;
      Object ngl = point.containsKey(Axis.GPU_LAYERS) ? point.get(Axis.GPU_LAYERS) : b.settings().getOrDefault(Axis.GPU_LAYERS, defaults.get(Axis.GPU_LAYERS));
      boolean gpuDevices = !b.build().equals("cpu") || b.rpc() != null;
      if (!gpuDevices || Long.valueOf(0).equals(ngl)) continue;
      String devices = b.rpc() != null ? "its rpc-servers' devices" : "a " + b.build() + " device";
      throw at.error("is row, which the backend '" + b.name() + "' cannot load: at llama.cpp " + LlamaCppVersion.PINNED_COMMIT
          + " only SYCL devices have the split buffers a row split needs, so llama.cpp stops at 'does not support split buffers' on "
          + devices + "; use split_mode tensor (each matrix split across the devices) or layer.");
    }
  }

  /** A grid point such as an exclude entry or the baseline: axis values that must be on the grid. */
  private static Map<Axis, Object> point(Node n, Map<Axis, List<Object>> grid, String what) {
    Map<Axis, Object> p = new EnumMap<>(Axis.class);
    if (n.map().isEmpty()) throw n.error("is empty; name at least one axis value.");
    for (Map.Entry<String, Node> e : n.map().entrySet()) {
      Axis axis = axisOf(e.getValue(), e.getKey());
      if (!grid.containsKey(axis)) {
        throw e.getValue().keyError("names the axis '" + axis.key + "', which this experiment's grid does not vary.");
      }
      Object v = axis.parse(e.getValue());
      if (!grid.get(axis).contains(v)) {
        throw e.getValue().error("is " + v + ", which is not one of the grid's values " + grid.get(axis) + ".");
      }
      p.put(axis, v);
    }
    return p;
  }

  private void checkPromptFile(String p, Node n) {
    Path path = resolve(p);
    if (java.nio.file.Files.isDirectory(path)) throw n.error("names " + path + ", which is a directory, not a prompt file.");
    if (!dev.llamasweep.io.InputFiles.present(path)) {
      throw n.error("names the prompt file " + path + ", which does not exist.");
    }
    try {
      dev.llamasweep.io.InputFiles.regular(path, dev.llamasweep.io.InputFiles.Kind.TEXT);
    } catch (dev.llamasweep.io.InputFiles.Unreadable e) {
      throw n.error("names a prompt file that cannot be read: " + e.getMessage());
    }
  }

  Path resolve(String p) {
    if (p.equals("~") || p.startsWith("~/")) {
      return Path.of(System.getProperty("user.home") + p.substring(1)).normalize();
    }
    Path path = Path.of(p);
    return path.isAbsolute() ? path.normalize() : workDir.resolve(path).toAbsolutePath().normalize();
  }
}
