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

  static final Path POINT = Path.of("pipelines/src/test/resources/batched-bench/cpu-target-q4km-b4-point.jsonl");

  @Test
  void aCellsPointIsItsRepetitionsWithTheWarmUpSetAside() throws Exception {
    BatchedBenchCommand.Point asked = new BatchedBenchCommand.Point(4, 32, 0, 3);
    BenchRecord r = BatchedBenchJsonl.record(Files.readString(POINT), "stdout.jsonl", asked, 123_456, new BatchedBenchCommand.Build(1, "80fb11a"));
    assertEquals("tg32 @ b4", r.test());
    assertEquals(TestShape.Kind.BATCH, r.kind());
    assertEquals(4, r.nParallel());
    assertEquals(new TestShape(0, 32, 512, 8), TestShape.ofLabel("tg32 @ d512 @ b8"), "aggregate.csv keeps the label only: it reads back whole");
    assertEquals(TestShape.Kind.TG, TestShape.ofLabel("tg32 @ d512").kind());
    // 4 sequences × 32 steps / t_tg of lines 2..4; the one-step warm-up (0.031292 s) is not a sample
    assertEquals(List.of(4 * 32 / 0.608203, 4 * 32 / 0.597065, 4 * 32 / 0.608505), r.samplesTs());
    assertEquals(List.of(608_203_000L, 597_065_000L, 608_505_000L), r.samplesNs());
    assertEquals(123_456, r.modelSize());
    assertEquals("80fb11a", r.buildCommit());
    assertEquals(1, r.buildNumber());
    assertEquals(2, r.nThreads());
  }

  @Test
  void aPointThatIsNotTheOneAskedForOrIsMissingIsMalformedNotFewerSamples() throws Exception {
    String out = Files.readString(POINT);
    var e = assertThrows(BenchJsonl.MalformedOutput.class,
        () -> BatchedBenchJsonl.record(out, "stdout.jsonl", new BatchedBenchCommand.Point(4, 32, 0, 4), 1, BatchedBenchCommand.Build.UNKNOWN));
    assertEquals("stdout.jsonl: holds 4 points, not the warm-up and 4 repetitions asked for (llama-batched-bench skips a point whose context "
        + "does not fit).", e.getMessage());
    e = assertThrows(BenchJsonl.MalformedOutput.class,
        () -> BatchedBenchJsonl.record(out, "stdout.jsonl", new BatchedBenchCommand.Point(8, 32, 0, 3), 1, BatchedBenchCommand.Build.UNKNOWN));
    assertEquals("stdout.jsonl:1: a point of pl 4, pp 0, tg 1, where pl 8, pp 0, tg 1 was asked for.", e.getMessage());
    e = assertThrows(BenchJsonl.MalformedOutput.class,
        () -> BatchedBenchJsonl.record(out.replaceFirst("\"tg\": 32", "\"tg\": 31"), "stdout.jsonl", new BatchedBenchCommand.Point(4, 32, 0, 3), 1, BatchedBenchCommand.Build.UNKNOWN));
    assertEquals("stdout.jsonl:2: a point of pl 4, pp 0, tg 31, where pl 4, pp 0, tg 32 was asked for.", e.getMessage());
  }

  @Test
  void theCommandRunsTheWarmUpAndEveryRepetitionInOneProcessWithRoomForEverySequence() {
    List<String> argv = BatchedBenchCommand.argv(Path.of("/b"), Path.of("/m.gguf"), new BatchedBenchCommand.Point(8, 32, 512, 3), 2, 0L, true,
        List.of("-dev", "none"));
    assertEquals(List.of("/b/llama-batched-bench", "-m", "/m.gguf", "-c", String.valueOf(8 * (512 + 32)), "-npp", "512", "-ntg", "1,32,32,32",
        "-npl", "8", "-t", "2", "-ngl", "0", "-fa", "on", "-dev", "none", "--output-format", "jsonl"), argv);
    assertEquals(new BatchedBenchCommand.Build(1, "80fb11a"), BatchedBenchCommand.buildOf("version: 0.4.0-dev (build 1, commit 80fb11a)\nbuilt with GNU 12.2.0"));
    assertEquals(BatchedBenchCommand.Build.UNKNOWN, BatchedBenchCommand.buildOf("version: unknown"));
  }
}
