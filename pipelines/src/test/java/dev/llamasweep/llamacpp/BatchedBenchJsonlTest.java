package dev.llamasweep.llamacpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llamasweep.stats.Speculation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** llama-batched-bench's real JSONL (recorded, see resources/batched-bench/README.md), hostile variants of it. */
class BatchedBenchJsonlTest {
  static final Path REAL = Path.of("pipelines/src/test/resources/batched-bench/cpu-target-q4km-npl1-32.jsonl");

  @Test
  void theRecordedCurveReadsAsDecodeStepsOverBTokens() throws Exception {
    List<BatchedBenchJsonl.Point> points = BatchedBenchJsonl.parse(Files.readString(REAL), "bb.jsonl");
    assertEquals(List.of(1L, 2L, 4L, 8L, 16L, 32L), points.stream().map(BatchedBenchJsonl.Point::pl).toList());
    BatchedBenchJsonl.Point one = points.get(0);
    assertEquals(16, one.tg());
    assertEquals(0.105010 * 1000 / 16, one.msPerStep(), 1e-12);          // 6.563 ms per step of one token
    assertEquals(152.366440, one.tokensPerSecond(), 1e-3);               // llama.cpp's own speed_tg
    assertEquals(431.327484, points.get(5).tokensPerSecond(), 1e-3);     // 32 × 16 / 1.187033
    // the step doubles its B = 1 time at B = 4 (17.0 ms against 6.6): there the work that grows with B is half the step
    List<Speculation.Step> curve = points.stream().map(p -> new Speculation.Step((int) p.pl(), p.msPerStep())).toList();
    assertEquals(4, Speculation.knee(curve).orElseThrow().batch());
  }

  @Test
  void nanAndInfAreNoValueAndABrokenPointIsOneSentenceNamingItsLine() {
    String line = "{\"pp\": 0, \"tg\": 16, \"pl\": 1, \"t_pp\": 0.000000, \"speed_pp\": -nan, \"t_tg\": 0.1, \"speed_tg\": inf}";
    assertEquals(1, BatchedBenchJsonl.parse(line, "x").size(), "llama.cpp's -nan and inf where no prompt ran");
    var e = assertThrows(BenchJsonl.MalformedOutput.class, () -> BatchedBenchJsonl.parse(line.replace("\"t_tg\": 0.1", "\"t_tg\": 0"), "out.jsonl"));
    assertEquals("out.jsonl:1: t_tg must be a positive number of seconds, not 0.", e.getMessage());
    e = assertThrows(BenchJsonl.MalformedOutput.class, () -> BatchedBenchJsonl.parse("\n{\"pp\": 0, \"tg\": 16, \"t_tg\": 1}", "out.jsonl"));
    assertEquals("out.jsonl:2: the field pl is missing or not a whole number.", e.getMessage());
    e = assertThrows(BenchJsonl.MalformedOutput.class, () -> BatchedBenchJsonl.parse("{\"pp\": 0, \"tg\": 16, \"pl\": 1, \"t_tg\": 0.1", "out.jsonl"));
    assertTrue(e.getMessage().startsWith("out.jsonl:1: is not a JSON record"), e.getMessage());
    e = assertThrows(BenchJsonl.MalformedOutput.class, () -> BatchedBenchJsonl.parse("{\"pp\": 0, \"tg\": 16, \"pl\": 1000000000, \"t_tg\": 1e-9}", "o"));
    assertTrue(e.getMessage().startsWith("o:1: its tokens per second"), e.getMessage());
  }
}
