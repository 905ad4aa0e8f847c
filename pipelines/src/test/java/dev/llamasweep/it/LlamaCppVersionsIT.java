package dev.llamasweep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A second llama.cpp release, for real: node-llama-cpp 3.22.1 fetched from the npm registry (checked
 * against its integrity hash), its llama-bench built into the shared cache beside the pinned build
 * (once: minutes on 2 cores, then cached by commit), self-tested, and the same cell run on both; the
 * report compares the releases with a verdict. A version the registry does not have is one sentence and
 * its cells are skipped while the others run.
 */
class LlamaCppVersionsIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String NEXT = "3.22.1";

  @TempDir Path work;

  @Test
  void theSameCellOnTwoReleasesComparedWithAVerdict() throws Exception {
    LlamaCpp.target();
    Path spec = Files.writeString(work.resolve("v.yaml"), """
        name: versions
        backends:
          pinned: {build: cpu, threads: auto, gpu_layers: 0}
          next:   {build: cpu, threads: auto, gpu_layers: 0, llama_cpp: %s}
          gone:   {build: cpu, threads: auto, gpu_layers: 0, llama_cpp: 3.99.0}
        models: {target: {synthetic: target, quant: Q4_K_M}}
        defaults: {prompt: 32, generate: 8, repetitions: 3}
        experiments:
          - name: release
            grid: {model: target, backend: [pinned, next, gone]}
        """.formatted(NEXT));
    assertEquals(0, LlamaCpp.sweep(work, "run", spec), "a version that cannot be had skips its cells; the others run");

    Map<String, JsonNode> byBackend = new HashMap<>();
    try (Stream<Path> dirs = Files.list(work.resolve("data/versions/raw"))) {
      for (Path d : dirs.toList()) {
        JsonNode cell = JSON.readTree(d.resolve("cell.json").toFile());
        byBackend.put(cell.get("params").get("backend").asText(), JSON.readTree(d.resolve("result.json").toFile()));
      }
    }
    assertEquals("ok", byBackend.get("pinned").get("status").asText(), byBackend.get("pinned").toString());
    assertEquals("ok", byBackend.get("next").get("status").asText(), byBackend.get("next").toString());
    assertEquals("80fb11a", byBackend.get("pinned").get("build_commit").asText());
    String nextCommit = byBackend.get("next").get("build_commit").asText();
    assertTrue(!nextCommit.equals("80fb11a") && nextCommit.matches("[0-9a-f]{7}"), "llama-bench itself reports the other build: " + nextCommit);
    String gone = byBackend.get("gone").get("status").asText() + ": " + byBackend.get("gone").path("reason").asText();
    assertTrue(gone.contains("skipped") && gone.contains("the npm registry has no node-llama-cpp@3.99.0"), gone);

    JsonNode host = JSON.readTree(work.resolve("data/versions/host.json").toFile());
    JsonNode release = host.get("backends").get("next").get("build").get("llama_cpp");
    assertEquals("node-llama-cpp@" + NEXT, release.get("package").asText());
    assertTrue(release.get("integrity").asText().startsWith("sha512-"), release.toString());
    assertTrue(release.get("commit").asText().startsWith(nextCommit), release + " vs " + nextCommit);
    assertTrue(host.get("backends").get("next").get("build").get("self_test").asText().endsWith("pp and tg ok"),
        "the second release proved itself like the pinned one: " + host.get("backends").get("next").get("build").get("self_test"));

    String md = Files.readString(work.resolve("reports/versions/report.md"));
    String tag = release.get("tag").asText();
    assertTrue(md.contains("llama.cpp builds: 80fb11a (build 1) for pinned; " + nextCommit + " (build ") || md.contains(
        "for next; 80fb11a (build 1) for pinned"), "the build line names each backend's build: " + md.lines().filter(l -> l.contains("builds")).toList());
    assertTrue(md.contains("### backend: llama.cpp release v0.4.0 → " + tag), md);
    assertTrue(md.contains("Baseline **pinned**: llama.cpp v0.4.0 (80fb11a, 2026-09-12; node-llama-cpp 3.21.1); candidate **next**: llama.cpp " + tag), md);
    // on a CPU whose AMX kernels crash one release may be routed around them and the other not: then the report says so
    assertTrue(md.contains("The two arms differ in the llama.cpp release only") || md.contains("The arms also differ in build: cpu ("), md);
    assertTrue(md.matches("(?s).*\\| tg8 \\| [0-9.]+ ± [0-9.]+ \\| [0-9.]+ ± [0-9.]+ \\| [−+-][0-9.]+% .*\\| (faster|slower|within noise) \\(.*"),
        "a change with its interval and a verdict per test: " + md.lines().filter(l -> l.contains("tg8")).toList());
    assertTrue(md.contains("Not in this comparison: `gone` skipped"), md);
    assertTrue(md.contains("| next | none listed (CPU) | " + tag + " ("), "the backends table names the release: " + md);

    // plan names the release's own build directory, from the cache alone
    assertEquals(0, LlamaCpp.sweep(work, "plan", spec));

    // a flag the version's llama-bench does not list is said before anything runs, at the line naming the version
    Files.writeString(spec, Files.readString(spec).replace("llama_cpp: %s}".formatted(NEXT), "llama_cpp: %s, args: [--no-such-flag, \"1\"]}".formatted(NEXT)));
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    java.io.PrintStream old = System.err;
    System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
    int rc;
    try {
      rc = LlamaCpp.sweep(work, "run", spec, "--force");
    } finally {
      System.setErr(old);
    }
    String said = err.toString(java.nio.charset.StandardCharsets.UTF_8);
    assertEquals(2, rc, said);
    assertTrue(said.contains("v.yaml:4:") && said.contains("names llama.cpp " + tag + " (" + nextCommit) && said.contains("whose llama-bench does not accept --no-such-flag"),
        said);
  }
}
