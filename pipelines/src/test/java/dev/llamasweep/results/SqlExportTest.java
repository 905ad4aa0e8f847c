package dev.llamasweep.results;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * export-sql writes llama-bench's schema: one row per cell and test. An interleaved cell holds one
 * llama-bench record per round (the H100 run's cells ran in 3 rounds: 6 records for pp512 and tg128);
 * its row is over every round's samples, with the aggregation's mean (the export once wrote a row per
 * round, each with that round's figures only).
 */
class SqlExportTest {
  @TempDir Path dir;

  @Test
  void anInterleavedCellIsOneRowPerTestOverEveryRound() throws Exception {
    Path data = dir.resolve("data/gpu");
    Map<String, double[]> beam = dev.llamasweep.report.H100ReportTest.aggregatedFixture(data);
    Path db = dir.resolve("gpu.sqlite");
    int rows = SqlExport.export(data, db);
    List<Map<String, Object>> back = LlamaBenchSql.read(db);
    // llama-bench cells only: 4 with pp512 and tg128, 2 with one tg test (the 2 speculative cells are not llama-bench's)
    assertEquals(10, rows);
    assertEquals(10, back.size());
    int matched = 0;
    for (Map<String, Object> row : back) {
      double avg = ((Number) row.get("avg_ts")).doubleValue();
      double sd = ((Number) row.get("stddev_ts")).doubleValue();
      for (double[] b : beam.values()) {
        if (Math.abs(b[0] - avg) <= 1e-9 * b[0] && Math.abs(b[1] - sd) <= 1e-9 * b[1]) matched++;
      }
    }
    assertEquals(10, matched, "every row is a cell's mean and sd over all its rounds, as aggregate.csv has them: " + back);
  }
}
