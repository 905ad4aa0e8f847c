package dev.llamasweep.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llamasweep.TestSpecs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real run of experiments/gpu.yaml on an H100 (pipelines/scripts/gpu-run.sh; its data directory
 * is the fixture h100/gpu-run): the report holds the GPU's theoretical wall from the CUDA probe,
 * every effective bandwidth is bytes per token × the mean of llama-bench's own samples_ts, and no
 * utilisation exceeds 100%.
 */
public class H100ReportTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void everyFigureFollowsFromLlamaBenchsOwnJson() throws Exception {
    Path data = dir.resolve("data/gpu");
    copyFixture(data);
    TestSpecs.Planned p = TestSpecs.plan(Path.of("experiments/gpu.yaml"), data, Path.of("").toAbsolutePath());
    TestSpecs.report(p.spec(), p.plans(), data, dir.resolve("reports/gpu"));
    String md = Files.readString(dir.resolve("reports/gpu/report.md"));

    assertTrue(md.contains("GPU memory of CUDA0 (NVIDIA H100 80GB HBM3): theoretical 2619 MHz × 2 × 5120 bit / 8 = **3352.3 GB/s**"), md);
    // drift anchors are timed to the second, as a reader reads a table (anchor.json keeps the nanoseconds)
    assertTrue(md.contains("| 1 | `3b92f1a38634` | 2026-11-25T02:52:08Z | before the first cell |"), md);
    assertTrue(!md.contains("08.807600228Z"), "no nanoseconds in the report");

    // each "X GB × T t/s = **E GB/s**" row: T is the mean of the cell's samples_ts in its raw stdout, E = X × T
    Pattern row = Pattern.compile("\\| `?([0-9a-f]{12})?`?[^\\n]*?\\| (tg\\d+(?: @ d\\d+)?) \\| [0-9,.]+ MB(?: \\(MoE\\))? \\| ([0-9.]+) GB × ([0-9.]+) t/s = \\*\\*([0-9.]+) GB/s\\*\\*");
    Matcher m = row.matcher(md);
    int checked = 0;
    List<String> cells = new ArrayList<>();
    for (var c : p.plans()) cells.add(c.id());
    while (m.find()) {
      String test = m.group(2);
      double gb = Double.parseDouble(m.group(3));
      double tps = Double.parseDouble(m.group(4));
      double eff = Double.parseDouble(m.group(5));
      assertEquals(gb * tps, eff, 0.01 + eff * 1e-4, m.group());
      // the t/s is the mean of some llama-bench cell's own samples for that test
      boolean found = false;
      for (String id : cells) {
        Path out = data.resolve("raw").resolve(id).resolve("stdout.jsonl");
        if (!Files.isRegularFile(out)) continue;
        double sum = 0;
        int n = 0;
        for (String line : Files.readAllLines(out)) {
          if (line.isBlank()) continue;
          JsonNode r = JSON.readTree(line);
          String name = (r.path("n_prompt").asLong() > 0 ? "pp" + r.path("n_prompt").asLong() : "tg" + r.path("n_gen").asLong())
              + (r.path("n_depth").asLong() > 0 ? " @ d" + r.path("n_depth").asLong() : "");
          if (!name.equals(test) || r.path("n_prompt").asLong() > 0) continue;
          for (JsonNode s : r.path("samples_ts")) {
            sum += s.asDouble();
            n++;
          }
        }
        if (n > 0 && String.format(Locale.ROOT, "%.2f", sum / n).equals(m.group(4))) found = true;
      }
      assertTrue(found, "no cell's samples_ts average to " + m.group(4) + " t/s for " + test);
      checked++;
    }
    assertEquals(6, checked, "the six tg rows of the llama-bench experiments: " + md);

    // utilisation: E / wall, and never above 100%
    Matcher u = Pattern.compile("([0-9.]+) / (3352\\.32|3073\\.1) = ([0-9.]+)%").matcher(md);
    int utils = 0;
    while (u.find()) {
      double pct = Double.parseDouble(u.group(3));
      assertEquals(Double.parseDouble(u.group(1)) / Double.parseDouble(u.group(2)) * 100, pct, 0.06, u.group());
      assertTrue(pct <= 100, u.group());
      utils++;
    }
    assertTrue(utils >= 12, "every tg row is held against both GPU walls: " + utils);
    Matcher any = Pattern.compile("= ([0-9]+(?:\\.[0-9]+)?)%").matcher(md);
    while (any.find()) assertTrue(Double.parseDouble(any.group(1)) <= 100, "no utilisation above 100%: " + any.group());
  }

  /**
   * host.json removed, emptied or made a link loop: the report says so where the facts are used, and
   * no GPU cell is held against system RAM's wall (the 80.968 GB/s probe of this host's DRAM), so no
   * utilisation, ceiling or bound comes from the wrong memory.
   */
  @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.ValueSource(strings = {"removed", "empty", "link-loop", "cut"})
  void aMissingOrDamagedHostRecordIsSaidAndNoWrongWallIsUsed(String damage) throws Exception {
    Path data = dir.resolve("data/gpu");
    copyFixture(data);
    Path host = data.resolve("host.json");
    String intact = Files.readString(host);
    Files.delete(host);
    switch (damage) {
      case "empty" -> Files.writeString(host, "");
      case "link-loop" -> Files.createSymbolicLink(host, host.getFileName());
      case "cut" -> Files.writeString(host, intact.substring(0, intact.length() / 2));
      default -> { }
    }
    TestSpecs.Planned p = TestSpecs.plan(Path.of("experiments/gpu.yaml"), data, Path.of("").toAbsolutePath());
    TestSpecs.report(p.spec(), p.plans(), data, dir.resolve("reports/gpu"));
    String md = Files.readString(dir.resolve("reports/gpu/report.md"));
    String said = switch (damage) {
      case "removed" -> "No host facts: host.json is not in the data directory.";
      case "empty" -> "host.json is empty (0 bytes)";
      case "link-loop" -> "host.json is a chain of more than 8 symbolic links";
      default -> "host.json:";
    };
    assertTrue(md.contains(said), damage + ": " + md);
    assertTrue(md.contains("so which device backend cuda used is not"), "each GPU row says why it has no wall: " + md);
    assertTrue(!md.contains("80.968 /") && !md.contains("80.968 ×"), "no GPU cell is held against system RAM's wall: " + md);
    assertTrue(!md.contains("of the measured wall: impossible"), md);
    assertTrue(!md.contains("bound: **memory**"), md);
  }

  /** models.json emptied and the GPU wall's record made a FIFO: the report renders, says which file failed and why, and uses neither. */
  @Test
  void unreadableFactFilesAreSaidBeforeAnyFigure() throws Exception {
    Path data = dir.resolve("data/gpu");
    copyFixture(data);
    Files.writeString(data.resolve("models.json"), "");
    Path wall = data.resolve("walls/cuda0/result.json");
    Files.delete(wall);
    assertEquals(0, new ProcessBuilder("mkfifo", wall.toString()).start().waitFor());
    TestSpecs.Planned p = TestSpecs.plan(Path.of("experiments/gpu.yaml"), data, Path.of("").toAbsolutePath());
    TestSpecs.report(p.spec(), p.plans(), data, dir.resolve("reports/gpu"));
    String md = Files.readString(dir.resolve("reports/gpu/report.md"));
    int said = md.indexOf("**Data that could not be read**");
    assertTrue(said > 0 && said < md.indexOf("## Findings"), "said before any figure: " + md);
    assertTrue(md.contains("models.json is empty (0 bytes), not a record: bytes read per token are unknown for every model."), md);
    assertTrue(md.contains("walls/cuda0/result.json is a FIFO, socket or device, not a record"), md);
    // no header: the seed's file-size method alone, held against no wall since the GPU's record is unreadable
    assertTrue(md.contains("no wall: its weights are in CUDA0: NVIDIA H100 80GB HBM3's memory, whose wall is not known here"), md);
    assertTrue(!md.contains("3352.32"), "the unreadable GPU wall's figure is used nowhere: " + md);
  }

  @Test
  void aPartialOffloadIsHeldAgainstNeitherWall() throws Exception {
    Path data = dir.resolve("data/gpu");
    Path fixture = Path.of("pipelines/src/test/resources/h100/gpu-run");
    for (String f : List.of("host.json", "models.json", "cells.csv", "samples.csv")) {
      Files.createDirectories(data);
      Files.copy(fixture.resolve(f), data.resolve(f));
    }
    Files.writeString(data.resolve("aggregate.csv"), dev.llamasweep.results.SummaryRow.headerLine() + "\n");
    ReportData d = ReportData.read(data);
    java.util.Map<String, Object> params = new java.util.TreeMap<>(java.util.Map.of("model", "dense7b", "backend", "cuda"));
    params.put("gpu_layers", 20L);
    var partial = dev.llamasweep.TestCells.plan("aaaaaaaaaaaa", dev.llamasweep.spec.Params.read(params, "test"), data.resolve("raw/aaaaaaaaaaaa"));
    assertEquals("split: 20 of 33 layers on CUDA0: NVIDIA H100 80GB HBM3", TokenBandwidth.memoryOf(partial.entry(), d, null).describe());
    params.put("gpu_layers", 99L);
    var full = dev.llamasweep.TestCells.plan("bbbbbbbbbbbb", dev.llamasweep.spec.Params.read(params, "test"), data.resolve("raw/bbbbbbbbbbbb"));
    assertEquals("CUDA0: NVIDIA H100 80GB HBM3", TokenBandwidth.memoryOf(full.entry(), d, null).describe());
  }

  /**
   * A data directory brought back from a GPU machine renders by itself: the spec it was run with is
   * in it (spec.yaml, as `run` now stores it), and the report is the one its spec file gives.
   */
  @Test
  void aDataDirectoryRendersWithoutItsSpecFile() throws Exception {
    Path data = dir.resolve("elsewhere/h100-run");
    copyFixture(data);
    int noSpec = dev.llamasweep.cli.Main.execute(new String[] {"reports", data.toString(), "--reports-root", dir.resolve("reports").toString(),
        "--cache", dir.resolve("cache").toString()});
    assertEquals(2, noSpec, "a data directory made before specs were kept in it, and not by ingest, asks for the spec");
    Files.copy(Path.of("experiments/gpu.yaml"), data.resolve("spec.yaml"));
    int rc = dev.llamasweep.cli.Main.execute(new String[] {"reports", data.toString(), "--reports-root", dir.resolve("reports").toString(),
        "--cache", dir.resolve("cache").toString()});
    assertEquals(0, rc);
    String md = Files.readString(dir.resolve("reports/h100-run/report.md"));
    assertTrue(md.startsWith("# llama-sweep report: h100-run"), md);
    assertTrue(md.contains("GPU memory of CUDA0 (NVIDIA H100 80GB HBM3): theoretical 2619 MHz × 2 × 5120 bit / 8 = **3352.3 GB/s**"), md);
    assertTrue(md.matches("(?s).*\\(\\d+ samples from 8 of \\d+ cells\\).*"), "every cell of the run is read back: " + md.lines().limit(3).toList());
  }

  /**
   * The corpus and report.md derive a cell's bandwidth the same way: the same effective GB/s and the
   * same share of the same wall, a GPU's for cells whose weights sit in it (the corpus once held them
   * against system RAM's only and printed "—").
   */
  @Test
  void theCorpusPrintsWhatReportMdPrintsForEveryGpuCell() throws Exception {
    Path data = dir.resolve("data/gpu");
    copyFixture(data);
    TestSpecs.Planned p = TestSpecs.plan(Path.of("experiments/gpu.yaml"), data, Path.of("").toAbsolutePath());
    TestSpecs.report(p.spec(), p.plans(), data, dir.resolve("reports/gpu"));
    String md = Files.readString(dir.resolve("reports/gpu/report.md"));
    assertEquals(0, dev.llamasweep.cli.Main.execute(new String[] {"corpus", data.toString(), "--out", dir.resolve("corpus").toString()}));
    String corpus = Files.readString(dir.resolve("corpus/corpus.md"));
    // | host | test | tg t/s | n | backend · threads | memory | bytes | effective GB/s | % measured | % theoretical | dataset · `cell` |
    Matcher m = Pattern.compile("\\| (tg\\d+[^|]*) \\|[^|]*\\|[^|]*\\|[^|]*\\| (CUDA0[^|]*) \\|[^|]*\\| ([0-9,.]+) \\| ([0-9.]+%) \\| ([0-9.]+%) \\| gpu · `([0-9a-f]{12})` \\|")
        .matcher(corpus);
    int checked = 0;
    while (m.find()) {
      String eff = m.group(3).replace(",", "");
      String cell = m.group(6);
      String line = md.lines().filter(l -> l.contains("| " + m.group(1).trim() + " |") && l.contains("= **" + eff + " GB/s**"))
          .findFirst().orElseThrow(() -> new AssertionError("report.md has no bandwidth row of " + cell + " " + m.group(1) + " at " + eff + " GB/s:\n" + md));
      assertTrue(line.contains(eff + " / 3073.1 = " + m.group(4)), "the same share of the GPU's measured wall: " + line + " vs " + m.group(4));
      assertTrue(line.contains(eff + " / 3352.32 = " + m.group(5)), "the same share of the GPU's theoretical wall: " + line + " vs " + m.group(5));
      checked++;
    }
    assertTrue(checked >= 2, "every model's best GPU cell is compared: " + checked + "\n" + corpus);
    assertTrue(corpus.contains("CUDA0 NVIDIA H100 80GB HBM3: 3,352.3 / 3,073.1 GB/s") || corpus.contains("/ 3,073.1 GB/s"), corpus);
  }

  /**
   * Every figure report.md derives reaches summary.csv typed, with the value report.md prints: a prompt's
   * FLOPs per token, TFLOP/s reached and bound; a generation's J/token (issue 29: its columns stopped at bandwidth).
   */
  @Test
  void summaryCsvCarriesEveryDerivedFigureWithReportMdsValue() throws Exception {
    Path data = dir.resolve("data/gpu");
    copyFixture(data);
    TestSpecs.Planned p = TestSpecs.plan(Path.of("experiments/gpu.yaml"), data, Path.of("").toAbsolutePath());
    TestSpecs.report(p.spec(), p.plans(), data, dir.resolve("reports/gpu"));
    String md = Files.readString(dir.resolve("reports/gpu/report.md"));
    int pp = 0;
    int energy = 0;
    try (var r = Files.newBufferedReader(dir.resolve("reports/gpu/summary.csv"))) {
      for (var row : org.apache.commons.csv.CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(r)) {
        String cell = row.get("cell");
        if (!row.get("achieved_tflop_s").isEmpty()) {
          double flop = Double.parseDouble(row.get("flop_per_token"));
          double achieved = Double.parseDouble(row.get("achieved_tflop_s"));
          String line = md.lines().filter(l -> l.startsWith("- ") && l.contains("(`" + cell + "`)") && l.contains(" · " + row.get("test") + ": "))
              .findFirst().orElseThrow(() -> new AssertionError("no finding line for " + cell + " " + row.get("test")));
          assertTrue(line.contains(dev.llamasweep.stats.FlopsPerToken.flop(flop) + " per token") && line.contains("= " + PromptCompute.tf(achieved) + " TFLOP/s"), line);
          assertTrue(line.contains("bound: **" + row.get("bound_words") + "**"), line + " vs " + row.get("bound_words"));
          assertEquals(PromptCompute.Bound.valueOf(row.get("bound").toUpperCase(java.util.Locale.ROOT)).words, row.get("bound_words"));
          pp++;
        }
        if (!row.get("j_per_token").isEmpty()) {
          // the energy table's "J per token (per window)": mean ± sd [95% interval]
          String mean = String.format(java.util.Locale.ROOT, "| %.2f ± %.2f [", Double.parseDouble(row.get("j_per_token")), Double.parseDouble(row.get("j_per_token_sd")));
          // (speculative cells have the figure too; their section prints no energy table)
          if (md.lines().noneMatch(l -> l.contains(" tokens = ") && l.endsWith("`" + cell + "` |"))) continue;
          assertTrue(md.lines().anyMatch(l -> l.contains(mean) && l.endsWith("`" + cell + "` |")), "report.md prints " + cell + "'s " + mean + "\n" + md);
          energy++;
        }
      }
    }
    assertTrue(pp >= 4 && energy >= 6, pp + " prompt rows, " + energy + " energy rows");
  }

  /**
   * The H100 run's data directory copied to {@code data} and aggregated by the Beam pipeline: aggregate.csv's
   * rows by "cell|test", as {mean_ts, sd_ts (NaN when empty), n}.
   */
  public static Map<String, double[]> aggregatedFixture(Path data) throws java.io.IOException {
    copyFixture(data);
    dev.llamasweep.aggregation.Aggregation.refresh(org.apache.beam.sdk.options.PipelineOptionsFactory.create(), data);
    Map<String, double[]> out = new java.util.HashMap<>();
    try (var r = Files.newBufferedReader(data.resolve("aggregate.csv"))) {
      for (var row : org.apache.commons.csv.CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(r)) {
        out.put(row.get("cell") + "|" + row.get("test"), new double[] {Double.parseDouble(row.get("mean_ts")),
            row.get("sd_ts").isEmpty() ? Double.NaN : Double.parseDouble(row.get("sd_ts")), Double.parseDouble(row.get("n"))});
      }
    }
    return out;
  }

  /** The H100 run's data directory, copied to {@code data}. */
  public static void copyFixture(Path data) throws java.io.IOException {
    TestSpecs.copyTree(Path.of("pipelines/src/test/resources/h100/gpu-run"), data);
  }
}
