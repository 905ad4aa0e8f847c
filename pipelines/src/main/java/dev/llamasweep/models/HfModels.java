package dev.llamasweep.models;


import dev.llamasweep.io.Processes;
import dev.llamasweep.spec.HfRef;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Models named as the blog names them, {@code hf: Qwen/Qwen3-8B-GGUF:Q4_K_M}: fetched by llama.cpp's own
 * downloader into its own cache, so a file the user already fetched with llama-cli is reused, MODEL_ENDPOINT
 * and HF_TOKEN work as they do there, and {@code --offline} never touches the network. The download is
 * llama-bench's {@code -hf} with no test to run (common/download.cpp then exits); the file is found in the
 * cache by the rule llama.cpp uses to load it (common/hf-cache.cpp and find_best_model in download.cpp),
 * and a cell's command names that file with -m, so every cell reads what was resolved once, with no
 * network in a benchmark.
 */
public final class HfModels {
  private HfModels() {}

  /** A resolved file: the snapshot path llama.cpp loads, its size, and its SHA-256 with where that came from. */
  public record Resolved(HfRef ref, Path file, long bytes, String sha256, String sha256From, String commit) {}

  /** llama.cpp's cache directory for this environment: LLAMA_CACHE, HF_HUB_CACHE, HUGGINGFACE_HUB_CACHE, HF_HOME/hub, XDG_CACHE_HOME/huggingface/hub, ~/.cache/huggingface/hub. */
  public static Path cacheDir(Map<String, String> env) {
    String[][] entries = {{"LLAMA_CACHE", ""}, {"HF_HUB_CACHE", ""}, {"HUGGINGFACE_HUB_CACHE", ""}, {"HF_HOME", "hub"},
        {"XDG_CACHE_HOME", "huggingface/hub"}, {"HOME", ".cache/huggingface/hub"}};
    for (String[] e : entries) {
      String v = env.get(e[0]);
      if (v != null && !v.isEmpty()) return e[1].isEmpty() ? Path.of(v) : Path.of(v).resolve(e[1]);
    }
    return Path.of(System.getProperty("user.home"), ".cache", "huggingface", "hub");
  }

  /** The cached file llama.cpp would load for {@code ref}, or null when the cache has none. */
  public static Resolved cached(HfRef ref, Path cacheDir) {
    Path repo = cacheDir.resolve("models--" + ref.repo().replace("/", "--"));
    String commit = cachedRef(repo.resolve("refs"));
    if (commit == null) return null;
    Path snapshot = repo.resolve("snapshots").resolve(commit);
    if (!Files.isDirectory(snapshot)) return null;
    List<String> files = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(snapshot)) {
      walk.filter(p -> !Files.isDirectory(p)).forEach(p -> files.add(snapshot.relativize(p).toString().replace('\\', '/')));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    files.sort(null);
    String best = bestModel(files, ref.tag());
    if (best == null) return null;
    Path file = snapshot.resolve(best);
    // a cache entry is a link to a blob: a link to a device (/dev/zero) or a FIFO would be hashed forever
    dev.llamasweep.io.InputFiles.regular(file, dev.llamasweep.io.InputFiles.Kind.MODEL);
    try {
      Path real = file.toRealPath();
      String name = real.getFileName().toString();
      // the blob of a downloaded file is named by its LFS object id, which is the SHA-256 of its content
      boolean oid = real.getParent() != null && real.getParent().getFileName().toString().equals("blobs") && name.matches("[0-9a-f]{64}");
      return new Resolved(ref, file, Files.size(real), oid ? name : dev.llamasweep.io.Hashes.sha256(real), oid ? "the Hugging Face LFS object id of the cached blob" : "computed",
          commit);
    } catch (IOException e) {
      return null;
    }
  }

  /** refs/main, else the first ref holding a 40-hex commit (hf-cache.cpp's get_cached_ref). */
  static String cachedRef(Path refs) {
    if (!Files.isDirectory(refs)) return null;
    String fallback = null;
    try (Stream<Path> list = Files.list(refs)) {
      for (Path r : list.sorted().toList()) {
        if (!Files.isRegularFile(r)) continue;
        String c;
        try {
          c = dev.llamasweep.io.InputFiles.text(r, dev.llamasweep.io.InputFiles.Kind.RECORD).strip();
        } catch (IllegalArgumentException e) {
          continue;  // not a ref llama.cpp wrote: as llama.cpp does, look at the next one
        }
        if (!c.matches("[0-9a-fA-F]{40}")) continue;
        if (r.getFileName().toString().equals("main")) return c;
        if (fallback == null) fallback = c;
      }
    } catch (IOException e) {
      return null;
    }
    return fallback;
  }

  private static final Pattern SPLIT = Pattern.compile("^(.+)-(\\d{5})-of-(\\d{5})$", Pattern.CASE_INSENSITIVE);

  /** download.cpp's find_best_model: the first model file whose path holds the tag followed by '.' or '-' (Q4_K_M, then Q8_0 with no tag), the first part of a split. */
  static String bestModel(List<String> files, String tag) {
    List<String> tags = tag.isEmpty() ? List.of("Q4_K_M", "Q8_0") : List.of(tag);
    for (String t : tags) {
      Pattern p = Pattern.compile(Pattern.quote(t) + "[.-]", Pattern.CASE_INSENSITIVE);
      for (String f : files) {
        if (isModel(f) && p.matcher(f).find() && firstPart(f)) return f;
      }
    }
    if (tag.isEmpty()) {
      for (String f : files) if (isModel(f) && firstPart(f)) return f;
    }
    return null;
  }

  static boolean isModel(String path) {
    if (!path.endsWith(".gguf")) return false;
    String name = path.substring(path.lastIndexOf('/') + 1);
    return Stream.of("mmproj", "imatrix", "mtp-", "eagle3-", "dflash-", "dspark-").noneMatch(name::contains);
  }

  private static boolean firstPart(String path) {
    Matcher m = SPLIT.matcher(path.substring(0, path.length() - ".gguf".length()));
    return !m.matches() || Integer.parseInt(m.group(3)) <= 1 || Integer.parseInt(m.group(2)) == 1;
  }

  /**
   * The file for {@code ref}. Online, llama-bench's -hf asks the endpoint for the repository's current commit and
   * fetches what the cache lacks (a file already there costs two small API requests); offline, only the cache is
   * read, and a file not there is one sentence.
   */
  public static Resolved resolve(HfRef ref, Path llamaBench, boolean offline, Map<String, String> env, PrintStream progress) {
    Path cache = cacheDir(env);
    if (offline) {
      Resolved r = cached(ref, cache);
      if (r == null) {
        throw new Processes.ToolFailure("hf: " + ref + " is not in llama.cpp's cache (" + cache + ") and --offline forbids downloading it; "
            + "run once without --offline (or with llama-cli -hf " + ref + ") to fetch it.");
      }
      return r;
    }
    progress.println("models: hf: " + ref + " through llama.cpp's downloader (" + endpoint(env) + ", cache " + cache + ")");
    List<String> tail = new ArrayList<>();
    int rc = Processes.run(List.of(llamaBench.toString(), "-hf", ref.toString(), "-p", "0", "-n", "0", "-o", "jsonl"), null, env, line -> {
      tail.add(line);
      if (tail.size() > 20) tail.remove(0);
    });
    Resolved r = cached(ref, cache);
    if (rc != 0 || r == null) {
      String said = String.join(" ", tail).replaceAll("\\s+", " ").strip();
      throw new Processes.ToolFailure("hf: " + ref + " could not be fetched from " + endpoint(env) + " (llama-bench -hf exit " + rc + ": "
          + (said.length() > 300 ? said.substring(said.length() - 300) : said) + ").");
    }
    return r;
  }

  static String endpoint(Map<String, String> env) {
    String e = env.getOrDefault("MODEL_ENDPOINT", env.getOrDefault("HF_ENDPOINT", ""));
    return e.isEmpty() ? "https://huggingface.co/" : e;
  }
}
