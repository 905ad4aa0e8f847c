package dev.llamasweep.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The measured wall: the probe's output parsed, the cache size read as sysfs lays it out, and the real probe on this machine. */
class MemoryWallTest {
  @TempDir Path dir;

  static final String OUTPUT = """
      membw 1 threads 2 array_bytes 268435456 runs 3
      run 1 read 10.621 GB/s triad 8.338 GB/s
      run 2 read 12.167 GB/s triad 12.669 GB/s
      run 3 read 8.836 GB/s triad 8.827 GB/s
      best read 12.167 GB/s
      best triad 12.669 GB/s
      """;

  @Test
  void parsesTheBestRunOfEachKernel() {
    MemoryWall.Measured m = MemoryWall.parse("system-ram", OUTPUT, "membw 2 268435456 3", "host");
    assertEquals(12.167, m.readGBs());
    assertEquals(12.669, m.triadGBs());
    assertEquals(2, m.threads());
    assertEquals(268435456L, m.arrayBytes());
    assertEquals("read 12.167 GB/s, triad 12.669 GB/s (best of 3 runs, 2 threads, arrays of 256 MiB)", m.describe());
    assertNull(MemoryWall.parse("system-ram", "membw: cannot allocate 3 arrays", "x", "host"));
    assertNull(MemoryWall.parse("system-ram", OUTPUT.replace("best read 12.167", "best read 0.000"), "x", "host"), "zero is not a wall");
  }

  @Test
  void readsOfOneMatrixSizedBufferAreParsedAndInterpolatedBySize() {
    String out = OUTPUT + "size 1048576 read 6.000 GB/s reads 768 of 256 buffers\nsize 16777216 read 10.000 GB/s reads 64 of 16 buffers\n";
    MemoryWall.Measured m = MemoryWall.parse("system-ram", out, "membw 2 268435456 3 1048576 16777216", "host");
    assertEquals(Map.of(1048576L, 6.0, 16777216L, 10.0), m.readBySize());
    assertEquals(6.0, m.readAt(1 << 20), 1e-12);
    // 4 MiB is halfway between 1 and 16 MiB on a log scale: 6 + 0.5 × (10 − 6)
    assertEquals(8.0, m.readAt(4 << 20), 1e-12);
    assertEquals(6.0, m.readAt(64 << 10), 1e-12, "below the smallest size: the smallest size's figure");
    assertEquals(10.0, m.readAt(1L << 30), 1e-12, "above the largest: the largest's");
    assertNull(MemoryWall.parse("system-ram", OUTPUT, "x", "host").readAt(1 << 20), "a probe without sizes says nothing of them");
  }

  @Test
  void lastLevelCacheIsTheLargestDataOrUnifiedLevel() {
    String base = "/sys/devices/system/cpu/cpu0/cache/";
    Map<String, String> files = new java.util.HashMap<>();
    String[][] levels = {{"index0", "1", "Data", "32K"}, {"index1", "1", "Instruction", "32K"}, {"index2", "2", "Unified", "512K"},
        {"index3", "3", "Unified", "32768K"}};
    for (String[] l : levels) {
      files.put(base + l[0] + "/level", l[1] + "\n");
      files.put(base + l[0] + "/type", l[2] + "\n");
      files.put(base + l[0] + "/size", l[3] + "\n");
    }
    HostProbeTest.Fake sysfs = new HostProbeTest.Fake(files,
        Map.of(), Map.of("/sys/devices/system/cpu/cpu0/cache", List.of("index0", "index1", "index2", "index3", "uevent")));
    HostParsers.Cache c = HostParsers.lastLevelCache(sysfs);
    assertEquals(3, c.level());
    assertEquals(32L << 20, c.bytes());
    assertEquals("32 MiB (L3, per cpu0's share)", HostProbe.probe(sysfs, null).fact("last_level_cache").value());
    assertNull(HostParsers.lastLevelCache(new HostProbeTest.Fake(Map.of(), Map.of(), Map.of())));
  }

  @Test
  void theRealProbeMeasuresThisMachineAndIsKeptUntilForced() throws Exception {
    Path data = dir.resolve("data");
    MemoryWall.Measured m = MemoryWall.ensure(data, dir.resolve("cache"), false, new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
    assertTrue(m.isKnown(), m.describe());
    assertTrue(m.readGBs() > 0.1 && m.readGBs() < 10_000, m.describe());
    assertEquals(MemoryWall.SIZES, List.copyOf(m.readBySize().keySet()), "every matrix size is measured: " + m.readBySize());
    for (double gbs : m.readBySize().values()) assertTrue(gbs > 0.01 && gbs < 10_000, m.readBySize().toString());
    assertTrue(Files.isRegularFile(MemoryWall.dir(data, "system-ram").resolve("stdout.txt")));
    assertTrue(Files.readString(MemoryWall.dir(data, "system-ram").resolve("command.sh")).contains("membw"));
    // kept: the same host reads the recorded wall back without measuring again
    MemoryWall.Measured again = MemoryWall.ensure(data, dir.resolve("cache"), false, new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
    assertEquals(m.readGBs(), again.readGBs());
  }
}
