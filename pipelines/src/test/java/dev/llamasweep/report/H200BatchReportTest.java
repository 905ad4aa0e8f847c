package dev.llamasweep.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llamasweep.TestSpecs;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real run of experiments/gpu-batch.yaml on an H200 (pipelines/scripts/gpu-run.sh; its data directory
 * is the fixture h200/gpu-batch-run): every batch row's step is 1000 × B / the mean of its samples, the
 * knees and the floors' crossing are the ones the figures give, a smaller batch slower than a larger one is
 * said, a model of another vocabulary is never taken for a draft, and the measured speculative arms stand
 * beside their prediction with the cost per drafted token the prediction lacks.
 */
class H200BatchReportTest {
  @TempDir Path dir;

  @Test
  void batchCurvesFollowFromTheSamplesAndNameTheirKnees() throws Exception {
    Path data = dir.resolve("data/gpu-batch");
    TestSpecs.copyTree(Path.of("pipelines/src/test/resources/h200/gpu-batch-run"), data);
    TestSpecs.Planned p = TestSpecs.plan(Path.of("experiments/gpu-batch.yaml"), data, Path.of("").toAbsolutePath());
    TestSpecs.report(p.spec(), p.plans(), data, dir.resolve("reports/gpu-batch"));
    String md = Files.readString(dir.resolve("reports/gpu-batch/report.md"));

    // means of samples.csv per cell
    Map<String, double[]> sums = new HashMap<>();
    try (Reader r = Files.newBufferedReader(data.resolve("samples.csv"))) {
      for (CSVRecord s : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(r)) {
        double[] a = sums.computeIfAbsent(s.get("cell"), k -> new double[2]);
        a[0] += Double.parseDouble(s.get("tokens_per_s"));
        a[1]++;
      }
    }
    Matcher row = Pattern.compile("\\n\\| (\\d+) \\| [0-9.,]+ ± [0-9.,]+ \\| ([0-9.]+) \\| ([0-9.]+) \\|[^\\n]*`([0-9a-f]{12})` \\|").matcher(md);
    int rows = 0;
    while (row.find()) {
      double[] a = sums.get(row.group(4));
      long b = Long.parseLong(row.group(1));
      double step = 1000.0 * b / (a[0] / a[1]);
      assertEquals(step, Double.parseDouble(row.group(2)), step * 0.006, row.group());
      assertEquals(step / b, Double.parseDouble(row.group(3)), step / b * 0.006, row.group());
      rows++;
    }
    assertEquals(2 * 9 + 2 * 8, rows, "every point of the four curves");

    assertTrue(md.contains("**Knee at B = 8: t(8) = 5.71 ms ≥ 2 × t(1) = 2 × 2.80 ms, and every larger B's step too**"), md);
    assertTrue(md.contains("t(8) = 11.0 ms > t(16) = 8.45 ms: a larger batch took less time than a smaller one"), md);
    assertTrue(md.contains("The two floors cross at **B = 27**"), md);
    // at B = 1 the 7B shape reads 3.7 GB in (2.80 − 0.925) ms, under half the 4473 GB/s wall: the kernels, as for llama-bench's tg
    assertTrue(md.matches("(?s).*\\| 1 \\| 356\\.6 ± 12\\.1 \\| 2\\.80 \\| 2\\.80 \\| 1\\.75 \\| 0\\.0689 \\|[^\\n]*\\*\\*kernels, not the memory.*"), md);
    assertTrue(md.matches("(?s).*\\| 256 \\| 5,762 ± 37 \\|[^\\n]*\\| 51% \\| \\*\\*compute\\*\\* \\|.*"), md);
    assertFalse(md.contains("| `qwen3-8b` | `dense7b` |"), "a model of another vocabulary is no draft");
    assertTrue(md.contains("| `target` | `draft` | 4 | 4 × 0.174 + 1.09 = 1.78 ms | 0.743 ms |"), md);
    assertTrue(md.contains("| + draft, draft-max=16 | 16.00 | 15.0 | 1.000 | 4.54 ms |"), md);
    assertTrue(md.contains("the measured step is 9.36 ms against 4.54 predicted, 0.321 ms more per drafted token"), md);
    assertTrue(Files.readString(dir.resolve("reports/gpu-batch/charts/curves-batch-step.svg")).contains("<svg"));
  }
}
