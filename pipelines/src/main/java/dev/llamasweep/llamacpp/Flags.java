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

  /** How a llama-server build takes the draft size for speculative decoding. */
  public enum SpecDialect {
    /** {@code --spec-type draft-simple --spec-draft-n-max N} (the pinned build; it rejects --draft-max). */
    SPEC_DRAFT_N_MAX,
    /** {@code --draft-max N} (builds up to early 2026). */
    DRAFT_MAX,
    UNKNOWN
  }

  /** The new spelling is checked first: new builds still list --draft-max, as "removed". */
  public static SpecDialect serverSpecDialect(String help) {
    if (help.contains("--spec-draft-n-max")) return SpecDialect.SPEC_DRAFT_N_MAX;
    if (help.contains("--draft-max")) return SpecDialect.DRAFT_MAX;
    return SpecDialect.UNKNOWN;
  }

  /** The draft model and its size; draft-min 0 so every dialect drafts up to N and may stop early. */
  public static List<String> serverDraft(SpecDialect dialect, String draftModel, long nMax) {
    return switch (dialect) {
      case SPEC_DRAFT_N_MAX -> List.of("-md", draftModel, "--spec-type", "draft-simple",
          "--spec-draft-n-max", String.valueOf(nMax), "--spec-draft-n-min", "0");
      case DRAFT_MAX -> List.of("-md", draftModel, "--draft-max", String.valueOf(nMax), "--draft-min", "0");
      case UNKNOWN -> throw new IllegalArgumentException("this llama-server's --help shows neither --spec-draft-n-max nor --draft-max");
    };
  }

  /** GPU layers of the draft model (the seed's {@code -ngld 99}); the same in both dialects. */
  public static List<String> serverDraftGpuLayers(long layers) {
    return List.of("-ngld", String.valueOf(layers));
  }

  /** llama-server takes {@code -fa on|off} (since late 2025). */
  public static List<String> serverFlashAttn(boolean on) {
    return List.of("-fa", on ? "on" : "off");
  }

  /** {@code -fa 1|0}: understood both by builds taking {@code <0|1>} and by those taking {@code <on|off|auto>}. */
  public static List<String> benchFlashAttn(boolean on) {
    return List.of("-fa", on ? "1" : "0");
  }

  /**
   * The flags of an argv that a build's {@code --help} does not list, in order: a parameter a llama.cpp
   * version lacks is then said before anything runs, instead of failing every cell with a usage message.
   * A flag is a token starting with - and a letter; values (numbers, paths, -1) are not flags.
   */
  public static List<String> notInHelp(String help, List<String> args) {
    List<String> out = new java.util.ArrayList<>();
    for (String a : args) {
      if (!a.matches("--?[A-Za-z][A-Za-z0-9-]*")) continue;
      if (!java.util.regex.Pattern.compile("(^|[\\s,|])" + java.util.regex.Pattern.quote(a) + "([\\s,=|<\\[]|$)", java.util.regex.Pattern.MULTILINE)
          .matcher(help).find() && !out.contains(a)) {
        out.add(a);
      }
    }
    return out;
  }
}
