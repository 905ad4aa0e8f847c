package dev.llamasweep.llamacpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The mmap flag dialect is read from captured --help texts of two real llama-bench builds. */
class FlagsTest {
  static String help(String name) throws IOException {
    return Files.readString(Path.of("pipelines/src/test/resources/llamacpp", name));
  }

  @Test
  void pinnedBuildUsesLoadMode() throws IOException {
    Flags.MmapDialect d = Flags.benchMmapDialect(help("llama-bench-help-80fb11a.txt"));
    assertEquals(Flags.MmapDialect.LOAD_MODE, d);
    assertEquals(List.of("-lm", "mmap"), Flags.benchMmap(d, true));
    assertEquals(List.of("-lm", "none"), Flags.benchMmap(d, false));
  }

  @Test
  void early2026BuildUsesMmp() throws IOException {
    Flags.MmapDialect d = Flags.benchMmapDialect(help("llama-bench-help-early-2026.txt"));
    assertEquals(Flags.MmapDialect.MMP, d);
    assertEquals(List.of("-mmp", "1"), Flags.benchMmap(d, true));
    assertEquals(List.of("-mmp", "0"), Flags.benchMmap(d, false));
  }

  @Test
  void unknownHelpRefusesRatherThanGuessing() {
    Flags.MmapDialect d = Flags.benchMmapDialect("usage: something else\n  -p, --n-prompt <n>\n");
    assertEquals(Flags.MmapDialect.UNKNOWN, d);
    assertThrows(IllegalArgumentException.class, () -> Flags.benchMmap(d, true));
  }

  @Test
  void flashAttentionSpellingWorksInBothDialects() throws IOException {
    // "1"/"0" are accepted by <0|1> builds and, as truthy/falsey words, by <on|off|auto> builds
    assertEquals(List.of("-fa", "1"), Flags.benchFlashAttn(true));
    assertEquals(true, help("llama-bench-help-early-2026.txt").contains("-fa, --flash-attn <0|1>"));
    assertEquals(true, help("llama-bench-help-80fb11a.txt").contains("-fa, --flash-attn <on|off|auto>"));
  }
}
