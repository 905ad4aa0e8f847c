package dev.llamasweep.aggregation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llamasweep.results.SummaryRow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.Set;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A re-run cell's rows summarised without a pipeline are the bytes the pipeline writes for the same samples.csv. */
class AggregationRefreshTest {
  @TempDir Path dir;

  /** samples.csv of {@code cells} cells, two tests each, with {@code reps} random repetitions (a fixed seed per call). */
  static String samples(int cells, int reps, long seed) {
    Random r = new Random(seed);
    StringBuilder sb = new StringBuilder("cell,test,n_prompt,n_gen,n_depth,rep,tokens_per_s\n");
    for (int c = 0; c < cells; c++) {
      for (String test : new String[] {"pp512", "tg128"}) {
        for (int i = 1; i <= reps; i++) {
          double v = test.equals("pp512") ? 400 + 50 * r.nextGaussian() : 9 + r.nextGaussian() / 3;
          sb.append(String.format(java.util.Locale.ROOT, "cell%02d,%s,%d,%d,0,%d,%s%n", c, test, test.equals("pp512") ? 512 : 0,
              test.equals("tg128") ? 128 : 0, i, Double.toString(v)));
        }
      }
    }
    return sb.toString();
  }

  @Test
  void theReRunCellsRowsAreThePipelinesBytes() throws Exception {
    Path d = Files.createDirectories(dir.resolve("sweep"));
    Files.writeString(d.resolve("host.json"), "{\"host\": {\"id\": \"abc123\", \"label\": \"box\"}}");
    Files.writeString(d.resolve("samples.csv"), samples(12, 5, 1));
    Aggregation.refresh(PipelineOptionsFactory.create(), d);
    // cell 07 re-run: its samples change (another seed, another count), the others stay
    String before = samples(12, 5, 1);
    String after = before.lines().filter(l -> !l.startsWith("cell07,")).reduce("", (a, l) -> a + l + "\n")
        + samples(12, 3, 99).lines().filter(l -> l.startsWith("cell07,")).reduce("", (a, l) -> a + l + "\n");
    Files.writeString(d.resolve("samples.csv"), after);
    assertTrue(Aggregation.refreshCells(d, Set.of("cell07")));
    String refreshed = Files.readString(d.resolve(SummaryRow.FILE));
    assertTrue(refreshed.contains("sweep,abc123,cell07,tg128,3,"), refreshed);

    Path whole = Files.createDirectories(dir.resolve("again").resolve("sweep"));
    Files.copy(d.resolve("host.json"), whole.resolve("host.json"));
    Files.writeString(whole.resolve("samples.csv"), after);
    Aggregation.refresh(PipelineOptionsFactory.create(), whole);
    assertEquals(Files.readString(whole.resolve(SummaryRow.FILE)), refreshed, "the pipeline's bytes, byte for byte");
  }

  @Test
  void aCellWithNoSamplesLeftLosesItsRows() throws Exception {
    Path d = Files.createDirectories(dir.resolve("sweep"));
    Files.writeString(d.resolve("samples.csv"), samples(3, 2, 5));
    Aggregation.refresh(PipelineOptionsFactory.create(), d);
    Files.writeString(d.resolve("samples.csv"), samples(3, 2, 5).lines().filter(l -> !l.startsWith("cell01,")).reduce("", (a, l) -> a + l + "\n"));
    assertTrue(Aggregation.refreshCells(d, Set.of("cell01")));
    assertEquals(4, SummaryRow.read(d.resolve(SummaryRow.FILE)).size());
    assertTrue(SummaryRow.read(d.resolve(SummaryRow.FILE)).stream().noneMatch(r -> r.cell().equals("cell01")));
  }

  @Test
  void keptRowsOfAnotherHostMeanTheWholePipelineRuns() throws Exception {
    Path d = Files.createDirectories(dir.resolve("sweep"));
    Files.writeString(d.resolve("host.json"), "{\"host\": {\"id\": \"old\"}}");
    Files.writeString(d.resolve("samples.csv"), samples(2, 2, 5));
    Aggregation.refresh(PipelineOptionsFactory.create(), d);
    String kept = Files.readString(d.resolve(SummaryRow.FILE));
    Files.writeString(d.resolve("host.json"), "{\"host\": {\"id\": \"new\"}}");
    assertFalse(Aggregation.refreshCells(d, Set.of("cell00")), "every row's host would change: only the pipeline may write them");
    assertEquals(kept, Files.readString(d.resolve(SummaryRow.FILE)), "nothing written");
    Files.delete(d.resolve(SummaryRow.FILE));
    assertFalse(Aggregation.refreshCells(d, Set.of("cell00")), "no aggregate.csv to keep rows of");
  }
}
