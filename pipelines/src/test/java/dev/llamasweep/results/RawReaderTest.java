package dev.llamasweep.results;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llamasweep.execute.CellPlan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Raw directories as the executor leaves them: ok, failed and missing cells. */
class RawReaderTest {
  @TempDir Path dir;

  CellPlan plan(String id) {
    return dev.llamasweep.TestCells.plan(id, dev.llamasweep.spec.Params.read(Map.of("model", "m"), "test"), dir.resolve("raw").resolve(id));
  }

  @Test
  void okFailedAndMissingCells() throws IOException {
    Path ok = Files.createDirectories(dir.resolve("raw/aaa"));
    Files.copy(Path.of("pipelines/src/test/resources/llamacpp/llama-bench-80fb11a-target-q4km.jsonl"), ok.resolve("stdout.jsonl"));
    Files.writeString(ok.resolve("result.json"), "{\"status\":\"ok\",\"duration_s\":1.5,\"observed_profile\":\"balanced\"}");
    Path bad = Files.createDirectories(dir.resolve("raw/bbb"));
    Files.writeString(bad.resolve("result.json"), "{\"status\":\"timeout\",\"reason\":\"killed\",\"duration_s\":2}");

    List<CellData> cells = List.of(plan("aaa"), plan("bbb"), plan("ccc")).stream().map(p -> RawReader.read(p.entry())).toList();
    {
      int n = 0;
      for (CellData c : cells) {
        n++;
        switch (c.entry().id()) {
          case "aaa" -> {
            assertEquals(dev.llamasweep.results.CellStatus.OK, c.status());
            assertEquals(2, c.records().size());
            assertEquals("balanced", c.observedProfile());
          }
          case "bbb" -> {
            assertEquals(dev.llamasweep.results.CellStatus.TIMEOUT, c.status());
            assertEquals("killed", c.reason());
            assertEquals(0, c.records().size());
          }
          default -> assertEquals(dev.llamasweep.results.CellStatus.MISSING, c.status());
        }
      }
      assertEquals(3, n);
    }
  }
}
