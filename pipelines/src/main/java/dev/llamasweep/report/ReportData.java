package dev.llamasweep.report;

import dev.llamasweep.results.CellRow;
import dev.llamasweep.results.SampleRow;
import dev.llamasweep.results.SummaryRow;

import dev.llamasweep.results.CellStatus;
import dev.llamasweep.results.CellEntry;
import dev.llamasweep.host.HostRecord;
import dev.llamasweep.host.MemoryWall;
import dev.llamasweep.results.DriftAnchors;
import dev.llamasweep.results.ModelHeaders;
import dev.llamasweep.results.ResultFiles;
import dev.llamasweep.stats.Estimate;
import dev.llamasweep.stats.Summaries;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/**
 * What a report is made from, read back from data/&lt;spec&gt;/ only (samples.csv and cells.csv), so
 * every figure in a report traces to a raw sample and the command in the cell's raw directory.
 */
public record ReportData(Results results, Machine machine, DriftCheck driftCheck) {

  /** The cells and their estimates, from cells.csv and samples.csv (or the corpus aggregate). */
  public record Results(
      Map<String, CellRow> cells,
      Map<Summaries.Key, Estimate> estimates,
      Map<String, Map<String, Estimate>> byCell,
      Map<Summaries.Key, double[]> samples,
      long sampleCount,
      Map<Summaries.Key, dev.llamasweep.llamacpp.TestShape> shapes,
      Map<String, Long> modelSize,
      Map<String, String> buildOfCell,
      Map<String, RunFacts> runFacts,
      Map<String, Drafts> drafts,
      Map<String, dev.llamasweep.stats.StreamTimings.Latency> latency,
      Map<String, List<dev.llamasweep.results.RpcFile.Server>> rpc) {
    /** Without rpc-servers (a source that has none). */
    public Results(Map<String, CellRow> cells, Map<Summaries.Key, Estimate> estimates, Map<String, Map<String, Estimate>> byCell,
        Map<Summaries.Key, double[]> samples, long sampleCount, Map<Summaries.Key, dev.llamasweep.llamacpp.TestShape> shapes,
        Map<String, Long> modelSize, Map<String, String> buildOfCell, Map<String, RunFacts> runFacts, Map<String, Drafts> drafts,
        Map<String, dev.llamasweep.stats.StreamTimings.Latency> latency) {
      this(cells, estimates, byCell, samples, sampleCount, shapes, modelSize, buildOfCell, runFacts, drafts, latency, Map.of());
    }
  }

  /** What the data directory knows of the machine and the models: host.json, models.json, walls/, the skeleton cells. */
  public record Machine(
      HostRecord host,
      Map<String, ModelHeaders.Entry> models,
      MemoryWall.Measured measuredWall,
      Map<String, dev.llamasweep.host.GpuWall.Wall> gpuWalls,
      List<dev.llamasweep.results.FixedCosts.Skeleton> skeletons,
      Map<String, dev.llamasweep.host.ComputeWall.Measured> computeWalls) {
    public static final Machine NONE = new Machine(null, Map.of(), null, Map.of(), List.of(), Map.of());

    /** Read from a data directory, each file by its own codec. */
    public static Machine read(Path dataDir) {
      return new Machine(HostRecord.read(dataDir.resolve("host.json")), ModelHeaders.read(dataDir.resolve("models.json")),
          MemoryWall.read(dataDir, MemoryWall.SYSTEM_RAM), dev.llamasweep.host.GpuWall.readAll(dataDir), dev.llamasweep.results.FixedCosts.read(dataDir),
          dev.llamasweep.host.ComputeWall.readAll(dataDir));
    }
  }

  /** The verdict threshold and the drift anchors measured between cells, with the moves between them. */
  public record DriftCheck(double threshold, List<DriftAnchors.Measurement> anchors, List<DriftAnchors.Move> moves) {}

  public Map<String, CellRow> cells() { return results.cells(); }
  public Map<Summaries.Key, Estimate> estimates() { return results.estimates(); }
  public Map<String, Map<String, Estimate>> byCell() { return results.byCell(); }
  public Map<Summaries.Key, double[]> samples() { return results.samples(); }
  public long sampleCount() { return results.sampleCount(); }
  public Map<Summaries.Key, dev.llamasweep.llamacpp.TestShape> shapes() { return results.shapes(); }
  public Map<String, Long> modelSize() { return results.modelSize(); }
  public Map<String, String> buildOfCell() { return results.buildOfCell(); }
  public Map<String, RunFacts> runFacts() { return results.runFacts(); }
  public Map<String, Drafts> drafts() { return results.drafts(); }
  /** Each rpc cell's servers, from rpc.csv. */
  public Map<String, List<dev.llamasweep.results.RpcFile.Server>> rpc() { return results.rpc(); }

  /** Each server cell's request latencies, from latency.csv. */
  public Map<String, dev.llamasweep.stats.StreamTimings.Latency> latency() { return results.latency(); }
  public HostRecord host() { return machine.host(); }
  public Map<String, ModelHeaders.Entry> models() { return machine.models(); }
  public MemoryWall.Measured measuredWall() { return machine.measuredWall(); }
  public Map<String, dev.llamasweep.host.GpuWall.Wall> gpuWalls() { return machine.gpuWalls(); }
  public List<dev.llamasweep.results.FixedCosts.Skeleton> skeletons() { return machine.skeletons(); }
  public Map<String, dev.llamasweep.host.ComputeWall.Measured> computeWalls() { return machine.computeWalls(); }
  public double threshold() { return driftCheck.threshold(); }
  public List<DriftAnchors.Measurement> anchors() { return driftCheck.anchors(); }
  public List<DriftAnchors.Move> drift() { return driftCheck.moves(); }

  /** What a cell's test ran (prompt, generated tokens, depth), from its samples' numbers, else from its label. */
  public dev.llamasweep.llamacpp.TestShape shape(String cell, String test) {
    dev.llamasweep.llamacpp.TestShape s = shapes().get(new Summaries.Key(cell, test));
    return s != null ? s : dev.llamasweep.llamacpp.TestShape.ofLabel(test);
  }

  /** The distinct llama.cpp builds that made this data's samples ("80fb11a (build 1)"), sorted. */
  public List<String> builds() {
    return new java.util.TreeSet<>(buildOfCell().values()).stream().toList();
  }


  /** What a cell's records say about the run that the bytes model needs: KV cache types and llama-bench's model type. */
  public record RunFacts(String typeK, String typeV, String modelType) {}

  /** Draft tokens over a speculative cell's repetitions. */
  public record Drafts(long runs, long drafted, long accepted) {
    public double acceptance() {
      return drafted == 0 ? Double.NaN : (double) accepted / drafted;
    }
  }

  public static ReportData read(Path dataDir) {
    return read(dataDir, dev.llamasweep.spec.Spec.DEFAULT_THRESHOLD);
  }

  /** @param threshold the verdict rule's practical threshold (the spec's threshold_pct / 100) */
  public static ReportData read(Path dataDir, double threshold) {
    Map<String, CellRow> cells = readCells(dataDir, null, null);
    return fromSamples(dataDir, threshold, cells);
  }

  /**
   * cells.csv's rows; with {@code size} and {@code facts} given, also each cell's model size and run
   * facts from its own columns (what the corpus reads instead of every sample).
   */
  private static Map<String, CellRow> readCells(Path dataDir, Map<String, Long> size, Map<String, RunFacts> facts) {
    Map<String, CellRow> cells = new LinkedHashMap<>();
    for (CellRow row : ResultFiles.readCells(dataDir)) {
      cells.put(row.id(), row);
      if (size != null && row.modelSize() != null) {
        size.put(row.id(), row.modelSize());
        facts.put(row.id(), new RunFacts(row.typeK() != null ? row.typeK() : "f16", row.typeV() != null ? row.typeV() : "f16",
            row.modelType() != null ? row.modelType() : ""));
      }
    }
    return cells;
  }

  /**
   * What the corpus knows of one data directory without reading its samples: cells.csv, host.json,
   * models.json, walls/ and rpc.csv, with the corpus aggregate's estimates. The same bandwidth rows
   * ({@link TokenBandwidth#rows}) are derived from it as from a full read, so the corpus and report.md
   * print the same effective bandwidth against the same wall for the same cell.
   */
  public static ReportData ofCells(Path dataDir, Map<Summaries.Key, Estimate> estimates) {
    Map<String, Long> size = new LinkedHashMap<>();
    Map<String, RunFacts> facts = new LinkedHashMap<>();
    Map<String, CellRow> cells = readCells(dataDir, size, facts);
    Map<String, Map<String, Estimate>> byCell = new LinkedHashMap<>();
    estimates.forEach((k, v) -> byCell.computeIfAbsent(k.cell(), c -> new LinkedHashMap<>()).put(k.test(), v));
    return new ReportData(new Results(cells, estimates, byCell, Map.of(), 0, Map.of(), size, Map.of(), facts, Map.of(), Map.of(),
        dev.llamasweep.results.RpcFile.read(dataDir)), Machine.read(dataDir),
        new DriftCheck(dev.llamasweep.spec.Spec.DEFAULT_THRESHOLD, List.of(), List.of()));
  }

  /** Each cell's plan as cells.csv records it: its id and typed parameters (numbers and booleans as such), for renderers without a spec. */
  public List<CellEntry> plansFromCells(String dataset) {
    List<CellEntry> out = new java.util.ArrayList<>();
    int i = 0;
    for (CellRow row : cells().values()) {
      out.add(new CellEntry(i++, new dev.llamasweep.spec.Cell(row.id(), row.bench(), row.params(), List.of()), null, List.of(), row.command()));
    }
    return out;
  }

  private static ReportData fromSamples(Path dataDir, double threshold, Map<String, CellRow> cells) {
    List<SampleRow> samples = new java.util.ArrayList<>();
    ResultFiles.readSamples(dataDir.resolve("samples.csv"), samples::add);
    Map<String, Long> size = new LinkedHashMap<>();
    Map<String, String> builds = new LinkedHashMap<>();
    Map<String, Drafts> drafts = new LinkedHashMap<>();
    Map<String, RunFacts> facts = new LinkedHashMap<>();
    Map<Summaries.Key, dev.llamasweep.llamacpp.TestShape> shapes = new LinkedHashMap<>();
    for (SampleRow row : samples) {
      size.putIfAbsent(row.cell(), row.modelSize());
      facts.putIfAbsent(row.cell(), new RunFacts(row.typeK(), row.typeV(), row.modelType()));
      if (row.nDrafted() != null) {
        Drafts d = drafts.getOrDefault(row.cell(), new Drafts(0, 0, 0));
        drafts.put(row.cell(), new Drafts(d.runs() + 1, d.drafted() + row.nDrafted(), d.accepted() + (row.nAccepted() == null ? 0 : row.nAccepted())));
      }
      builds.putIfAbsent(row.cell(), row.build());
      shapes.putIfAbsent(new Summaries.Key(row.cell(), row.test()), row.shape());
    }
    List<DriftAnchors.Measurement> anchors = DriftAnchors.read(dataDir);
    Map<Summaries.Key, Estimate> estimates = samples.isEmpty() ? new LinkedHashMap<>() : estimates(dataDir);
    // a summary-only source (CSV, SQLite) states its own sd and maybe n: shown as the source's, not as one sample
    for (SampleRow row : samples) {
      if (row.sourceSd() == null) continue;
      estimates.put(new Summaries.Key(row.cell(), row.test()),
          Estimate.fromSource(row.sourceN() == null ? 0 : row.sourceN(), row.tokensPerS(), row.sourceSd()));
    }
    Map<String, Map<String, Estimate>> byCell = new LinkedHashMap<>();
    estimates.forEach((k, v) -> byCell.computeIfAbsent(k.cell(), c -> new LinkedHashMap<>()).put(k.test(), v));
    return new ReportData(new Results(cells, estimates, byCell, samplesOf(samples), samples.size(), shapes, size, Map.copyOf(builds), facts, drafts,
        dev.llamasweep.results.LatencyFile.read(dataDir), dev.llamasweep.results.RpcFile.read(dataDir)),
        Machine.read(dataDir), new DriftCheck(threshold, anchors, DriftAnchors.moves(anchors, cellTimes(dataDir, cells.keySet()), threshold)));
  }

  /** Each cell's {started, ended} from its result.json, read only when the sweep measured drift anchors. */
  private static Map<String, java.time.Instant[]> cellTimes(Path dataDir, java.util.Set<String> cells) {
    Map<String, java.time.Instant[]> out = new LinkedHashMap<>();
    if (!Files.isDirectory(dataDir.resolve("drift"))) return out;
    for (String id : cells) {
      // an unreadable result is reported as such elsewhere; it just has no time here
      dev.llamasweep.results.CellResult r = dev.llamasweep.results.ResultJson.readOrNull(dataDir.resolve("raw").resolve(id));
      if (r != null && r.started() != null && r.ended() != null) out.put(id, new java.time.Instant[] {r.started(), r.ended()});
    }
    return out;
  }

  /** How the anchor moved around a cell, or null when it did not (or no anchors were measured). */
  public List<DriftAnchors.Move> driftAround(String cell) {
    return drift().stream().filter(m -> m.cells().contains(cell)).toList();
  }

  /** Each cell and test's samples in repetition order, for outliers and warm-up checks. */
  static Map<Summaries.Key, double[]> samplesOf(List<SampleRow> samples) {
    Map<Summaries.Key, List<Double>> lists = new LinkedHashMap<>();
    for (SampleRow row : samples) {
      lists.computeIfAbsent(new Summaries.Key(row.cell(), row.test()), k -> new java.util.ArrayList<>()).add(row.tokensPerS());
    }
    Map<Summaries.Key, double[]> out = new LinkedHashMap<>();
    lists.forEach((k, v) -> out.put(k, v.stream().mapToDouble(Double::doubleValue).toArray()));
    return out;
  }

  /**
   * Each cell and test's estimate from the data directory's aggregate.csv (written by the
   * aggregation pipeline), which must be at least as new as samples.csv.
   */
  static Map<Summaries.Key, Estimate> estimates(Path dataDir) {
    if (!SummaryRow.isCurrent(dataDir)) {
      throw new IllegalStateException(dataDir + " has no aggregate.csv as new as its samples.csv; `llama-sweep reports` runs the aggregation.");
    }
    Map<Summaries.Key, Estimate> out = new LinkedHashMap<>();
    for (SummaryRow r : SummaryRow.read(dataDir.resolve(SummaryRow.FILE))) out.put(new Summaries.Key(r.cell(), r.test()), r.estimate());
    return out;
  }

  public CellRow cell(CellEntry plan) {
    return cells().get(plan.id());
  }

  /** One cell's estimates, test → estimate, in the order llama-bench ran the tests. */
  public Map<String, Estimate> testsOf(String cell) {
    return byCell().getOrDefault(cell, Map.of());
  }
}
