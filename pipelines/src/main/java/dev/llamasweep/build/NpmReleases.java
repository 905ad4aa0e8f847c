package dev.llamasweep.build;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llamasweep.io.Processes;
import dev.llamasweep.io.Processes.ToolFailure;
import dev.llamasweep.spec.LlamaCppVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * llama.cpp releases other than the pinned one, from the npm registry: each node-llama-cpp package
 * ships the llama.cpp release it was made with as a git bundle and names its tag in
 * llama/binariesGithubRelease.json. A package version resolves by fetching it (its tarball checked
 * against the registry's integrity hash); a release tag resolves to the newest package that ships it,
 * found by bisecting the package versions (releases only move forward), reading a package's tag only.
 * What is learnt is kept in {@code <cache>/llama.cpp/releases.json}, so a second resolution fetches nothing.
 */
public final class NpmReleases {
  static final String PACKAGE = "node-llama-cpp";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What llama-sweep asks of the npm registry; the real one runs the npm command line (its proxy and registry settings apply). */
  public interface Registry {
    /** Every published version of node-llama-cpp. */
    List<String> versions();

    /** The registry's integrity hash of a version's tarball ("sha512-…"). */
    String integrity(String version);

    /** Downloads a version's tarball into a directory and returns it. */
    Path pack(String version, Path dir);
  }

  /** Why a version cannot be had; its backend's cells are skipped with this sentence. */
  public static final class Unresolved extends RuntimeException {
    public Unresolved(String why) { super(why); }
  }

  private final Path cache;
  private final PrintStream progress;
  private final Registry registry;

  public NpmReleases(Path cache, PrintStream progress, Registry registry) {
    this.cache = cache;
    this.progress = progress;
    this.registry = registry;
  }

  public NpmReleases(Path cache, PrintStream progress) {
    this(cache, progress, new NpmCli());
  }

  private Path table() {
    return cache.resolve("llama.cpp").resolve("releases.json");
  }

  /** The release a version names, fetched and verified, with its source unpacked where {@link Toolchain#source()} looks. */
  public Release resolve(LlamaCppVersion version) {
    Optional<Release> before = resolveIfKnown(version);
    if (before.isPresent() && Files.isRegularFile(sourceOf(before.get()).resolve("CMakeLists.txt"))) return before.get();
    String pkg = version.kind() == LlamaCppVersion.Kind.PACKAGE ? version.text() : packageFor(version.text());
    Release known = known(pkg);
    if (known != null && Files.isRegularFile(sourceOf(known).resolve("CMakeLists.txt"))) {
      return checkTag(version, known);
    }
    return checkTag(version, fetch(pkg));
  }

  /** The release a version names if it was fetched before, without touching the network (what {@code plan} and {@code reports} use). */
  public Optional<Release> resolveIfKnown(LlamaCppVersion version) {
    ObjectNode t = readTable();
    String pkg = version.text();
    if (version.kind() == LlamaCppVersion.Kind.TAG) {
      pkg = newestWithTag(t, version.text()).orElse(null);
      if (pkg == null) return Optional.empty();
    }
    return Optional.ofNullable(known(pkg));
  }

  private static Release checkTag(LlamaCppVersion asked, Release r) {
    if (asked.kind() == LlamaCppVersion.Kind.TAG && !asked.text().equals(r.tag())) {
      throw new Unresolved("node-llama-cpp " + r.packageVersion() + " ships llama.cpp " + r.tag() + ", not " + asked.text());
    }
    return r;
  }

  private Path sourceOf(Release r) {
    return cache.resolve("llama.cpp").resolve(r.shortCommit()).resolve("src");
  }

  private Release known(String pkg) {
    JsonNode r = readTable().path("releases").path(pkg);
    return r.isObject() ? Release.fromJson(r) : null;
  }

  /** The newest package that ships a tag, bisecting the registry's versions and reading only each probed package's tag. */
  String packageFor(String tag) {
    List<String> versions = stableVersions(registry.versions());
    progress.println("llama.cpp " + tag + ": finding the node-llama-cpp package that ships it (bisecting " + versions.size()
        + " package versions; each probe reads one package's release tag)");
    Optional<String> found = bisect(versions, tag, this::tagOf);
    if (found.isEmpty()) {
      String last = versions.isEmpty() ? null : versions.get(versions.size() - 1);
      String lastTag = last == null ? null : tagOf(last);
      String newest = last == null ? "none" : last + (lastTag == null ? " names no release" : " ships " + lastTag);
      throw new Unresolved("no node-llama-cpp package on the npm registry ships llama.cpp " + tag + " (newest: " + newest + ")");
    }
    return found.get();
  }

  /**
   * The newest version whose tag is {@code tag}, or empty. Versions are in ascending order and their
   * tags never go backwards, so the search halves the range at each probe and then walks up past
   * packages that re-ship the same release.
   */
  static Optional<String> bisect(List<String> ascending, String tag, Function<String, String> tagOf) {
    int lo = 0;
    int hi = ascending.size() - 1;
    int hit = -1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      String t = tagOf.apply(ascending.get(mid));
      int c = t == null || !LlamaCppVersion.isTag(t) ? -1 : LlamaCppVersion.compareTags(t, tag);
      if (c == 0) {
        hit = mid;
        break;
      }
      if (c < 0) lo = mid + 1;
      else hi = mid - 1;
    }
    if (hit < 0) return Optional.empty();
    while (hit + 1 < ascending.size() && tag.equals(tagOf.apply(ascending.get(hit + 1)))) hit++;
    return Optional.of(ascending.get(hit));
  }

  /** Versions 3.0.0 and later without a pre-release part (the ones that ship the llama.cpp bundle), ascending. */
  static List<String> stableVersions(List<String> all) {
    return all.stream().filter(v -> v.matches("\\d+\\.\\d+\\.\\d+") && Integer.parseInt(v.substring(0, v.indexOf('.'))) >= 3)
        .sorted(Comparator.comparing(NpmReleases::semverKey)).toList();
  }

  private static String semverKey(String v) {
    StringBuilder s = new StringBuilder();
    for (String p : v.split("\\.")) s.append(String.format("%08d", Long.parseLong(p)));
    return s.toString();
  }

  private static Optional<String> newestWithTag(ObjectNode t, String tag) {
    List<String> with = new ArrayList<>();
    t.path("tags").fields().forEachRemaining(e -> {
      if (e.getValue().asText().equals(tag)) with.add(e.getKey());
    });
    return with.stream().filter(v -> v.matches("\\d+\\.\\d+\\.\\d+")).max(Comparator.comparing(NpmReleases::semverKey));
  }

  /** A package's release tag, read from its tarball (kept in the table so it is read once). */
  private String tagOf(String version) {
    JsonNode cached = readTable().path("tags").path(version);
    if (cached.isTextual()) return cached.asText();
    Path work = workDir();
    try {
      Path tgz = verifiedPack(version, work).tgz();
      String tag = readTag(tgz, work, version);
      remember(version, tag, null);
      progress.println("  node-llama-cpp " + version + " ships llama.cpp " + tag);
      return tag;
    } catch (Unresolved e) {
      // a package that names no release (the early 3.x ones) sorts before every tag: the search moves on past it
      progress.println("  node-llama-cpp " + version + ": " + e.getMessage());
      return null;
    } finally {
      delete(work);
    }
  }

  /** Fetches a package, verifies it, unpacks its llama.cpp bundle into the cache and records the release. */
  private Release fetch(String version) {
    progress.println("llama.cpp from node-llama-cpp " + version + ": fetching it from the npm registry");
    Path work = workDir();
    try {
      Verified v = verifiedPack(version, work);
      Path tgz = v.tgz();
      String tag = readTag(tgz, work, version);
      Processes.Captured x = Processes.captureWithExit(List.of("tar", "-xzf", tgz.toString(), "-C", work.toString(),
          "package/llama/gitRelease.bundle"), null, 300);
      if (x == null || x.exit() != 0) {
        throw new Unresolved("node-llama-cpp " + version + " ships no llama.cpp git bundle (llama/gitRelease.bundle), so llama-sweep cannot build it");
      }
      Path clone = work.resolve("src");
      Processes.check(List.of("git", "clone", "--quiet", work.resolve("package/llama/gitRelease.bundle").toString(), clone.toString()), work,
          "git clone of the llama.cpp bundle in node-llama-cpp " + version);
      String commit = Processes.check(List.of("git", "-C", clone.toString(), "rev-parse", "HEAD"), work, "git rev-parse").trim();
      String date = Processes.check(List.of("git", "-C", clone.toString(), "log", "-1", "--format=%cI"), work, "git log").trim();
      Release r = new Release(version, tag, commit, date, v.integrity());
      Path source = sourceOf(r);
      if (!Files.isRegularFile(source.resolve("CMakeLists.txt"))) {
        Files.createDirectories(source.getParent());
        Files.move(clone, source, StandardCopyOption.ATOMIC_MOVE);
      }
      remember(version, tag, r);
      progress.println("llama.cpp " + r.describe() + ": source in " + source);
      return r;
    } catch (ToolFailure e) {
      throw new Unresolved(e.getMessage().lines().findFirst().orElse("fetching node-llama-cpp " + version + " failed"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      delete(work);
    }
  }

  /** Downloads a version and checks its sha512 against the registry's integrity hash; a mismatch is refused. */
  /** A downloaded tarball and the registry's integrity hash it was checked against. */
  private record Verified(Path tgz, String integrity) {}

  private Verified verifiedPack(String version, Path work) {
    String integrity = registry.integrity(version);
    Path tgz = registry.pack(version, work);
    String actual = sri(tgz);
    if (!actual.equals(integrity)) {
      throw new Unresolved("refusing node-llama-cpp " + version + ": its tarball hashes to " + actual + " but the registry says " + integrity);
    }
    return new Verified(tgz, integrity);
  }

  private static String readTag(Path tgz, Path work, String version) {
    Processes.Captured c = Processes.captureWithExit(List.of("tar", "-xzOf", tgz.toString(), "package/llama/binariesGithubRelease.json"), null, 120);
    try {
      if (c == null || c.exit() != 0) throw new IOException("no llama/binariesGithubRelease.json");
      String tag = JSON.readTree(c.output()).path("release").asText("");
      if (tag.isEmpty()) throw new IOException("its llama/binariesGithubRelease.json names no release");
      return tag;
    } catch (IOException e) {
      throw new Unresolved("node-llama-cpp " + version + " does not say which llama.cpp release it ships (" + e.getMessage() + ")");
    }
  }

  /** "sha512-" and the base64 of the file's SHA-512, the form of npm's integrity field. */
  static String sri(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest md = MessageDigest.getInstance("SHA-512");
      byte[] buf = new byte[1 << 16];
      int n;
      while ((n = in.read(buf)) > 0) md.update(buf, 0, n);
      return "sha512-" + Base64.getEncoder().encodeToString(md.digest());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private synchronized void remember(String version, String tag, Release r) {
    ObjectNode t = readTable();
    t.with("tags").put(version, tag);
    if (r != null) t.with("releases").set(version, r.toJson());
    try {
      Files.createDirectories(table().getParent());
      Path tmp = Files.createTempFile(table().getParent(), ".releases-", ".json");
      JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), t);
      Files.move(tmp, table(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private ObjectNode readTable() {
    try {
      if (Files.isRegularFile(table())) {
        JsonNode n = dev.llamasweep.io.InputFiles.json(table(), dev.llamasweep.io.InputFiles.Kind.RECORD);
        if (n instanceof ObjectNode o) return o;
      }
    } catch (IllegalArgumentException e) {
      // a damaged table is relearnt
    }
    return JSON.createObjectNode();
  }

  private Path workDir() {
    try {
      Path root = Files.createDirectories(cache.resolve("llama.cpp"));
      return Files.createTempDirectory(root, ".npm-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void delete(Path p) {
    try {
      Toolchain.deleteTree(p);
    } catch (IOException e) {
      // a temporary directory left behind is harmless
    }
  }

  /** The npm command line: {@code npm view} for versions and integrity, {@code npm pack} for tarballs. */
  static final class NpmCli implements Registry {
    @Override
    public List<String> versions() {
      JsonNode v = view(PACKAGE, "versions");
      List<String> out = new ArrayList<>();
      v.forEach(x -> out.add(x.asText()));
      return out;
    }

    @Override
    public String integrity(String version) {
      return view(PACKAGE + "@" + version, "dist.integrity").asText();
    }

    @Override
    public Path pack(String version, Path dir) {
      Processes.Captured c = Processes.captureWithExit(List.of("npm", "pack", PACKAGE + "@" + version, "--silent", "--pack-destination",
          dir.toString()), null, 600);
      if (c == null || c.exit() != 0) throw new Unresolved("npm pack " + PACKAGE + "@" + version + " failed: " + firstError(c));
      try (var files = Files.list(dir)) {
        return files.filter(f -> f.toString().endsWith(".tgz")).findFirst()
            .orElseThrow(() -> new Unresolved("npm pack " + PACKAGE + "@" + version + " left no tarball"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private static JsonNode view(String spec, String field) {
      Processes.Captured c = Processes.captureWithExit(List.of("npm", "view", spec, field, "--json"), null, 120);
      if (c == null) throw new Unresolved("npm view " + spec + " did not run or answer within 120 s (is npm installed and the npm registry reachable?)");
      if (c.exit() != 0 || c.output().isBlank()) {
        throw new Unresolved(c.output().contains("E404") || c.output().isBlank() ? "the npm registry has no " + spec
            : "npm view " + spec + " failed: " + firstError(c));
      }
      try {
        return JSON.readTree(c.output());
      } catch (IOException e) {
        throw new Unresolved("npm view " + spec + " printed no JSON: " + firstError(c));
      }
    }

    private static String firstError(Processes.Captured c) {
      if (c == null) return "it did not finish";
      return c.output().lines().filter(l -> l.contains("ERR")).findFirst().orElse(c.output().lines().findFirst().orElse("exit " + c.exit()))
          .replaceFirst("^npm (ERR!|error) ", "").strip();
    }
  }
}
