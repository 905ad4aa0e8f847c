package dev.llamasweep.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llamasweep.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Results from elsewhere as a user expects them: one test per promise of the ingest/compare issue. */
class IngestUxTest {
  @TempDir Path dir;

  static String h100() throws IOException {
    try (var in = IngestUxTest.class.getResourceAsStream("/h100/llama-bench-tg512-during-power-trace.jsonl")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
    }
  }

  Path file(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text);
  }

  /** Runs the command line, returning its exit code; stderr goes to {@link #err}. */
  int cli(String... args) {
    List<String> a = new ArrayList<>(List.of(args));
    a.addAll(List.of("--data-root", dir.resolve("data").toString()));
    if (!args[0].equals("compare") && !args[0].equals("export-sql")) a.addAll(List.of("--reports-root", dir.resolve("reports").toString()));
    PrintStream old = System.err;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      return Main.execute(a.toArray(String[]::new));
    } finally {
      System.setErr(old);
      err = buf.toString(StandardCharsets.UTF_8);
    }
  }

  String err = "";

  @Test
  void aDatasetNameIsAcceptedByEveryCommand() throws IOException {
    Path fa1 = file("fa1.jsonl", h100() + "\n");
    Path fa0 = file("fa0.jsonl", h100().replace("\"flash_attn\": 1", "\"flash_attn\": 0").replace("337.958", "300.1") + "\n");
    assertEquals(0, cli("ingest", fa1.toString(), "--name", "h100-fa1"));
    assertEquals(0, cli("ingest", fa0.toString(), "--name", "h100-fa0"));
    String out = dir.resolve("cmp").toString();
    // the two differ in flash attention: nothing matches, and compare says which fields differ instead of hiding them
    assertEquals(3, Main.execute("compare", "h100-fa0", "h100-fa1", "--data-root", dir.resolve("data").toString(), "--out", out));
    String cmp = Files.readString(dir.resolve("cmp/compare.md"));
    assertTrue(cmp.contains("0 matching tests") && cmp.contains("Only in A") && cmp.contains("Only in B"), cmp);
    assertTrue(cmp.contains("differs from its nearest counterpart in: flash_attn 0 vs 1"), cmp);
    assertEquals(0, Main.execute("compare", "h100-fa1", "h100-fa1", "--data-root", dir.resolve("data").toString(), "--out", out));
    assertEquals(0, cli("reports", "h100-fa1"));
    assertEquals(0, Main.execute("export-sql", "h100-fa1", "--data-root", dir.resolve("data").toString(), "--out", dir.resolve("x.sqlite").toString()));
    assertEquals(2, Main.execute("compare", "nope", "h100-fa1", "--data-root", dir.resolve("data").toString(), "--out", out));
  }

  @Test
  void aVendorsGbPerSecondIsAWallAndReportsCanChangeIt() throws IOException {
    Path f = file("m.jsonl", h100().replace("NVIDIA H100 80GB HBM3", "Apple M2 Ultra").replace("\"CUDA\"", "\"Metal\"") + "\n");
    assertEquals(0, cli("ingest", f.toString(), "--name", "m2", "--memory", "800GB/s"));
    String md = Files.readString(dir.resolve("reports/m2/report.md"));
    assertTrue(md.contains("Theoretical wall: **800 GB/s** as given (given to ingest --memory as 800GB/s)"), md);
    assertFalse(md.contains("from the spec's host.memory"), md);
    // re-rendering with another wall, which the dataset keeps
    assertEquals(0, cli("reports", "m2", "--memory", "5600:128"));
    md = Files.readString(dir.resolve("reports/m2/report.md"));
    assertTrue(md.contains("5600 MT/s × 128 bit / 8 = 89,600 MB/s = **89.6 GB/s** (given to reports --memory as 5600:128)"), md);
    assertEquals(0, cli("reports", "m2"));
    assertTrue(Files.readString(dir.resolve("reports/m2/report.md")).contains("**89.6 GB/s**"));
    // without a wall the report says how to give one
    assertEquals(0, cli("ingest", f.toString(), "--name", "m2-nowall"));
    assertTrue(Files.readString(dir.resolve("reports/m2-nowall/report.md")).contains("pass --memory 5600:128 (MT/s:bus bits) or --memory 800GB/s"));
    assertEquals(2, cli("ingest", f.toString(), "--name", "bad-wall", "--memory", "fast"));
    assertTrue(err.contains("--memory takes MT/s:bus bits such as 5600:128"), err);
  }

  @Test
  void severalFilesMakeOneDatasetAndANameIsReplacedOnlyWhenAsked() throws IOException {
    Path a = file("a.jsonl", h100() + "\n");
    Path b = file("b.jsonl", h100().replace("\"n_gen\": 512", "\"n_gen\": 128") + "\n");
    assertEquals(0, cli("ingest", a.toString(), b.toString(), "--name", "both"));
    String md = Files.readString(dir.resolve("reports/both/report.md"));
    assertTrue(md.contains("(6 samples from 2 of 2 cells)"), md);
    assertEquals(2, cli("ingest", a.toString(), "--name", "both"));
    assertTrue(err.contains("the dataset both already exists") && err.contains("--replace"), err);
    assertEquals(0, cli("ingest", a.toString(), "--name", "both", "--replace"));
    md = Files.readString(dir.resolve("reports/both/report.md"));
    assertTrue(md.contains("(3 samples from 1 of 1 cells)"), "replaced, never mixed: " + md);
  }

  @Test
  void theReportShowsTheMachineAndLabelsACpuOnlyRecordByWhatComputedIt() throws IOException {
    Path f = file("mixed.jsonl", h100() + "\n" + h100().replace("\"n_gpu_layers\": 99", "\"n_gpu_layers\": 0").replace("337.958", "20.1")
        .replace("335.581", "20.0").replace("338.692", "20.2") + "\n");
    assertEquals(0, cli("ingest", f.toString(), "--name", "mixed", "--memory", "3352GB/s"));
    String md = Files.readString(dir.resolve("reports/mixed/report.md"));
    assertTrue(md.contains("| cpu | Intel(R) Xeon(R) Processor |"), md);
    assertTrue(md.contains("| gpu | NVIDIA H100 80GB HBM3 |"), md);
    assertTrue(md.contains("| backends | CUDA |"), md);
    assertTrue(md.contains("| cpu (cuda build) |"), md);
    assertTrue(md.contains("not held against the given wall: it ran on the CPU, so its weights were read from system RAM"), md);
  }

  @Test
  void csvKeepsTheSourcesSpreadAndBadInputIsOneSentenceAndAnExitCode() throws IOException {
    Path csv = file("seed.csv", """
        build_commit,build_number,cpu_info,gpu_info,backends,model_filename,model_type,model_size,n_prompt,n_gen,n_depth,avg_ts,stddev_ts
        612db61,7000,AMD Ryzen AI 9 HX 370,Radeon 890M,Vulkan,Qwen3-8B-Q4_K_M.gguf,qwen3 8B Q4_K - Medium,5025111736,0,128,0,9.87,0.03
        """);
    assertEquals(0, cli("ingest", csv.toString(), "--name", "csv"));
    String md = Files.readString(dir.resolve("reports/csv/report.md"));
    assertTrue(md.contains("| 9.87 ± 0.03 | source |"), md);

    Path notBench = file("people.csv", "name,age\nada,36\nalan,41\n");
    assertEquals(2, cli("ingest", notBench.toString(), "--name", "people"));
    assertEquals(2, err.lines().count(), err);
    assertTrue(err.contains("is not llama-bench output"), err);
    assertFalse(Files.exists(dir.resolve("data/people")));

    Path bad = file("bad.jsonl", h100() + "\n" + h100() + "\n" + h100() + "\n" + h100() + "\n"
        + h100().replace("[ 335.581, 337.958, 338.692 ]", "[ -550.4, 337.958, 338.692 ]").replace("\"n_gen\": 512", "\"n_gen\": 64") + "\n");
    assertEquals(3, cli("ingest", bad.toString(), "--name", "bad"), "a skipped record is not silent");
    assertTrue(err.contains(bad + ":5: samples_ts holds -550.4, not a positive finite throughput; skipped."), err);
  }

  @Test
  void sqliteExportKeepsEveryFieldOfAnOldRecord() throws Exception {
    Path old = file("old.jsonl", h100().replace("\"load_mode\": \"auto\", ", "\"use_mmap\": false, ") + "\n");
    assertEquals(0, cli("ingest", old.toString(), "--name", "old"));
    Path db = dir.resolve("old.sqlite");
    assertEquals(0, Main.execute("export-sql", "old", "--data-root", dir.resolve("data").toString(), "--out", db.toString()));
    try (var c = DriverManager.getConnection("jdbc:sqlite:" + db); var s = c.createStatement();
         var rs = s.executeQuery("SELECT use_mmap, load_mode, lazy_mode FROM llama_bench")) {
      assertTrue(rs.next());
      assertEquals(0, rs.getInt("use_mmap"));
      assertEquals("none", rs.getString("load_mode"));
      assertEquals("auto", rs.getString("lazy_mode"));
    }
  }
}
