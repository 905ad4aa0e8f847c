package dev.llamasweep.spec;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The llama.cpp version a built backend uses, as the spec names it ({@code llama_cpp: 3.22.1} or
 * {@code llama_cpp: v0.5.0}): a node-llama-cpp package version (the npm registry ships each llama.cpp
 * release inside one) or the llama.cpp release tag such a package carries. Two backends that differ
 * only here are two arms of one experiment, so "did the update make my machine faster?" is a comparison
 * like any other.
 *
 * @param text as written, without a leading "node-llama-cpp@"
 */
public record LlamaCppVersion(String text, Kind kind) {
  /** The llama.cpp commit llama-sweep pins: what a backend builds unless it names another version (its ggml types, its flags). */
  public static final String PINNED_COMMIT = "80fb11a";

  /** What the text names. */
  public enum Kind {
    /** A node-llama-cpp package version (3.22.1, 3.0.0-beta.44). */
    PACKAGE,
    /** A llama.cpp release tag: b8390 (llama.cpp's build numbers) or v0.5.0 (its later semantic versions). */
    TAG
  }

  private static final Pattern PACKAGE = Pattern.compile("(?:node-llama-cpp@)?((?:0|[1-9]\\d{0,5})\\.(?:0|[1-9]\\d{0,5})\\.(?:0|[1-9]\\d{0,5})(?:-[0-9A-Za-z.]{1,40})?)");
  private static final Pattern BUILD_TAG = Pattern.compile("b([1-9]\\d{0,5})");
  private static final Pattern SEMVER_TAG = Pattern.compile("v(0|[1-9]\\d{0,5})\\.(0|[1-9]\\d{0,5})\\.(0|[1-9]\\d{0,5})");

  /** The version a text names, or empty when it is neither a package version nor a release tag. */
  public static Optional<LlamaCppVersion> parse(String text) {
    String t = text.strip();
    Matcher p = PACKAGE.matcher(t);
    if (p.matches()) return Optional.of(new LlamaCppVersion(p.group(1), Kind.PACKAGE));
    if (BUILD_TAG.matcher(t).matches() || SEMVER_TAG.matcher(t).matches()) return Optional.of(new LlamaCppVersion(t, Kind.TAG));
    return Optional.empty();
  }

  /** "node-llama-cpp 3.22.1" or "llama.cpp v0.5.0": what the text names, for sentences. */
  public String describe() {
    return kind == Kind.PACKAGE ? "node-llama-cpp " + text : "llama.cpp " + text;
  }

  @Override
  public String toString() {
    return text;
  }

  /**
   * The order of llama.cpp release tags: build-numbered tags (b8390) by number, then the semantic
   * versions that followed them (v0.4.0 &lt; v0.5.0); negative, zero or positive as a is older, the
   * same or newer than b. Releases only move forward, so a search can bisect package versions by it.
   */
  public static int compareTags(String a, String b) {
    long[] x = tagKey(a);
    long[] y = tagKey(b);
    for (int i = 0; i < x.length; i++) {
      int c = Long.compare(x[i], y[i]);
      if (c != 0) return c;
    }
    return 0;
  }

  private static long[] tagKey(String tag) {
    Matcher b = BUILD_TAG.matcher(tag);
    if (b.matches()) return new long[] {0, Long.parseLong(b.group(1)), 0, 0};
    Matcher v = SEMVER_TAG.matcher(tag);
    if (v.matches()) return new long[] {1, Long.parseLong(v.group(1)), Long.parseLong(v.group(2)), Long.parseLong(v.group(3))};
    throw new IllegalArgumentException("not a llama.cpp release tag: " + tag);
  }

  /** Whether a text is a release tag {@link #compareTags} can order. */
  public static boolean isTag(String text) {
    return BUILD_TAG.matcher(text).matches() || SEMVER_TAG.matcher(text).matches();
  }

  /** llama.cpp's build number for a release: the number of a b8390 tag; 1 for the semantic versions, whose source is one squashed commit. */
  public static int buildNumber(String tag) {
    Matcher b = BUILD_TAG.matcher(tag == null ? "" : tag);
    return b.matches() ? Integer.parseInt(b.group(1)) : 1;
  }
}
