package dev.llamasweep.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llamasweep.llamacpp.BenchJsonl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** rpc.jsonl (a cell's probes) and rpc.csv (each server summarised), each through its one codec. */
class RpcFilesTest {
  @TempDir Path dir;

  static RpcProbes.Probe probe(int server, String endpoint, long... rtt) {
    return new RpcProbes.Probe(server, endpoint, true, "6.0.0", List.of(25_276_166_144L), List.of(25_276_166_144L),
        List.of("CPU: AMD EPYC (24105 MiB, 24105 MiB free)"), java.util.Arrays.stream(rtt).boxed().toList());
  }

  @Test
  void probesRoundTripAndEachServersRoundTripsAreSummarisedOverEveryRound() {
    // two rounds of two servers: server 0 answered in 40, 60 then 50, 30 µs; server 1 in 80, 90 µs
    String text = String.join("\n", RpcProbes.encode(probe(0, "127.0.0.1:40001", 40_000, 60_000)), RpcProbes.encode(probe(1, "127.0.0.1:40002", 80_000)),
        RpcProbes.encode(probe(0, "127.0.0.1:40101", 50_000, 30_000)), RpcProbes.encode(probe(1, "127.0.0.1:40102", 90_000))) + "\n";
    List<RpcProbes.Probe> back = RpcProbes.parse(text, "rpc.jsonl");
    assertEquals(probe(0, "127.0.0.1:40001", 40_000, 60_000), back.get(0));
    List<RpcFile.Server> servers = RpcFile.summarise("c1", back);
    assertEquals(2, servers.size());
    assertEquals("127.0.0.1:40001", servers.get(0).endpoint(), "the first round's endpoint");
    assertEquals(4, servers.get(0).roundTrips());
    assertEquals(45.0, servers.get(0).medianMicros(), 1e-9, "median of 30, 40, 50, 60 µs");
    assertEquals(30.0, servers.get(0).minMicros(), 1e-9);
    assertEquals(85.0, servers.get(1).medianMicros(), 1e-9);
    assertTrue(servers.get(0).describe().contains("started here; CPU: AMD EPYC"), servers.get(0).describe());
  }

  @Test
  void aProbeLineThatIsNotOneIsNamedByFileAndLine() {
    String good = RpcProbes.encode(probe(0, "127.0.0.1:1", 5));
    var e = assertThrows(BenchJsonl.MalformedOutput.class, () -> RpcProbes.parse(good + "\n{\"server\":0}\n", "raw/c1/rpc.jsonl"));
    assertEquals("raw/c1/rpc.jsonl:2: a probe needs server, endpoint, devices and round_trip_ns", e.getMessage());
    var f = assertThrows(BenchJsonl.MalformedOutput.class, () -> RpcProbes.parse(good.replace("[5]", "[-5]"), "rpc.jsonl"));
    assertTrue(f.getMessage().startsWith("rpc.jsonl:1: field round_trip_ns holds -5"), f.getMessage());
  }

  @Test
  void theCsvHoldsEachServerOfEachCellAndABadFieldIsOneSentence() throws Exception {
    List<RpcFile.Server> servers = RpcFile.summarise("c1", List.of(probe(0, "127.0.0.1:40001", 40_000), probe(1, "10.0.0.2:50052", 700_000)));
    CellEntry entry = new CellEntry(0, dev.llamasweep.spec.Cell.of(dev.llamasweep.spec.Bench.LLAMA_BENCH,
        java.util.Map.of(dev.llamasweep.spec.Axis.MODEL, "m", dev.llamasweep.spec.Axis.BACKEND, "b")), dir.resolve("raw/c1"), List.of(), "");
    CellData cell = new CellData(entry, CellStatus.OK, null, List.of(), null, null, servers);
    RpcFile.write(dir, List.of(cell));
    var back = RpcFile.read(dir);
    assertEquals(servers.stream().map(s -> new RpcFile.Server(entry.id(), s.index(), s.endpoint(), s.started(), s.version(), s.freeBytes(),
        s.totalBytes(), s.deviceLines(), s.roundTrips(), s.medianMicros(), s.minMicros())).toList().size(), back.values().iterator().next().size());
    RpcFile.Server second = back.values().iterator().next().get(1);
    assertEquals("10.0.0.2:50052", second.endpoint());
    assertEquals(700.0, second.medianMicros(), 1e-9);
    assertEquals(List.of(25_276_166_144L), second.freeBytes());
    Path csv = dir.resolve(RpcFile.FILE);
    Files.writeString(csv, Files.readString(csv).replace("25276166144,25276166144", "lots,25276166144"));
    var e = assertThrows(IllegalArgumentException.class, () -> RpcFile.read(dir));
    assertTrue(e.getMessage().matches(".*rpc\\.csv:2: field free_bytes is 'lots', not byte counts separated by ';'"), e.getMessage());
    RpcFile.write(dir, List.of());
    assertTrue(!Files.exists(csv), "no rpc cell, no file");
  }
}
