package dev.llamasweep.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llamasweep.host.PowerRecord;
import dev.llamasweep.results.CellEntry;
import dev.llamasweep.results.CellResult;
import dev.llamasweep.results.CellRow;
import dev.llamasweep.results.CellStatus;
import dev.llamasweep.spec.Axis;
import dev.llamasweep.spec.Bench;
import dev.llamasweep.spec.Cell;
import dev.llamasweep.stats.Estimate;
import dev.llamasweep.stats.Summaries;
import dev.llamasweep.stats.Warning;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Report sections on typed rows, without a spec, a plan, Beam or a file: each test builds the rows a
 * data directory would give (cells.csv's CellRow, the samples) and checks what the section says.
 */
class SectionsTest {
  /** A dataset of cells, each with its tg128 samples, its row and optionally its power record. */
  static final class Dataset {
    final List<CellEntry> entries = new java.util.ArrayList<>();
    final Map<String, CellRow> rows = new LinkedHashMap<>();
    final Map<Summaries.Key, double[]> samples = new LinkedHashMap<>();

    CellEntry cell(String profile, CellStatus status, String machineNote, PowerRecord power, double... tgSamples) {
      Cell c = Cell.of(Bench.LLAMA_BENCH, new java.util.EnumMap<>(Map.of(Axis.MODEL, "m", Axis.BACKEND, "cpu", Axis.PROFILE, profile)));
      CellEntry e = new CellEntry(entries.size(), c, null, List.of("llama-bench"), "llama-bench -m m.gguf");
      entries.add(e);
      rows.put(c.id(), new CellRow(c.id(), List.of("x"), Bench.LLAMA_BENCH, c.params(),
          new CellRow.Outcome(status, "", 10.0, 0.02, profile, "llama-bench -m m.gguf", machineNote), power, null,
          new CellRow.Facts("m", 1_000_000L, "llama 1B Q4_0", "f16", "f16", "CPU", "80fb11a (build 1)")));
      if (tgSamples.length > 0) samples.put(new Summaries.Key(c.id(), "tg128"), tgSamples);
      return e;
    }

    ReportData data() {
      Map<Summaries.Key, Estimate> estimates = new LinkedHashMap<>();
      Map<String, Map<String, Estimate>> byCell = new LinkedHashMap<>();
      samples.forEach((k, v) -> {
        estimates.put(k, Summaries.of(v));
        byCell.computeIfAbsent(k.cell(), x -> new LinkedHashMap<>()).put(k.test(), Summaries.of(v));
      });
      return new ReportData(new ReportData.Results(rows, estimates, byCell, samples, 0, Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), Map.of()),
          ReportData.Machine.NONE, new ReportData.DriftCheck(0.01, List.of(), List.of()));
    }
  }

  static PowerRecord power(String test, Double clockDropPct, double... jPerToken) {
    List<Double> perRep = java.util.Arrays.stream(jPerToken).boxed().toList();
    double mean = perRep.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    return new PowerRecord(50, 61.0, clockDropPct, "rapl", null, 30.0, test, 5.0, mean * 128 * jPerToken.length, 30.0, 35.0,
        128L * jPerToken.length, mean, 1 / mean, null, perRep, List.of(1, 1, 1), "RAPL package energy counters", 0.01, null);
  }

  @Test
  void warningsSayWhatToDoAndComeFromTheRowsAlone() {
    Dataset d = new Dataset();
    CellEntry slowFirst = d.cell("balanced", CellStatus.OK, "", null, 7.0, 10.0, 10.1, 9.9, 10.0);
    CellEntry noisy = d.cell("performance", CellStatus.OK, "CPUs 91% busy before the cell (java 194%)", power("tg128", 14.0, 1, 1, 1),
        10.0, 13.0, 8.0);
    ReportData data = d.data();
    List<Warnings.Raised> a = Warnings.of(slowFirst, "tg128", data);
    assertTrue(a.stream().anyMatch(w -> w.warning() == Warning.SLOW_FIRST && w.detail().equals("30%")), a.toString());
    List<Warning> b = Warnings.of(noisy, "tg128", data).stream().map(Warnings.Raised::warning).toList();
    assertTrue(b.containsAll(List.of(Warning.HIGH_CV, Warning.NOT_QUIET, Warning.THROTTLED)), b.toString());
    assertEquals(List.of(), Warnings.of(noisy, "pp512", data), "a test the cell does not have raises nothing");
  }

  @Test
  void energyIsDerivedOnceAndTheComparisonSaysLessEnergy() {
    Dataset d = new Dataset();
    d.cell("power-saver", CellStatus.OK, "", power("tg128", null, 2.00, 2.02, 1.98), 10.0, 10.1, 9.9);
    d.cell("performance", CellStatus.OK, "", power("tg128", null, 2.60, 2.62, 2.58), 12.0, 12.1, 11.9);
    ReportData data = d.data();
    Derived derived = Derived.of(d.entries, data, null);
    assertEquals(2.0, derived.energy(d.entries.get(0)).perToken().mean(), 1e-9);
    StringBuilder md = new StringBuilder();
    ComparisonSection.render(md, d.entries, List.of(Axis.PROFILE), List.of("tg128"), data, derived);
    assertTrue(md.toString().contains("faster"), md.toString());
    assertTrue(md.toString().contains("more energy"), "performance costs 30% more J/token: " + md);
    StringBuilder energy = new StringBuilder();
    EnergySection.render(energy, d.entries, List.of("profile"), data, derived);
    assertTrue(energy.toString().contains("| power-saver | tg128 | 2.00 ± 0.02"), energy.toString());
  }

  @Test
  void anArmThatDidNotRunIsNotComparedAndSaysWhy() {
    Dataset d = new Dataset();
    d.cell("power-saver", CellStatus.OK, "", null, 10.0, 10.1, 9.9);
    d.cell("performance", CellStatus.CRASHED, "", null);
    d.rows.replaceAll((k, r) -> r.status() == CellStatus.CRASHED ? new CellRow(r.id(), r.experiments(), r.bench(), r.params(),
        r.outcome().as(r.status(), "SIGSEGV (signal 11); stderr is empty"), null, null, CellRow.Facts.NONE) : r);
    ReportData data = d.data();
    StringBuilder md = new StringBuilder();
    ComparisonSection.render(md, d.entries, List.of(Axis.PROFILE), List.of("tg128"), data, Derived.of(d.entries, data, null));
    assertTrue(md.toString().contains("**not compared**") && md.toString().contains("crashed"), md.toString());
  }
}
