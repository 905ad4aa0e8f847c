package dev.llamasweep.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExitStatusTest {
  @Test
  void exitCodesAboveOneHundredTwentyEightAreSignals() {
    assertEquals("SIGSEGV (signal 11)", new ExitStatus(139).describe());
    assertEquals("SIGILL (signal 4)", new ExitStatus(132).describe());
    assertEquals("SIGABRT (signal 6)", new ExitStatus(134).describe());
    assertEquals("signal 40", new ExitStatus(168).describe());
    assertTrue(new ExitStatus(137).crashed());
    assertFalse(new ExitStatus(1).crashed());
    assertFalse(new ExitStatus(128).crashed());
    assertEquals("exit 3", new ExitStatus(3).describe());
  }

  @Test
  void tailJoinsTheLastNonBlankLines(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("stderr.log");
    Files.writeString(log, "a\n\nb\n  c  \n\n");
    assertEquals("b / c", ExitStatus.tail(log, 2));
    assertEquals("", ExitStatus.tail(dir.resolve("none.log"), 3));
  }
}
