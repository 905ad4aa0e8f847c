package dev.llamasweep.results;

import dev.llamasweep.spec.Bench;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llamasweep.spec.Axis;
import dev.llamasweep.spec.Cell;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/**
 * Results measured elsewhere — llama-bench's JSONL, JSON, CSV or SQLite output — become a data
 * directory like our own runs: each record is a cell whose parameters come from the record. Only
 * JSON and JSONL carry per-repetition samples; CSV and SQLite carry a mean, which becomes a single
 * sample (so its spread is "n/a", never llama-bench's stddev). A record with missing fields or bad
 * values is reported by line and skipped, never half-read.
 */
public final class Ingest {
  public record Record(ObjectNode json, String where, boolean summaryOnly) {}

  public record Result(List<Record> records, List<String> problems) {}

  /** Marks a record whose only "sample" is the source's mean (CSV or SQLite). */
  public static final String SUMMARY_ONLY = "llama_sweep_summary_only";
  private static final List<String> REQUIRED = List.of("backends", "model_size", "n_prompt", "n_gen");

  private Ingest() {}

  public static Result read(Path file) {
    List<Record> records = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    String name = file.toString();
    try {
      byte[] head = dev.llamasweep.io.InputFiles.bytes(file, dev.llamasweep.io.InputFiles.Kind.RAW_OUTPUT);
      String text = new String(head, StandardCharsets.UTF_8);
      if (text.startsWith("SQLite format 3")) {
        int i = 0;
        for (Map<String, Object> row : LlamaBenchSql.read(file)) {
          i++;
          add(RawStore.JSON.valueToTree(row), name + ": row " + i, true, records, problems);
        }
      } else if (text.stripLeading().startsWith("[")) {
        JsonNode arr = RawStore.JSON.readTree(text);
        int i = 0;
        for (JsonNode n : arr) add(n, name + ": record " + (++i), false, records, problems);
      } else if (text.stripLeading().startsWith("{")) {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
          if (lines[i].isBlank()) continue;
          try {
            add(RawStore.JSON.readTree(lines[i]), name + ":" + (i + 1), false, records, problems);
          } catch (IOException e) {
            problems.add(name + ":" + (i + 1) + ": is not a JSON record; skipped.");
          }
        }
      } else {
        try (Reader r = Files.newBufferedReader(file)) {
          for (CSVRecord row : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(r)) {
            ObjectNode n = RawStore.JSON.createObjectNode();
            row.toMap().forEach((k, val) -> typed(n, k, val));
            add(n, name + ":" + (row.getRecordNumber() + 1), true, records, problems);
          }
        }
      }
    } catch (IOException | java.sql.SQLException e) {
      problems.add(name + ": cannot be read as llama-bench output (" + e.getMessage() + ").");
    }
    return new Result(records, problems);
  }

  /** CSV cells are text: give llama-bench's numeric fields their type, as its JSON has them. */
  private static void typed(ObjectNode n, String field, String value) {
    String type = LlamaBenchSql.FIELDS.contains(field) ? LlamaBenchSql.sqlType(field) : "TEXT";
    try {
      if (type.equals("INTEGER") && value.matches("-?\\d+")) {
        n.put(field, Long.parseLong(value));
        return;
      }
      if (type.equals("REAL") && !value.isEmpty()) {
        n.put(field, Double.parseDouble(value));
        return;
      }
    } catch (NumberFormatException e) {
      // keep the text: validation names the field
    }
    n.put(field, value);
  }

  private static void add(JsonNode n, String where, boolean summaryOnly, List<Record> out, List<String> problems) {
    if (!(n instanceof ObjectNode o)) {
      problems.add(where + ": is not a record; skipped.");
      return;
    }
    for (String f : REQUIRED) {
      if (!o.hasNonNull(f) || o.get(f).asText().isEmpty()) {
        problems.add(where + ": field " + f + " is missing; skipped.");
        return;
      }
    }
    for (String f : List.of("model_size", "n_prompt", "n_gen")) {
      if (!o.get(f).asText().matches("\\d+")) {
        problems.add(where + ": field " + f + " is '" + o.get(f).asText() + "', not a whole number; skipped.");
        return;
      }
    }
    if (!o.hasNonNull("model_filename") && !o.hasNonNull("model_type")) {
      problems.add(where + ": neither model_filename nor model_type is given; skipped.");
      return;
    }
    boolean hasSamples = o.has("samples_ts") && o.get("samples_ts").isArray() && o.get("samples_ts").size() > 0;
    if (hasSamples) {
      // bad samples are reported against the source line, not our internal copy of it
      for (JsonNode t : o.get("samples_ts")) {
        String impossible = t.isNumber() ? dev.llamasweep.stats.Plausible.throughput(t.asDouble()) : "holds " + t + ", not a positive finite throughput";
        if (impossible != null) {
          problems.add(where + ": samples_ts " + impossible + "; skipped.");
          return;
        }
      }
      if (!o.path("samples_ns").isArray() || o.get("samples_ns").size() != o.get("samples_ts").size()) {
        problems.add(where + ": samples_ns and samples_ts differ in length; skipped.");
        return;
      }
    }
    if (!hasSamples) {
      String avg = o.path("avg_ts").asText("");
      double v;
      try {
        v = Double.parseDouble(avg);
      } catch (NumberFormatException e) {
        problems.add(where + ": field avg_ts is '" + avg + "', not a number (and there are no samples); skipped.");
        return;
      }
      if (dev.llamasweep.stats.Plausible.throughput(v) != null) {
        problems.add(where + ": field avg_ts " + dev.llamasweep.stats.Plausible.throughput(v) + "; skipped.");
        return;
      }
      // the source's own avg/stddev stay in the record for export; its sd (and repetition count, where a
      // column gives it) are shown as the source's, never as if computed from samples
      o.put(SUMMARY_ONLY, true);
      String sd = o.path("stddev_ts").asText("");
      if (sd.matches("[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?")) o.put("llama_sweep_source_sd", Double.parseDouble(sd));
      for (String f : List.of("repetitions", "n_reps", "reps", "n")) {
        if (o.path(f).asText("").matches("[1-9][0-9]{0,6}")) {
          o.put("llama_sweep_source_n", Long.parseLong(o.get(f).asText()));
          break;
        }
      }
      ArrayNode ts = o.putArray("samples_ts");
      ts.add(v);
      ArrayNode ns = o.putArray("samples_ns");
      ns.add(o.path("avg_ns").asLong(Math.round((o.get("n_prompt").asLong() + o.get("n_gen").asLong()) / v * 1e9)));
      summaryOnly = true;
    }
    out.add(new Record(o, where, summaryOnly && !hasSamples));
  }

  /**
   * data/&lt;name&gt;/host.json for ingested results: the machine each record says it ran on (cpu_info,
   * gpu_info, backends, build), every distinct value with the field it came from, and the wall given.
   */
  public static void writeMachine(List<Record> records, dev.llamasweep.spec.Spec.HostMemory memory, Path file) {
    List<dev.llamasweep.host.Fact> facts = new ArrayList<>();
    for (String[] f : new String[][] {{"cpu_info", "cpu"}, {"gpu_info", "gpu"}, {"backends", "backends"}, {"build", "llama.cpp build"}}) {
      java.util.Set<String> values = new java.util.LinkedHashSet<>();
      java.util.Set<String> where = new java.util.LinkedHashSet<>();
      for (Record r : records) {
        String v = f[0].equals("build") ? r.json().path("build_commit").asText("") + (r.json().hasNonNull("build_number")
            ? " (build " + r.json().get("build_number").asText() + ")" : "") : r.json().path(f[0]).asText("");
        if (v.isBlank()) continue;
        values.add(v);
        where.add(r.where().replaceAll(":[^:]*$", ""));
      }
      String source = "the records' " + (f[0].equals("build") ? "build_commit and build_number" : f[0]) + " fields in " + String.join(", ", where);
      facts.add(values.isEmpty() ? dev.llamasweep.host.Fact.unknown(f[1], "the records", "no record gives " + f[0])
          : dev.llamasweep.host.Fact.known(f[1], String.join("; ", values), source, String.join("; ", values)));
    }
    String how = memory == null ? "unknown: no wall was given; pass --memory 5600:128 (MT/s:bus bits) or --memory 800GB/s to ingest or reports"
        : memory.note() + ": " + memory.arithmetic().replace("**", "");
    new dev.llamasweep.host.HostRecord(facts, memory == null ? null : memory.gbs(), how, Map.of()).write(file);
  }

  /**
   * llama-bench's parameter fields that are not axes (from scripts/compare-llama-bench.py's key
   * properties, plus load/lazy mode, devices and the build): any difference makes another cell.
   */
  static final List<String> CONFIG_FIELDS = dev.llamasweep.llamacpp.BenchFields.CONFIG;

  /** The cell a record measured, from the record's own parameters. */
  public static Cell cellOf(JsonNode r) {
    Map<Axis, Object> v = new EnumMap<>(Axis.class);
    String file = r.path("model_filename").asText("");
    String model = file.isEmpty() ? r.path("model_type").asText() : file.substring(file.lastIndexOf('/') + 1).replaceAll("\\.gguf$", "");
    v.put(Axis.MODEL, model);
    // labelled by what computed it: a record with no layer offloaded ran on the CPU, whatever the build
    String backends = r.path("backends").asText().toLowerCase(java.util.Locale.ROOT);
    boolean cpuOnly = r.hasNonNull("n_gpu_layers") && r.get("n_gpu_layers").asLong() == 0 && !backends.equals("cpu");
    v.put(Axis.BACKEND, cpuOnly ? "cpu (" + backends + " build)" : backends);
    v.put(Axis.PROMPT, r.path("n_prompt").asLong());
    v.put(Axis.GENERATE, r.path("n_gen").asLong());
    v.put(Axis.DEPTH, r.path("n_depth").asLong(0));
    v.put(Axis.REPETITIONS, (long) r.path("samples_ts").size());
    if (r.hasNonNull("n_threads")) v.put(Axis.THREADS, r.get("n_threads").asLong());
    if (r.hasNonNull("n_gpu_layers")) v.put(Axis.GPU_LAYERS, Math.max(0, r.get("n_gpu_layers").asLong()));
    String fa = r.path("flash_attn").asText("");
    if (fa.equals("1") || fa.equals("true")) v.put(Axis.FLASH_ATTN, true);
    if (fa.equals("0") || fa.equals("false")) v.put(Axis.FLASH_ATTN, false);
    StringBuilder config = new StringBuilder();
    for (String f : CONFIG_FIELDS) {
      JsonNode x = r.get(f);
      if (x == null || x.isNull() || x.isContainerNode()) continue;
      if (config.length() > 0) config.append(';');
      config.append(f).append('=').append(x.asText());
    }
    if (config.length() > 0) v.put(Axis.CONFIG, config.toString());
    String lm = dev.llamasweep.llamacpp.BenchFields.loadMode(r);
    if (lm.equals("mmap")) v.put(Axis.MMAP, true);
    if (lm.equals("none")) v.put(Axis.MMAP, false);
    return Cell.of(Bench.LLAMA_BENCH, v);
  }

  /**
   * A spec for ingested cells, so every report treats them like our own: one experiment whose
   * grid lists the values the records hold (rows are the cells that exist, never invented ones).
   */
  public static dev.llamasweep.spec.Spec spec(String name, List<CellEntry> plans, dev.llamasweep.spec.Spec.HostMemory memory, Path file) {
    Map<Axis, List<Object>> grid = new LinkedHashMap<>();
    for (Axis a : Axis.values()) {
      List<Object> values = plans.stream().map(p -> p.params().get(a)).filter(java.util.Objects::nonNull).distinct().toList();
      if (!values.isEmpty()) grid.put(a, values);
    }
    dev.llamasweep.spec.Spec.Experiment x = new dev.llamasweep.spec.Spec.Experiment("ingested", Bench.LLAMA_BENCH, grid, List.of(), null, null);
    return new dev.llamasweep.spec.Spec(name, file, memory, Map.of(), Map.of(), Map.of(), 0, List.of(x), Path.of("").toAbsolutePath(), dev.llamasweep.spec.ProfilePolicy.RECORD, 0);
  }

  /** The plans of an ingested data directory, read back from its cells' cell.json. */
  public static List<CellEntry> plans(Path dataDir, String name) {
    RawStore store = new RawStore(dataDir);
    List<CellEntry> plans = new ArrayList<>();
    try (var dirs = Files.list(store.root())) {
      int i = 0;
      // in the order cells.csv lists them, which is the order they were ingested in
      List<String> order = ResultFiles.readCells(dataDir).stream().map(CellRow::id).toList();
      for (Path d : dirs.filter(p -> !p.getFileName().toString().startsWith("."))
          .sorted(java.util.Comparator.comparingInt(p -> order.indexOf(p.getFileName().toString()))).toList()) {
        Cell cell = CellJson.read(d).cell();
        plans.add(new CellEntry(i++, new Cell(cell.id(), Bench.LLAMA_BENCH, cell.params(), List.of("ingested")), d, List.of(), "# ingested"));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return plans;
  }

  /** Writes data/&lt;name&gt;/ (raw cells, samples.csv, cells.csv); returns the cells' plans. */
  public static List<CellEntry> write(Result in, String name, Path dataDir, Path source) {
    RawStore store = new RawStore(dataDir);
    Map<String, List<Record>> byCell = new LinkedHashMap<>();
    Map<String, Cell> cells = new LinkedHashMap<>();
    for (Record r : in.records()) {
      Cell c = cellOf(r.json());
      cells.putIfAbsent(c.id(), c);
      byCell.computeIfAbsent(c.id(), k -> new ArrayList<>()).add(r);
    }
    List<CellEntry> plans = new ArrayList<>();
    List<CellData> data = new ArrayList<>();
    int i = 0;
    for (Map.Entry<String, List<Record>> e : byCell.entrySet()) {
      Cell c = cells.get(e.getKey());
      CellEntry plan = new CellEntry(i++, new Cell(c.id(), Bench.LLAMA_BENCH, c.params(), List.of("ingested")),
          store.cellDir(c.id()), List.of(), "# ingested from " + source);
      Path dir = store.newStaging(c.id());
      try {
        StringBuilder jsonl = new StringBuilder();
        List<String> where = new ArrayList<>();
        boolean summary = false;
        for (Record r : e.getValue()) {
          jsonl.append(RawStore.JSON.writeValueAsString(r.json())).append('\n');
          where.add(r.where());
          summary |= r.summaryOnly();
        }
        Files.writeString(dir.resolve("stdout.jsonl"), jsonl.toString());
        Files.writeString(dir.resolve("stderr.log"), "");
        Files.writeString(dir.resolve("command.sh"), "#!/bin/sh\n# ingested from " + dev.llamasweep.io.Shell.comment(source.toString()) + " ("
            + dev.llamasweep.io.Shell.comment(String.join("; ", where)) + "); the command that measured it is not known\nexit 1\n");
        CellJson.write(dir, name, plan.cell());
        ResultJson.write(dir, new CellResult(c.id(), new CellResult.Ending(CellStatus.OK, null, null), CellResult.Timing.NOT_RUN,
            CellResult.Invocation.NONE, CellResult.Reported.NONE, -1, CellResult.Profiles.NONE, null, null, null, null, new CellResult.Ingested(source.toString(), where,
            summary ? "the source holds means only (CSV or SQLite): one sample per test, spread n/a" : null)));
        store.publish(dir, c.id());
      } catch (IOException ex) {
        throw new UncheckedIOException(ex);
      }
      plans.add(plan);
      data.add(RawReader.read(plan));
    }
    ResultFiles.write(dataDir, data);
    return plans;
  }
}
