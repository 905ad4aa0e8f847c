package dev.llamasweep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bench-host executor: target/llama-sweep-executor.jar holds nothing of Beam, Flink, Tablesaw,
 * JFreeChart, SQLite or our aggregation and report packages, runs real cells on its own with only a
 * JRE, and the data directory it leaves is aggregated and reported by the full llama-sweep.
 */
class ExecutorJarIT {
  static final Path JAR = Path.of("target/llama-sweep-executor.jar");
  static final List<String> FORBIDDEN = List.of("org/apache/beam/", "org/apache/flink/", "tech/tablesaw/", "org/jfree/", "org/sqlite/",
      "dev/llamasweep/cli/", "dev/llamasweep/aggregation/", "dev/llamasweep/table/", "dev/llamasweep/report/");

  @TempDir Path work;

  @Test
  void noClassInTheExecutorReferencesTheHeavyLibraries() throws Exception {
    int classes = 0;
    List<String> bad = new ArrayList<>();
    java.util.Set<String> inJar = new java.util.HashSet<>();
    java.util.regex.Pattern ours = java.util.regex.Pattern.compile("dev/llamasweep/[a-z]+/[A-Za-z0-9_$]+");
    try (ZipFile z = new ZipFile(JAR.toFile())) {
      for (ZipEntry e : java.util.Collections.list(z.entries())) inJar.add(e.getName());
      for (ZipEntry e : java.util.Collections.list(z.entries())) {
        String name = e.getName();
        for (String f : FORBIDDEN) if (name.startsWith(f)) bad.add(name + " is in the jar");
        if (!name.endsWith(".class")) continue;
        classes++;
        // a class's constant pool names every class it refers to as "pkg/Name": a reference is found in its bytes
        try (InputStream in = z.getInputStream(e)) {
          String bytes = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
          for (String f : FORBIDDEN) if (bytes.contains(f)) bad.add(name + " refers to " + f);
          // and every class of ours it names is in the jar too (a package left out of the shade includes fails here, not on a bench host)
          java.util.regex.Matcher m = ours.matcher(bytes);
          while (m.find()) if (!inJar.contains(m.group() + ".class") && !FORBIDDEN.stream().anyMatch(m.group()::startsWith)) bad.add(name + " refers to " + m.group() + ", which is not in the jar");
        }
      }
    }
    assertTrue(classes > 500, "the executor jar has its libraries: " + classes + " classes");
    assertTrue(bad.isEmpty(), String.join("\n", bad));
    long mib = Files.size(JAR) >> 20;
    assertTrue(mib < 16, "the executor stays small: " + mib + " MiB");
  }

  @Test
  void theExecutorRunsCellsAloneAndTheFullToolReportsThem() throws Exception {
    LlamaCpp.draft();
    Path spec = Files.writeString(work.resolve("ex.yaml"), """
        name: ex
        backends: {cpu: {build: cpu, threads: auto, gpu_layers: 0}}
        models: {d: {synthetic: draft, quant: Q8_0}}
        defaults: {prompt: 16, generate: 8, repetitions: 3}
        experiments:
          - {name: t, grid: {model: d, backend: cpu}}
        """);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-jar", JAR.toString(), "run", spec.toString(), "--data-root", work.resolve("data").toString(),
        "--cache", LlamaCpp.cache().toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(300, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    Path data = work.resolve("data/ex");
    for (String f : List.of("samples.csv", "cells.csv", "host.json", "models.json")) assertTrue(Files.isRegularFile(data.resolve(f)), f + "\n" + out);
    assertTrue(Files.readString(data.resolve("host.json")).contains("\"id\""), "the host's identity is recorded");
    // the full tool, from the data directory alone: aggregation (Beam) and the report
    assertEquals(0, dev.llamasweep.cli.Main.execute("corpus", data.toString(), "--out", work.resolve("corpus").toString()));
    String md = Files.readString(work.resolve("corpus/corpus.md"));
    assertTrue(md.contains("## Hosts") && md.contains("tg8"), md);
    assertTrue(Files.readString(work.resolve("corpus/aggregate.csv")).lines().anyMatch(l -> l.startsWith("ex,") && l.contains(",pp16,3,")), md);
  }
}
