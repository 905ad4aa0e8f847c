package dev.llamasweep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llamasweep.cli.Main;
import dev.llamasweep.io.Processes;
import dev.llamasweep.results.LlamaBenchSql;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * llama-bench's own SQLite output (llama-bench -o sql piped into Debian's sqlite3) ingested and
 * exported again gives the same rows in the same schema; our own sweep exported and compared with
 * itself ingested from its raw JSONL lines up cell for cell.
 */
class SqliteRoundTripIT {
  static Path cache;
  static Path bin;
  static Path model;

  @TempDir Path work;

  @BeforeAll
  static void build() {
    cache = LlamaCpp.cache();
    bin = LlamaCpp.toolchain().ensureCpuBuild();
    model = LlamaCpp.target();
  }

  int cli(String... args) {
    return Main.execute(args);
  }

  @Test
  void llamaBenchSqlRoundTrip() throws Exception {
    Path theirs = work.resolve("theirs.sqlite");
    String sql = Processes.check(List.of(bin.resolve("llama-bench").toString(), "-m", model.toString(), "-p", "32", "-n", "8", "-r", "3",
        "-o", "sql"), work, "llama-bench -o sql");
    Path script = Files.writeString(work.resolve("bench.sql"), sql.lines().filter(l -> !l.startsWith("ggml_") && !l.startsWith("build:")
        && !l.startsWith("llama_") && !l.startsWith("load_")).reduce("", (a, b) -> a + b + "\n"));
    Processes.check(List.of("sqlite3", "-bail", theirs.toString(), ".read " + script), work, "sqlite3");
    List<Map<String, Object>> original = LlamaBenchSql.read(theirs);
    assertEquals(2, original.size());

    assertEquals(0, cli("ingest", theirs.toString(), "--name", "theirs", "--data-root", work.resolve("data").toString(),
        "--reports-root", work.resolve("reports").toString()));
    Path ours = work.resolve("ours.sqlite");
    assertEquals(0, cli("export-sql", work.resolve("data/theirs").toString(), "--out", ours.toString()));
    assertEquals(original, LlamaBenchSql.read(ours), "the same rows, field for field");
    assertEquals(Processes.check(List.of("sqlite3", theirs.toString(), ".schema llama_bench"), work, "schema"),
        Processes.check(List.of("sqlite3", ours.toString(), ".schema llama_bench"), work, "schema"));
  }

  @Test
  void ourSweepExportedAndComparedWithItsOwnRawOutput() throws Exception {
    Path spec = Files.writeString(work.resolve("s.yaml"), """
        name: rt
        backends: {cpu: {build: cpu, threads: auto, gpu_layers: 0}}
        models: {target: {synthetic: target, quant: Q4_K_M}}
        experiments:
          - {name: e, grid: {model: target, backend: cpu, prompt: 32, generate: 8, repetitions: 3}}
        """);
    String data = work.resolve("data").toString();
    assertEquals(0, cli("run", spec.toString(), "--data-root", data, "--reports-root", work.resolve("reports").toString(), "--cache", cache.toString()));
    Path db = work.resolve("rt.sqlite");
    assertEquals(0, cli("export-sql", spec.toString(), "--data-root", data, "--out", db.toString()));
    List<Map<String, Object>> rows = LlamaBenchSql.read(db);
    assertEquals(2, rows.size());
    assertEquals("80fb11a", rows.get(0).get("build_commit"));
    // llama.cpp's own comparison script reads it
    String table = Processes.check(List.of("/usr/bin/python3",
        LlamaCpp.toolchain().source().resolve("scripts/compare-llama-bench.py").toString(), "-i", db.toString(), "-b", "80fb11a", "-c", "80fb11a"),
        work, "scripts/compare-llama-bench.py");
    assertTrue(table.contains("| pp32 ") && table.contains("| tg8 "), table);

    // the raw llama-bench JSONL of the run, ingested as if measured elsewhere
    Path jsonl;
    try (var dirs = Files.list(work.resolve("data/rt/raw"))) {
      jsonl = dirs.findFirst().orElseThrow().resolve("stdout.jsonl");
    }
    assertEquals(0, cli("ingest", jsonl.toString(), "--name", "elsewhere", "--data-root", data, "--reports-root", work.resolve("reports").toString()));
    Path out = work.resolve("cmp");
    assertEquals(0, cli("compare", spec.toString(), work.resolve("data/elsewhere").toString(), "--data-root", data, "--out", out.toString()));
    String md = Files.readString(out.resolve("compare.md"));
    assertTrue(md.contains("2 matching tests: 0 faster, 0 slower, 2 within noise."), md);
    assertTrue(md.contains("| 1.000 | +0.0% (95% CI -"), md);
    assertTrue(Files.readString(out.resolve("compare.html")).contains("<table>"));
  }
}
