package dev.llamasweep.build;

import dev.llamasweep.llamacpp.Flags;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llamasweep.io.Processes;
import dev.llamasweep.spec.LlamaCppVersion;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resolving llama.cpp versions against a registry made of real package tarballs built here (the
 * layout node-llama-cpp ships: llama/binariesGithubRelease.json and a git bundle of the source), so
 * fetching, the integrity check, the bisection by tag and the offline second resolution are all tested
 * without the network. The real registry is exercised by LlamaCppVersionsIT.
 */
class NpmReleasesTest {
  @TempDir Path dir;
  final PrintStream quiet = new PrintStream(java.io.OutputStream.nullOutputStream());

  @Test
  void versionsParseAsPackagesOrTags() {
    assertEquals(new LlamaCppVersion("3.22.1", LlamaCppVersion.Kind.PACKAGE), LlamaCppVersion.parse("3.22.1").orElseThrow());
    assertEquals(new LlamaCppVersion("3.22.1", LlamaCppVersion.Kind.PACKAGE), LlamaCppVersion.parse("node-llama-cpp@3.22.1").orElseThrow());
    assertEquals(LlamaCppVersion.Kind.TAG, LlamaCppVersion.parse("b8390").orElseThrow().kind());
    assertEquals(LlamaCppVersion.Kind.TAG, LlamaCppVersion.parse("v0.5.0").orElseThrow().kind());
    assertTrue(LlamaCppVersion.parse("latest").isEmpty());
    assertTrue(LlamaCppVersion.parse("3.22").isEmpty());
  }

  @Test
  void tagsOrderBuildNumbersThenSemanticVersions() {
    assertTrue(LlamaCppVersion.compareTags("b8121", "b8390") < 0);
    assertTrue(LlamaCppVersion.compareTags("b10361", "b8390") > 0, "numerically, not as text");
    assertTrue(LlamaCppVersion.compareTags("b10361", "v0.4.0") < 0, "the semantic versions came after the build numbers");
    assertTrue(LlamaCppVersion.compareTags("v0.4.0", "v0.5.0") < 0);
    assertEquals(0, LlamaCppVersion.compareTags("v0.5.0", "v0.5.0"));
    assertEquals(8390, LlamaCppVersion.buildNumber("b8390"));
    assertEquals(1, LlamaCppVersion.buildNumber("v0.4.0"), "the pinned release's build number is unchanged");
  }

  @Test
  void bisectionFindsTheNewestPackageOfATagReadingFewPackages() {
    // the registry as it is (tags read from the packages): 3.22.0 and 3.22.1 both ship v0.5.0
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put("3.16.2", "b8121");
    tags.put("3.18.1", "b8390");
    tags.put("3.20.0", "b10361");
    tags.put("3.21.1", "v0.4.0");
    tags.put("3.22.0", "v0.5.0");
    tags.put("3.22.1", "v0.5.0");
    List<String> read = new ArrayList<>();
    List<String> versions = NpmReleases.stableVersions(List.of("3.22.1", "2.8.16", "3.0.0-beta.44", "3.16.2", "3.20.0", "3.18.1", "3.21.1", "3.22.0"));
    assertEquals(List.of("3.16.2", "3.18.1", "3.20.0", "3.21.1", "3.22.0", "3.22.1"), versions, "3.x releases only, in semver order");
    Optional<String> v = NpmReleases.bisect(versions, "v0.5.0", x -> {
      read.add(x);
      return tags.get(x);
    });
    assertEquals(Optional.of("3.22.1"), v, "the newest package that ships the tag");
    assertTrue(read.size() <= 4, "a bisection reads few packages: " + read);
    assertEquals(Optional.of("3.18.1"), NpmReleases.bisect(versions, "b8390", tags::get));
    assertEquals(Optional.empty(), NpmReleases.bisect(versions, "b9000", tags::get), "a tag no package ships");
  }

  @Test
  void aPackageIsFetchedVerifiedUnpackedAndThenResolvedOffline() throws Exception {
    FakeRegistry reg = new FakeRegistry(dir.resolve("registry"));
    reg.publish("3.21.1", "v0.4.0");
    reg.publish("3.22.1", "v0.5.0");
    Path cache = dir.resolve("cache");
    Release r = new NpmReleases(cache, quiet, reg).resolve(LlamaCppVersion.parse("3.22.1").orElseThrow());
    assertEquals("v0.5.0", r.tag());
    assertEquals("3.22.1", r.packageVersion());
    assertEquals(40, r.commit().length());
    assertTrue(r.date().startsWith("20"), r.date());
    Path src = cache.resolve("llama.cpp").resolve(r.shortCommit()).resolve("src");
    assertTrue(Files.isRegularFile(src.resolve("CMakeLists.txt")), "the bundle is cloned where the toolchain builds from");
    assertEquals(r.shortCommit(), new Toolchain(cache, quiet).forRelease(r).source().getParent().getFileName().toString());

    // the second resolution, by tag this time, asks nothing of the registry
    FakeRegistry offline = new FakeRegistry(dir.resolve("none"));
    offline.offline = true;
    Release again = new NpmReleases(cache, quiet, offline).resolve(LlamaCppVersion.parse("3.22.1").orElseThrow());
    assertEquals(r, again);
    assertEquals(Optional.of(r), new NpmReleases(cache, quiet, offline).resolveIfKnown(LlamaCppVersion.parse("v0.5.0").orElseThrow()));
    assertTrue(new NpmReleases(cache, quiet, offline).resolveIfKnown(LlamaCppVersion.parse("v0.9.0").orElseThrow()).isEmpty());
  }

  @Test
  void aTagResolvesThroughTheRegistry() throws Exception {
    FakeRegistry reg = new FakeRegistry(dir.resolve("registry"));
    reg.publish("3.18.1", "b8390");
    reg.publish("3.20.0", "b10361");
    reg.publish("3.21.1", "v0.4.0");
    reg.publish("3.22.0", "v0.5.0");
    Release r = new NpmReleases(dir.resolve("cache"), quiet, reg).resolve(LlamaCppVersion.parse("b10361").orElseThrow());
    assertEquals("3.20.0", r.packageVersion());
    assertEquals(10361, r.buildNumber());
    NpmReleases.Unresolved e = assertThrows(NpmReleases.Unresolved.class,
        () -> new NpmReleases(dir.resolve("cache"), quiet, reg).resolve(LlamaCppVersion.parse("b9999").orElseThrow()));
    assertEquals("no node-llama-cpp package on the npm registry ships llama.cpp b9999 (newest: 3.22.0 ships v0.5.0)", e.getMessage());
  }

  @Test
  void aTarballThatDoesNotMatchTheRegistrysHashIsRefused() throws Exception {
    FakeRegistry reg = new FakeRegistry(dir.resolve("registry"));
    reg.publish("3.22.1", "v0.5.0");
    reg.lie = true;
    Path cache = dir.resolve("cache");
    NpmReleases.Unresolved e = assertThrows(NpmReleases.Unresolved.class,
        () -> new NpmReleases(cache, quiet, reg).resolve(LlamaCppVersion.parse("3.22.1").orElseThrow()));
    assertTrue(e.getMessage().startsWith("refusing node-llama-cpp 3.22.1: its tarball hashes to sha512-"), e.getMessage());
    try (var s = Files.list(cache.resolve("llama.cpp"))) {
      assertFalse(s.anyMatch(p -> !p.getFileName().toString().startsWith(".") && !p.getFileName().toString().equals("releases.json")),
          "nothing of a refused package is kept");
    }
  }

  @Test
  void aVersionTheRegistryLacksIsOneSentence() {
    FakeRegistry reg = new FakeRegistry(dir.resolve("registry"));
    NpmReleases.Unresolved e = assertThrows(NpmReleases.Unresolved.class,
        () -> new NpmReleases(dir.resolve("cache"), quiet, reg).resolve(LlamaCppVersion.parse("3.99.0").orElseThrow()));
    assertEquals("the npm registry has no node-llama-cpp@3.99.0", e.getMessage());
  }

  @Test
  void aFlagAVersionLacksIsFoundInItsHelp() {
    String help = "usage: llama-bench [options]\n  -m, --model <filename>  (default: x)\n  -p, --n-prompt <n>\n  -n, --n-gen <n>\n"
        + "  -fa, --flash-attn <0|1>\n  -o, --output <csv|json|jsonl|md|sql>\n";
    assertEquals(List.of(), Flags.notInHelp(help, List.of("-m", "/models/a b.gguf", "-p", "512", "-n", "-1", "-fa", "1", "-o", "jsonl")));
    assertEquals(List.of("-d", "-lm"), Flags.notInHelp(help, List.of("-m", "x", "-d", "0", "-lm", "none", "-d", "4")));
  }

  /** Real tarballs, each with the files node-llama-cpp ships, and the registry's integrity hash of each. */
  static final class FakeRegistry implements NpmReleases.Registry {
    final Path root;
    final Map<String, Path> tarballs = new LinkedHashMap<>();
    boolean lie;
    boolean offline;

    FakeRegistry(Path root) {
      this.root = root;
    }

    void publish(String version, String tag) throws IOException {
      Path work = Files.createDirectories(root.resolve(version));
      Path repo = Files.createDirectories(work.resolve("repo"));
      Files.writeString(repo.resolve("CMakeLists.txt"), "project(llama " + tag + ")\n");
      Path llama = Files.createDirectories(work.resolve("package/llama"));
      Files.writeString(llama.resolve("binariesGithubRelease.json"), "{\n    \"release\": \"" + tag + "\"\n}\n");
      Processes.check(List.of("git", "-C", repo.toString(), "init", "-q"), work, "git init");
      Processes.check(List.of("git", "-C", repo.toString(), "add", "."), work, "git add");
      Processes.check(List.of("git", "-C", repo.toString(), "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "## SQUASHED ##"),
          work, "git commit");
      Processes.check(List.of("git", "-C", repo.toString(), "bundle", "create", "-q", llama.resolve("gitRelease.bundle").toString(), "HEAD"),
          work, "git bundle");
      Path tgz = root.resolve("node-llama-cpp-" + version + ".tgz");
      Processes.check(List.of("tar", "-czf", tgz.toString(), "-C", work.toString(), "package"), work, "tar");
      tarballs.put(version, tgz);
    }

    @Override
    public List<String> versions() {
      if (offline) throw new AssertionError("asked the registry while offline");
      return List.copyOf(tarballs.keySet());
    }

    @Override
    public String integrity(String version) {
      if (offline) throw new AssertionError("asked the registry while offline");
      if (!tarballs.containsKey(version)) throw new NpmReleases.Unresolved("the npm registry has no node-llama-cpp@" + version);
      return lie ? "sha512-AAAA" : NpmReleases.sri(tarballs.get(version));
    }

    @Override
    public Path pack(String version, Path into) {
      if (offline) throw new AssertionError("asked the registry while offline");
      try {
        return Files.copy(tarballs.get(version), into.resolve(tarballs.get(version).getFileName()));
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }
}
