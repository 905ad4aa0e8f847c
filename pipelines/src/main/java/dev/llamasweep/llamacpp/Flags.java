package dev.llamasweep.llamacpp;

import java.util.List;

/**
 * The one place that knows llama.cpp's flag spellings, which change between releases. The dialect
 * of a binary is read from its own {@code --help}, so old and new builds both get flags they accept.
 */
public final class Flags {
  private Flags() {}

  /** How a llama-bench build takes the mmap setting. */
  public enum MmapDialect {
    /** {@code -lm none|mmap} (--load-mode, llama.cpp from mid-2026 on; -mmp is deprecated there). */
    LOAD_MODE,
    /** {@code -mmp 0|1} (older builds). */
    MMP,
    /** Neither appears in --help; asking for an mmap setting is then an error. */
    UNKNOWN
  }

  public static MmapDialect benchMmapDialect(String help) {
    if (help.contains("--load-mode") || help.matches("(?s).*\\s-lm[,\\s].*")) return MmapDialect.LOAD_MODE;
    if (help.contains("--mmap") || help.contains("-mmp")) return MmapDialect.MMP;
    return MmapDialect.UNKNOWN;
  }

  public static List<String> benchMmap(MmapDialect dialect, boolean mmap) {
    return switch (dialect) {
      case LOAD_MODE -> List.of("-lm", mmap ? "mmap" : "none");
      case MMP -> List.of("-mmp", mmap ? "1" : "0");
      case UNKNOWN -> throw new IllegalArgumentException("this llama-bench's --help shows neither -lm nor -mmp, so mmap cannot be set");
    };
  }

  /** {@code -fa 1|0}: understood both by builds taking {@code <0|1>} and by those taking {@code <on|off|auto>}. */
  public static List<String> benchFlashAttn(boolean on) {
    return List.of("-fa", on ? "1" : "0");
  }
}
