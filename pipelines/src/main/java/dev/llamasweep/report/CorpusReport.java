package dev.llamasweep.report;

import dev.llamasweep.results.CellRow;

import dev.llamasweep.results.CellStatus;
import dev.llamasweep.host.Fact;
import dev.llamasweep.io.InputFiles;
import dev.llamasweep.host.HostRecord;
import dev.llamasweep.host.MemoryWall;
import dev.llamasweep.results.ModelHeaders;
import dev.llamasweep.results.SummaryRow;
import dev.llamasweep.stats.BytesPerToken;
import dev.llamasweep.stats.Estimate;
import dev.llamasweep.stats.Summaries;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/**
 * "The same model on every machine I have": many data directories (sweeps from several hosts,
 * ingested results) aggregated together into one report. Hosts side by side with their facts and
 * walls, then per model every host's best token generation with bytes per token, effective
 * bandwidth and utilisation of that host's walls. Made only from aggregate.csv and each data
 * directory's small files (host.json, models.json, walls/, cells.csv), so it renders a corpus of a
 * million samples in moments; deterministic, so every runner's aggregate gives the same bytes.
 */
public final class CorpusReport {
  private CorpusReport() {}

  /** What a data directory says about one cell, from its cells.csv. */
  record CellInfo(String model, String modelFile, String backend, String threads, CellStatus status, String build) {}

  /** One data directory's small files. */
  record Dataset(String name, HostRecord host, Map<String, ModelHeaders.Entry> models, MemoryWall.Measured wall, Map<String, CellInfo> cells,
      Map<String, dev.llamasweep.host.GpuWall.Wall> gpuWalls) {}

  private static String gpuWalls(Map<String, dev.llamasweep.host.GpuWall.Wall> walls) {
    if (walls.isEmpty()) return "—";
    List<String> out = new ArrayList<>();
    walls.forEach((k, w) -> out.add(MarkdownText.escape(w.memory() + " " + (w.name() == null ? "" : w.name())).trim() + ": "
        + (w.theoreticalGBs() == null ? "?" : Estimate.num(w.theoreticalGBs(), 1)) + " / " + (w.readGBs() == null ? "?" : Estimate.num(w.readGBs(), 1)) + " GB/s"));
    return String.join("; ", out);
  }

  private static String text(Object v) {
    return v == null ? "" : String.valueOf(v);
  }

  static Dataset read(Path dir) {
    Map<String, CellInfo> cells = new HashMap<>();
    if (Files.isRegularFile(dir.resolve("cells.csv"))) {
      for (dev.llamasweep.results.CellRow c : dev.llamasweep.results.ResultFiles.readCells(dir)) {
        cells.put(c.id(), new CellInfo(text(c.params().model()), c.modelFile() == null ? "" : c.modelFile(),
            text(c.params().backend()), text(c.params().get(dev.llamasweep.spec.Axis.THREADS)), c.status(),
            c.llamaCppBuild() == null ? "" : c.llamaCppBuild()));
      }
    }
    return new Dataset(dir.getFileName().toString(), HostRecord.read(dir.resolve("host.json")), ModelHeaders.read(dir.resolve("models.json")),
        MemoryWall.read(dir, MemoryWall.SYSTEM_RAM), cells, dev.llamasweep.host.GpuWall.readAll(dir));
  }

  public static String render(List<Path> dataDirs, Path aggregate) {
    List<SummaryRow> rows = SummaryRow.read(aggregate);
    Map<String, Dataset> sets = new TreeMap<>();
    for (Path d : dataDirs) sets.put(d.getFileName().toString(), read(d));
    // hosts by id, with the datasets each contributed
    Map<String, TreeSet<String>> datasetsOf = new TreeMap<>();
    long samples = 0;
    for (SummaryRow r : rows) {
      datasetsOf.computeIfAbsent(r.host(), h -> new TreeSet<>()).add(r.dataset());
      samples += r.n();
    }
    StringBuilder md = new StringBuilder("# llama-sweep corpus\n\n");
    md.append(String.format(Locale.ROOT, "%,d samples in %,d cell tests from %d data directories on %d hosts; aggregated by the Beam pipeline ",
        samples, rows.size(), sets.size(), datasetsOf.size()))
        .append("into `").append(aggregate.getFileName()).append("` (mean and sd by Welford/Chan, exact median).\n\n");
    md.append("## Hosts\n\n");
    dev.llamasweep.table.Table hosts = dev.llamasweep.table.Table.ofText("host", "id", "CPU", "cores", "memory", "theoretical wall", "measured wall (read)",
        "GPU memory walls (theoretical / read)", "datasets");
    for (Map.Entry<String, TreeSet<String>> h : datasetsOf.entrySet()) {
      Dataset any = sets.get(h.getValue().first());
      HostRecord hr = any == null ? null : any.host();
      String label = hr != null && hr.identity() != null ? hr.identity().label() : "unknown (no host.json)";
      hosts.row(MarkdownText.escape(label), "`" + h.getKey() + "`", fact(hr, "cpu_model"), fact(hr, "logical_cores"), fact(hr, "memory_total"),
          hr == null || hr.peakGBs() == null ? "unknown" : Estimate.num(hr.peakGBs(), 1) + " GB/s",
          any == null || any.wall() == null || !any.wall().isKnown() ? "unknown" : Estimate.num(any.wall().readGBs(), 1) + " GB/s",
          any == null ? "—" : gpuWalls(any.gpuWalls()), String.join(", ", h.getValue()));
    }
    md.append(hosts.markdown());
    md.append('\n');
    Map<String, Path> dirs = new TreeMap<>();
    for (Path d : dataDirs) dirs.put(d.getFileName().toString(), d);
    tgPerModel(md, rows, sets, dirs);
    rpcPaths(md, rows, sets, dirs);
    return md.toString();
  }

  private static String fact(HostRecord h, String name) {
    if (h == null) return "unknown";
    for (Fact f : h.facts()) if (f.name().equals(name)) return f.isKnown() ? MarkdownText.escape(f.value()) : "unknown";
    return "unknown";
  }

  /**
   * The best (highest mean) ok cell per model, host and tg test, with the bandwidth rows report.md
   * derives ({@link TokenBandwidth#rows}): bytes per token, the memory the weights live in and that
   * memory's walls (a GPU's for cells whose weights sit in it), so both reports print the same figures.
   */
  private static void tgPerModel(StringBuilder md, List<SummaryRow> rows, Map<String, Dataset> sets, Map<String, Path> dirs) {
    Map<String, Map<Summaries.Key, Estimate>> estimates = new TreeMap<>();
    for (SummaryRow r : rows) {
      if (dev.llamasweep.llamacpp.TestShape.kindOf(r.test()) == dev.llamasweep.llamacpp.TestShape.Kind.TG) estimates.computeIfAbsent(r.dataset(), k -> new LinkedHashMap<>()).put(new Summaries.Key(r.cell(), r.test()), r.estimate());
    }
    record Best(String dataset, String host, TokenBandwidth.Row row) {}
    Map<String, Map<String, Best>> best = new TreeMap<>();  // model → host|test → best row
    for (Map.Entry<String, Map<Summaries.Key, Estimate>> e : estimates.entrySet()) {
      Path dir = dirs.get(e.getKey());
      Dataset d = sets.get(e.getKey());
      if (dir == null || d == null || !Files.isRegularFile(dir.resolve("cells.csv"))) continue;
      ReportData data = ReportData.ofCells(dir, e.getValue());
      TokenBandwidth.Walls walls = TokenBandwidth.walls((dev.llamasweep.spec.Spec.HostMemory) null, data);
      Map<String, String> hostOf = new LinkedHashMap<>();
      for (SummaryRow r : rows) if (r.dataset().equals(e.getKey())) hostOf.putIfAbsent(r.cell(), r.host());
      // llama-bench's token generation, as report.md's bandwidth table: a speculative cell's t/s is not bytes × t/s of one model
      List<dev.llamasweep.results.CellEntry> plans = data.plansFromCells(e.getKey()).stream()
          .filter(pl -> pl.bench() == dev.llamasweep.spec.Bench.LLAMA_BENCH).toList();
      for (TokenBandwidth.Row row : TokenBandwidth.rows(plans, data, walls)) {
        CellRow cell = data.cells().get(row.cell().id());
        if (cell != null && !cell.status().isOk()) continue;
        CellInfo c = d.cells().get(row.cell().id());
        String model = c == null ? "unknown model" : !c.modelFile().isEmpty() ? c.modelFile() : c.model();
        String key = hostOf.getOrDefault(row.cell().id(), "") + '\u0000' + row.test();
        Best old = best.computeIfAbsent(model, m -> new TreeMap<>()).get(key);
        if (old == null || row.tg().mean() > old.row().tg().mean()
            || (row.tg().mean() == old.row().tg().mean() && (e.getKey() + row.cell().id()).compareTo(old.dataset() + old.row().cell().id()) < 0)) {
          best.get(model).put(key, new Best(e.getKey(), hostOf.getOrDefault(row.cell().id(), ""), row));
        }
      }
    }
    md.append("## Token generation: the same model on every host\n\n")
        .append("Per model, host and test: the fastest cell (mean ± sd, n), with the bytes each token reads (GGUF header: weights ")
        .append("without the embedding table, plus the KV cache at the mean context), effective bandwidth = bytes × t/s / 10⁹, ")
        .append("and its share of the walls of the memory its weights live in (system RAM, or a discrete GPU's own memory), as in each ")
        .append("dataset's report.md. A share above 100% is not printed: the bytes model or the wall is wrong there, or the model fits in cache.\n\n");
    for (Map.Entry<String, Map<String, Best>> m : best.entrySet()) {
      md.append("### ").append(MarkdownText.escape(m.getKey())).append("\n\n");
      dev.llamasweep.table.Table table = dev.llamasweep.table.Table.ofText("host", "test", "tg t/s", "n", "backend · threads", "memory", "bytes per token",
          "effective GB/s", "% of measured wall", "% of theoretical wall", "dataset · cell");
      for (Best b : m.getValue().values()) {
        Dataset d = sets.get(b.dataset());
        TokenBandwidth.Row row = b.row();
        CellInfo c = d == null ? null : d.cells().get(row.cell().id());
        String label = d != null && d.host() != null && d.host().identity() != null ? d.host().identity().label() : b.host();
        double eff = row.effectiveGBs();
        table.row(MarkdownText.escape(label), row.test(), row.tg().format(), String.valueOf(row.tg().n()),
            c == null ? "—" : MarkdownText.escape(c.backend() + (c.threads().isEmpty() ? "" : " · " + c.threads()) + (c.build().isEmpty() ? "" : " · llama.cpp " + c.build())),
            row.onSystemRam() ? "system RAM" : MarkdownText.escape(row.memory().describe()),
            row.bytes() == null ? "unknown: no GGUF header" : BytesPerToken.mb(row.bytes().total()), Double.isNaN(eff) ? "—" : Estimate.num(eff, 2),
            share(row, row.measured()), share(row, row.theoretical()), MarkdownText.escape(b.dataset()) + " · `" + row.cell().id() + "`");
      }
      md.append(table.markdown()).append('\n');
    }
  }

  /**
   * Every dataset's generated tokens on rpc-servers beside the same model local, with each row's host: the
   * pairs and the table report.md's RPC path section makes ({@link RpcSection#pairs}, {@link RpcSection#table}),
   * from cells.csv, rpc.csv and the corpus aggregate's estimates. Absent when no dataset ran on rpc-servers.
   */
  private static void rpcPaths(StringBuilder md, List<SummaryRow> rows, Map<String, Dataset> sets, Map<String, Path> dirs) {
    List<String> tables = new ArrayList<>();
    for (Map.Entry<String, Path> e : dirs.entrySet()) {
      Path dir = e.getValue();
      if (!Files.isRegularFile(dir.resolve("cells.csv")) || !Files.isRegularFile(dir.resolve(dev.llamasweep.results.RpcFile.FILE))) continue;
      Map<Summaries.Key, Estimate> estimates = new LinkedHashMap<>();
      Map<String, String> hostOf = new LinkedHashMap<>();
      for (SummaryRow r : rows) {
        if (!r.dataset().equals(e.getKey()) || dev.llamasweep.llamacpp.TestShape.kindOf(r.test()) != dev.llamasweep.llamacpp.TestShape.Kind.TG) continue;
        estimates.put(new Summaries.Key(r.cell(), r.test()), r.estimate());
        hostOf.putIfAbsent(r.cell(), r.host());
      }
      ReportData data = ReportData.ofCells(dir, estimates);
      List<RpcSection.Pair> pairs = RpcSection.pairs(data.plansFromCells(e.getKey()), data);
      if (pairs.isEmpty()) continue;
      Dataset d = sets.get(e.getKey());
      String label = d != null && d.host() != null && d.host().identity() != null ? d.host().identity().label() : null;
      tables.add(RpcSection.table(pairs, data, "host · dataset",
          p -> MarkdownText.escape(label != null ? label : hostOf.getOrDefault(p.split().id(), "unknown host")) + " · " + MarkdownText.escape(e.getKey())).markdown());
    }
    if (tables.isEmpty()) return;
    md.append("## The RPC path on every host\n\n")
        .append("Each generated token on rpc-servers beside the same model and setting local, per dataset, as its report.md's RPC path ")
        .append("section computes it: the path is split ms − local ms per token, its share 1 − split t/s ÷ local t/s with the ratio's 95% ")
        .append("interval, the round trip the servers' median (rpc.csv), and the path is named as the bound at half a token or more.\n\n");
    for (String t : tables) md.append(t).append('\n');
  }

  private static String share(TokenBandwidth.Row row, TokenBandwidth.Wall wall) {
    if (wall == null || row.bytes() == null) return "—";
    TokenBandwidth.Judged u = row.utilisation(wall);
    // the reason travels with the refusal, as in report.md: a figure above a wall is never a silent blank
    return u.value() == null ? "— (" + MarkdownText.escape(u.refusal()) + ")" : Estimate.percent(u.value(), 1);
  }

  /**
   * The data directories under the given paths: each path is one (it has samples.csv) or holds some. A
   * samples.csv that is there but is no regular file (a FIFO, a link loop) is one sentence, never a
   * dataset that silently drops out; a folder reached twice (a link to another) counts once.
   */
  public static List<Path> dataDirs(List<Path> given) {
    List<Path> out = new ArrayList<>();
    for (Path p : given) {
      if (InputFiles.present(p.resolve("samples.csv"))) {
        out.add(dataDir(p));
        continue;
      }
      if (!Files.isDirectory(p)) throw new IllegalArgumentException(p + " is not a data directory (no samples.csv) nor a folder of them.");
      try (var s = Files.list(p)) {
        List<Path> found = s.filter(d -> InputFiles.present(d.resolve("samples.csv"))).sorted().map(CorpusReport::dataDir).toList();
        if (found.isEmpty()) throw new IllegalArgumentException(p + " holds no data directory (no */samples.csv); run a sweep or ingest results first.");
        out.addAll(found);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    Map<String, Path> byName = new LinkedHashMap<>();
    Map<Path, Path> byRealPath = new LinkedHashMap<>();
    for (Path d : out) {
      Path real = realPath(d);
      Path alias = byRealPath.putIfAbsent(real, d);
      if (alias != null) continue;  // the same folder again, through a link or a second argument
      Path old = byName.put(d.getFileName().toString(), d);
      if (old != null && !old.equals(d)) {
        throw new IllegalArgumentException("two data directories are both named " + d.getFileName() + " (" + old + " and " + d
            + "); a dataset is named by its folder, so rename one.");
      }
    }
    return List.copyOf(byName.values());
  }

  /** A data directory whose samples.csv is a regular file (else the sentence why), as an absolute path. */
  private static Path dataDir(Path d) {
    InputFiles.regular(d.resolve("samples.csv"), InputFiles.Kind.TABLE);
    return d.toAbsolutePath().normalize();
  }

  private static Path realPath(Path d) {
    try {
      return d.toRealPath();
    } catch (IOException e) {
      throw new IllegalArgumentException(d + " cannot be resolved (" + e.getMessage() + ").");
    }
  }
}
