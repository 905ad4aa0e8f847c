package dev.llamasweep.llamacpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Parses a real llama-bench -o jsonl output recorded from the pinned build on the synthetic target. */
class BenchJsonlTest {
  @Test
  void parsesRecordedOutput() throws IOException {
    String text = Files.readString(Path.of("pipelines/src/test/resources/llamacpp/llama-bench-80fb11a-target-q4km.jsonl"));
    List<BenchRecord> rs = BenchJsonl.parse(text, "fixture");
    assertEquals(2, rs.size());
    BenchRecord pp = rs.get(0);
    BenchRecord tg = rs.get(1);
    assertEquals("pp512", pp.test());
    assertEquals(TestShape.Kind.PP, pp.kind());
    assertEquals("tg128", tg.test());
    assertEquals("80fb11a", pp.buildCommit());
    assertEquals("CPU", pp.backends());
    assertEquals(169162752L, pp.modelSize());
    assertEquals(271090688L, pp.modelNParams());
    assertEquals(3, tg.samplesTs().size());
    assertEquals(210.873, tg.samplesTs().get(0), 1e-9);
    assertEquals(tg.samplesNs().size(), tg.samplesTs().size());
    assertEquals("auto", tg.loadMode());
  }

  @Test
  void depthAndCombinedTestsAreNamedLikeLlamaBench() {
    String line = "{\"build_commit\":\"x\",\"backends\":\"CPU\",\"model_size\":1,\"model_n_params\":1,"
        + "\"n_prompt\":512,\"n_gen\":128,\"n_depth\":4096,\"samples_ns\":[1],\"samples_ts\":[2.5]}";
    BenchRecord r = BenchJsonl.parse(line, "x").get(0);
    assertEquals(TestShape.Kind.PG, r.kind());
    assertEquals("pp512+tg128 @ d4096", r.test());
  }

  @Test
  void truncatedOutputIsReportedByLineNotHalfRead() {
    String text = "{\"build_commit\":\"x\",\"backends\":\"CPU\",\"model_size\":1,\"model_n_params\":1,"
        + "\"n_prompt\":0,\"n_gen\":1,\"samples_ns\":[1],\"samples_ts\":[1.0]}\n{\"build_commit\": \"x\", \"backe";
    BenchJsonl.MalformedOutput e = assertThrows(BenchJsonl.MalformedOutput.class, () -> BenchJsonl.parse(text, "stdout.jsonl"));
    assertTrue(e.getMessage().startsWith("stdout.jsonl:2:"), e.getMessage());
  }

  @Test
  void missingSamplesIsAnError() {
    String line = "{\"build_commit\":\"x\",\"backends\":\"CPU\",\"model_size\":1,\"model_n_params\":1,\"n_prompt\":0,\"n_gen\":1}";
    BenchJsonl.MalformedOutput e = assertThrows(BenchJsonl.MalformedOutput.class, () -> BenchJsonl.parse(line, "o"));
    assertTrue(e.getMessage().contains("samples_ns"), e.getMessage());
  }
}
