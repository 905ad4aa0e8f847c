package dev.llamasweep.execute;
import dev.llamasweep.host.CellSensor;
import dev.llamasweep.results.RawStore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** cooldown: waits before a cell until the hottest sensor is under the limit, and records the wait. */
class CooldownTest {
  @TempDir Path dir;

  static CellPlan plan(dev.llamasweep.spec.Cooldown c) {
    return new CellPlan(0, "s", new dev.llamasweep.spec.Cell("abc", dev.llamasweep.spec.Bench.LLAMA_BENCH,
            dev.llamasweep.spec.Params.read(Map.of("repetitions", 1L), "test"), List.of("x")),
        CellPlan.Command.bench(List.of("true"), Map.of(), 10, "/tmp/x", Map.of()), "",
        new CellPlan.Policies(dev.llamasweep.spec.ProfilePolicy.APPLY, 0, dev.llamasweep.spec.QuietPolicy.WARN, c), null, CellPlan.Interleaving.NONE);
  }

  /** A clock that moves only when the executor sleeps: no test waits on the wall clock. */
  static Clock fake() {
    long[] now = {0};
    return new Clock() {
      public long nanoTime() { return now[0]; }
      public void sleep(long ms) { now[0] += ms * 1_000_000L; }
    };
  }

  /** A sensor whose temperature falls by one reading per second. */
  static CellSensor falling(Double... temps) {
    Deque<Double> q = new ArrayDeque<>(List.of(temps));
    return new CellSensor() {
      public Watch start() { return (d, r, s, e) -> null; }
      public Double hottestC() { return q.size() > 1 ? q.poll() : q.peek(); }
    };
  }

  @Test
  void waitsUntilCoolAndSaysHowLong() throws Exception {
    CellExecutor ex = new CellExecutor(new RawStore(dir), falling(82.0, 79.0, 74.0), fake());
    var n = ex.cooldown(plan(new dev.llamasweep.spec.Cooldown(75, 30)));
    assertEquals(82.0, n.startTempC());
    assertEquals(74.0, n.endTempC());
    assertTrue(n.reached());
    assertEquals(2.0, n.waitedS(), "two readings a second apart: " + n);
  }

  @Test
  void givesUpAfterMaxWaitAndSaysSo() throws Exception {
    CellExecutor ex = new CellExecutor(new RawStore(dir), falling(95.0), fake());
    var n = ex.cooldown(plan(new dev.llamasweep.spec.Cooldown(70, 1)));
    assertTrue(!n.reached(), n.toString());
    assertEquals(1.0, n.waitedS(), "max_wait_s of 1 s: " + n);
  }

  @Test
  void noSensorNoCooldownButRecorded() throws Exception {
    CellExecutor ex = new CellExecutor(new RawStore(dir), CellSensor.NONE, fake());
    assertEquals("no temperature sensor on this machine, so no cool-down", ex.cooldown(plan(new dev.llamasweep.spec.Cooldown(70, 1))).unknown());
    assertNull(ex.cooldown(plan(null)));
  }
}
