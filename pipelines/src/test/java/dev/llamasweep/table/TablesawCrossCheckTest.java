package dev.llamasweep.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.aggregate.AggregateFunctions;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.io.csv.CsvReadOptions;

/**
 * An independent check of the Beam aggregation: Tablesaw's own mean, standard deviation and count of
 * samples.csv's tokens_per_s, grouped by cell and test, equal aggregate.csv's for every cell of a real
 * run (the H100 fixture: 12 cell-tests, some with 5 repetitions, some interleaved).
 */
class TablesawCrossCheckTest {
  @TempDir Path dir;

  @Test
  void tablesawsMeanAndSdOverSamplesCsvEqualAggregateCsvForEveryCell() throws Exception {
    Path data = dir.resolve("data/gpu");
    Map<String, double[]> beam = dev.llamasweep.report.H100ReportTest.aggregatedFixture(data);

    Frames.load();
    Map<String, ColumnType> types = new HashMap<>();
    for (String text : new String[] {"cell", "test", "experiments", "profile", "config", "adaptive", "prompt_file", "draft", "threads", "build_commit",
        "observed_profile", "model_file", "backends", "load_mode", "type_k", "type_v", "model_type", "model", "backend", "bench", "kind"}) {
      types.put(text, ColumnType.STRING);
    }
    var samples = new tech.tablesaw.io.csv.CsvReader().read(CsvReadOptions.builder(data.resolve("samples.csv").toFile())
        .columnTypesPartial(types).build());
    var byGroup = samples.summarize("tokens_per_s", AggregateFunctions.mean, AggregateFunctions.stdDev, AggregateFunctions.count).by("cell", "test");

    assertEquals(beam.size(), byGroup.rowCount(), "one group per cell and test in both");
    for (int i = 0; i < byGroup.rowCount(); i++) {
      String key = byGroup.stringColumn("cell").get(i) + "|" + byGroup.stringColumn("test").get(i);
      double[] b = beam.get(key);
      assertTrue(b != null, "aggregate.csv has " + key);
      double mean = byGroup.doubleColumn(2).get(i);
      double sd = byGroup.doubleColumn(3).get(i);
      assertEquals(b[2], byGroup.doubleColumn(4).get(i), key + ": n");
      assertEquals(b[0], mean, Math.abs(b[0]) * 1e-12, key + ": mean");
      assertEquals(b[1], sd, Math.abs(b[1]) * 1e-9, key + ": sd (both the sample standard deviation, n - 1)");
    }
  }

  @Test
  void csvReadsBackWhatTheTableHeldWithMissingValuesEmpty() throws Exception {
    Table t = Table.of(Column.text("name"), Column.integer("n", ""), Column.number("gb_s", "GB/s", d -> String.valueOf(d)));
    t.row("a, \"quoted\" name", 3L, 1.25).row(" spaced ", null, null).row(null, 7L, 1e-3);
    var w = new java.io.StringWriter();
    Frames.csv("t", t, w);
    var rows = org.apache.commons.csv.CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(new java.io.StringReader(w.toString())).getRecords();
    assertEquals(3, rows.size());
    assertEquals("a, \"quoted\" name", rows.get(0).get("name"));
    assertEquals("3", rows.get(0).get("n"));
    assertEquals("1.25", rows.get(0).get("gb_s"));
    assertEquals(" spaced ", rows.get(1).get("name"), "spaces kept");
    assertEquals("", rows.get(1).get("n"), "a missing number is an empty field, never NaN or a sentinel");
    assertEquals("", rows.get(1).get("gb_s"));
    assertEquals("", rows.get(2).get("name"));
    assertEquals("0.001", rows.get(2).get("gb_s"));
  }
}
