package dev.llamasweep.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llamasweep.host.PowerRecord;
import dev.llamasweep.spec.QuietPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** result.json and cells.csv each have one codec: what is written reads back as the same typed value. */
class ResultJsonTest {
  @TempDir Path dir;

  static PowerRecord power() {
    return new PowerRecord(42, 61.5, 3.2, "nvml", null, 402.1, "tg128", 1.234, 496.2, 402.1, 455.0, 384L, 1.2922, 0.7739, null,
        List.of(1.29, 1.3, 1.28), List.of(1, 1, 1), "NVML total-energy counter", 0.012, null);
  }

  static CellResult interleaved() {
    Instant t0 = Instant.parse("2026-12-02T10:00:00.123456Z");
    var round1 = new CellResult.Round(1, 2, CellStatus.OK, null, t0, 3.5, 2.9, power(), new CellResult.CooldownWait(80, null, 85.0, 4.0, 79.0, true));
    var round2 = new CellResult.Round(2, 2, CellStatus.TIMEOUT, "killed", t0.plusSeconds(5), 10, 0, null, null);
    return new CellResult("abcdef012345", new CellResult.Ending(CellStatus.TIMEOUT, "no result within the timeout of 10 s (in round 2)", null),
        new CellResult.Timing(t0, t0.plusSeconds(20), 20.0, 10L, 0.25),
        new CellResult.Invocation(List.of("llama-bench", "-m", "/m/a b.gguf", "-r", "2"), Map.of("GGML_VK_VISIBLE_DEVICES", "0"), Map.of("mmap", "--mmap 0|1")),
        new CellResult.Reported("80fb11a", "80fb11a", 1L, "CPU"), 123456789L, new CellResult.Profiles("performance", "performance"), power(),
        new CellResult.CooldownWait(80, "no temperature sensor on this machine, so no cool-down", null, null, null, null),
        new CellResult.Machine(false, 0.63, List.of("pid 12: llama-server"), List.of("stress 98%"), 3.0, QuietPolicy.WAIT, "CPUs 63% busy"),
        new CellResult.Order("interleaved", "g1", 2, 1.25, null, List.of(round1, round2)), null);
  }

  @Test
  void aResultReadsBackAsWritten() throws Exception {
    CellResult r = interleaved();
    ResultJson.write(dir, r);
    assertEquals(r, ResultJson.read(dir));
    CellResult ingested = new CellResult("0123456789ab", new CellResult.Ending(CellStatus.OK, null, null), CellResult.Timing.NOT_RUN,
        CellResult.Invocation.NONE, CellResult.Reported.NONE, -1, CellResult.Profiles.NONE, null, null, null, null,
        new CellResult.Ingested("runs.jsonl", List.of("runs.jsonl:1", "runs.jsonl:2"), null));
    ResultJson.write(dir, ingested);
    assertEquals(ingested, ResultJson.read(dir));
    assertTrue(!Files.readString(dir.resolve("result.json")).contains("exit_code"), "an ingested cell did not run here: no exit code");
  }

  @Test
  void aBrokenResultIsInvalidWithItsFileAndLine() throws Exception {
    Files.writeString(dir.resolve("result.json"), "{\n  \"status\": \"ok\",\n  \"started\": ");
    var e = assertThrows(ResultJson.Invalid.class, () -> ResultJson.read(dir));
    assertTrue(e.getMessage().startsWith(dir.resolve("result.json") + ":3: is not complete JSON"), e.getMessage());
    Files.writeString(dir.resolve("result.json"), "{\"status\": \"invalid\"}");
    e = assertThrows(ResultJson.Invalid.class, () -> ResultJson.read(dir));
    assertTrue(e.getMessage().endsWith("status 'invalid' is not one of ok, failed, crashed, timeout, skipped"), e.getMessage());
    assertNull(ResultJson.read(dir.resolve("nothing-here")));
  }

  @Test
  void cellsCsvCarriesPowerAndOrderAsTypes() throws Exception {
    CellResult r = interleaved();
    var entry = new CellEntry(0, dev.llamasweep.spec.Cell.of(dev.llamasweep.spec.Bench.LLAMA_BENCH,
        Map.of(dev.llamasweep.spec.Axis.MODEL, "m", dev.llamasweep.spec.Axis.REPETITIONS, 4L)), dir.resolve("raw/x"), r.argv(), "llama-bench …");
    ResultFiles.write(dir, List.of(new CellData(entry, r.status(), r.reason(), List.of(), r)));
    CellRow row = ResultFiles.readCells(dir).get(0);
    assertEquals(entry.id(), row.id());
    assertEquals(CellStatus.TIMEOUT, row.status());
    assertEquals(power(), row.power(), "the power column reads back as the record");
    assertEquals(new CellResult.Order("interleaved", null, 2, 1.25, null, List.of()), row.order(), "cells.csv keeps rounds, overhead, kind and stop");
    assertEquals("CPUs 63% busy", row.machineNote());
    assertEquals(20.0, row.seconds());
    assertEquals(0.25, row.harnessCpuS(), "a field added to the result reaches the row through the one codec");
    assertEquals("llama-bench -m '/m/a b.gguf' -r 2", row.command(), "the command that ran, quoted for a shell");
    assertEquals(entry.params(), row.params(), "parameters read back typed (repetitions a number, not text)");
    assertEquals(entry.id(), row.params().id(), "so the row's parameters hash to its id again");
  }

  @Test
  void cellJsonReadsBackTheCellItsParametersTyped() throws Exception {
    var params = dev.llamasweep.spec.Params.read(Map.of("model", "m", "repetitions", 5L, "flash_attn", true, "bench", "llama-bench",
        dev.llamasweep.spec.Params.Skeleton.OF, "m", dev.llamasweep.spec.Params.Skeleton.LAYERS, 4L, dev.llamasweep.spec.Params.Skeleton.BYTES_PER_TOKEN, 1.25e7), "test");
    var cell = new dev.llamasweep.spec.Cell("0123456789ab", dev.llamasweep.spec.Bench.LLAMA_BENCH, params, List.of("fixed cost"));
    CellJson.write(dir, "local", cell);
    CellJson.Stored back = CellJson.read(dir);
    assertEquals("local", back.spec());
    assertEquals(cell, back.cell(), "id, bench, parameters as Long, Double, Boolean and text, and experiments");
  }

  @Test
  void anAnchorReadsBackAsWritten() throws Exception {
    Instant t0 = Instant.parse("2026-12-02T10:00:00.123456789Z");
    AnchorJson.Anchor a = new AnchorJson.Anchor("8aea31497b0b", "after 6 cells", CellStatus.OK, null, t0, t0.plusSeconds(17), "balanced",
        List.of("llama-bench", "-m", "/m/target.gguf", "-o", "jsonl"));
    AnchorJson.write(dir, a);
    assertEquals(a, AnchorJson.read(dir));
  }

  @Test
  void anEditedCellsCsvOrAnchorIsOneSentenceNamingItsLine() throws Exception {
    cellsCsvCarriesPowerAndOrderAsTypes();
    java.util.List<String> lines = new java.util.ArrayList<>(Files.readAllLines(dir.resolve("cells.csv")));
    lines.set(1, lines.get(1).replace(",timeout,", ",exploded,"));
    Files.write(dir.resolve("cells.csv"), lines);
    var e = assertThrows(IllegalArgumentException.class, () -> ResultFiles.readCells(dir));
    assertEquals(dir.resolve("cells.csv") + ":2: unknown cell status 'exploded'; `reports` re-writes cells.csv from the raw directories.", e.getMessage());

    Path anchor = Files.createDirectories(dir.resolve("drift/20261202T100000Z-8aea31497b0b"));
    Files.writeString(anchor.resolve(AnchorJson.FILE), "{\"anchor\": \"8aea31497b0b\", \"status\": \"ok\", \"started\": \"yesterday\"}");
    var d = assertThrows(IllegalArgumentException.class, () -> DriftAnchors.read(dir));
    assertTrue(d.getMessage().startsWith(anchor.resolve(AnchorJson.FILE) + ": is not a drift anchor's record"), d.getMessage());
  }
}
