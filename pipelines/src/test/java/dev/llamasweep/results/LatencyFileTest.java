package dev.llamasweep.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.llamasweep.stats.Quantiles;
import dev.llamasweep.stats.StreamTimings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** latency.csv: what is written is what is read, an unknown interval stays unknown, a bad field is one sentence. */
class LatencyFileTest {
  @TempDir Path dir;

  @Test
  void aCellsLatenciesRoundTripWithUnknownIntervalsKeptUnknown() throws Exception {
    Files.writeString(dir.resolve(LatencyFile.FILE), """
        cell,metric,quantile,n,requests,value_ms,low_ms,high_ms
        c1,ttft,0.5,20,20,50.5,40.0,60.25
        c1,ttft,0.99,20,20,99.0,,
        c1,inter_token,0.5,620,20,6.9,6.7,7.1
        c1,e2e,0.5,20,20,279.0,270.0,290.0
        """);
    Map<String, StreamTimings.Latency> read = LatencyFile.read(dir);
    StreamTimings.Latency l = read.get("c1");
    assertEquals(20, l.requests());
    assertEquals(new Quantiles(0.5, 20, 50.5, 40.0, 60.25), StreamTimings.Latency.at(l.ttftMs(), 0.5));
    Quantiles p99 = StreamTimings.Latency.at(l.ttftMs(), 0.99);
    assertEquals(99.0, p99.value());
    assertEquals(false, p99.intervalKnown());
    assertEquals(6.9, StreamTimings.Latency.at(l.interTokenMs(), 0.5).value());
  }

  @Test
  void aFieldThatIsNotItsNumberIsOneSentenceWithFileAndLine() throws Exception {
    Files.writeString(dir.resolve(LatencyFile.FILE), "cell,metric,quantile,n,requests,value_ms,low_ms,high_ms\nc1,ttft,0.5,20,20,fast,1,2\n");
    var e = assertThrows(IllegalArgumentException.class, () -> LatencyFile.read(dir));
    assertEquals(dir.resolve(LatencyFile.FILE) + ":2: field value_ms is 'fast', not a number of 0 or more", e.getMessage());
    Files.writeString(dir.resolve(LatencyFile.FILE), "cell,metric,quantile,n,requests,value_ms,low_ms,high_ms\nc1,tpot,0.5,20,20,1,1,2\n");
    e = assertThrows(IllegalArgumentException.class, () -> LatencyFile.read(dir));
    assertEquals(dir.resolve(LatencyFile.FILE) + ":2: field metric is 'tpot', not ttft, inter_token or e2e", e.getMessage());
    assertEquals(Map.of(), LatencyFile.read(dir.resolve("none")), "no file, no latencies");
  }
}
