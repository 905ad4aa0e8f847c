package dev.llamasweep.spec;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Hugging Face model as llama.cpp's -hf names it: "user/repo" (hf-cache.cpp's is_valid_repo_id: letters, digits
 * and '_', with single '.', '-' or the one '/' between them) and an optional quantisation tag after ':'; without a
 * tag llama.cpp picks Q4_K_M, then Q8_0, then the first model file of the repository.
 */
public record HfRef(String repo, String tag) {
  static final Pattern REF = Pattern.compile("^([A-Za-z0-9_]+(?:[.-][A-Za-z0-9_]+)*/[A-Za-z0-9_]+(?:[.-][A-Za-z0-9_]+)*)(?::([A-Za-z0-9_]+))?$");

  /** The reference, or null when llama.cpp would not accept it. */
  public static HfRef parse(String text) {
    Matcher m = REF.matcher(text);
    if (!m.matches() || text.length() > 256 + 64) return null;
    return new HfRef(m.group(1), m.group(2) == null ? "" : m.group(2));
  }

  /** "Qwen/Qwen3-8B-GGUF:Q4_K_M", as -hf takes it. */
  @Override
  public String toString() {
    return tag.isEmpty() ? repo : repo + ":" + tag;
  }
}
