package dev.llamasweep.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llamasweep.report.CompareReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestTest {
  @TempDir Path dir;

  static final String HEADER = "build_commit,build_number,cpu_info,gpu_info,backends,model_filename,model_type,model_size,"
      + "model_n_params,n_threads,n_gpu_layers,flash_attn,load_mode,n_prompt,n_gen,n_depth,test_time,avg_ns,stddev_ns,avg_ts,stddev_ts\n";

  @Test
  void csvWithBadRecordsReportsThemByLineAndKeepsTheRest() throws IOException {
    Path csv = Files.writeString(dir.resolve("bench.csv"), HEADER
        + "612db61,7000,AMD Ryzen AI 9 HX 370,Radeon 890M,Vulkan,/m/Qwen3-8B-Q4_K_M.gguf,qwen3 8B Q4_K - Medium,5025111736,8190735360,24,99,1,mmap,512,0,0,t,3506849315,1,146.0,21.0\n"
        + "612db61,7000,AMD Ryzen AI 9 HX 370,Radeon 890M,Vulkan,/m/Qwen3-8B-Q4_K_M.gguf,qwen3 8B Q4_K - Medium,5025111736,8190735360,24,99,1,mmap,0,128,0,t,12968591691,1,9.87,0.03\n"
        + "612db61,7000,AMD Ryzen AI 9 HX 370,Radeon 890M,,/m/Qwen3-8B-Q4_K_M.gguf,x,5025111736,1,24,99,1,mmap,0,128,0,t,1,1,9.87,0.03\n"
        + "612db61,7000,AMD Ryzen AI 9 HX 370,Radeon 890M,Vulkan,/m/Qwen3-8B-Q4_K_M.gguf,x,lots,1,24,99,1,mmap,0,128,0,t,1,1,9.87,0.03\n"
        + "612db61,7000,AMD Ryzen AI 9 HX 370,Radeon 890M,Vulkan,/m/Qwen3-8B-Q4_K_M.gguf,x,5025111736,1,24,99,1,mmap,0,64,0,t,1,1,fast,0.03\n");
    Ingest.Result r = Ingest.read(csv);
    assertEquals(2, r.records().size());
    assertEquals(List.of(
        csv + ":4: field backends is missing; skipped.",
        csv + ":5: field model_size is 'lots', not a whole number; skipped.",
        csv + ":6: field avg_ts is 'fast', not a number (and there are no samples); skipped."), r.problems());
    assertTrue(r.records().get(0).summaryOnly(), "CSV holds means, not samples");

    Path data = dir.resolve("data/seed");
    Ingest.write(r, "seed", data, csv);
    List<String> samples = Files.readAllLines(data.resolve("samples.csv"));
    assertEquals(3, samples.size(), "one sample per test: the mean, whose spread is n/a");
    assertTrue(samples.get(2).contains(",tg128,tg,0,128,0,0,0,1,9.87,"), samples.get(2));

    // every report treats it like our own runs, with the memory given on the command line
    // 3: the three bad records were skipped (and said so); the good ones are ingested
    assertEquals(3, dev.llamasweep.cli.Main.execute("ingest", csv.toString(), "--name", "seed2", "--memory", "5600:128",
        "--data-root", dir.resolve("data").toString(), "--reports-root", dir.resolve("reports").toString()));
    String md = Files.readString(dir.resolve("reports/seed2/report.md"));
    assertTrue(md.contains("5.0251 GB × 9.87 t/s = **49.60 GB/s**; 49.60 / 89.6 = 55.4%"), md);
    assertTrue(md.contains("| 9.87 ± 0.03 | source |"), "the CSV's own sd, marked as the source's: " + md);
    assertTrue(Files.isRegularFile(dir.resolve("reports/seed2/report.html")));
  }

  @Test
  void compareSaysFasterSlowerOrWithinNoise() throws IOException {
    Path a = dir.resolve("a.jsonl");
    Path b = dir.resolve("b.jsonl");
    Files.writeString(a, rec(512, 0, "[140, 146, 152]") + rec(0, 128, "[9.84, 9.87, 9.90]") + rec(0, 256, "[11.0, 11.4, 11.8]"));
    Files.writeString(b, rec(512, 0, "[310, 322, 334]") + rec(0, 128, "[9.70, 9.73, 9.76]") + rec(0, 256, "[11.1, 11.3, 11.5]"));
    Ingest.write(Ingest.read(a), "before", dir.resolve("before"), a);
    Ingest.write(Ingest.read(b), "after", dir.resolve("after"), b);
    for (String side : java.util.List.of("before", "after")) {
      dev.llamasweep.aggregation.Aggregation.refresh(org.apache.beam.sdk.options.PipelineOptionsFactory.create(), dir.resolve(side));
    }
    String md = CompareReport.render("before", dir.resolve("before"), "after", dir.resolve("after"));
    assertTrue(md.contains("3 matching tests: 1 faster, 1 slower, 1 within noise."), md);
    assertTrue(md.matches("(?s).*\\| pp512 \\| 146.0 ± 6.0 \\| 322.0 ± 12.0 \\| 2.205 \\| \\+120.5% \\(95% CI [^)]*\\) \\| \\*\\*faster\\*\\* \\|.*"), md);
    // −1.4%, 95% CI −2.1% to −0.7%: excludes 0 and beyond the 1% threshold
    assertTrue(md.contains("| tg128 | 9.87 ± 0.03 | 9.73 ± 0.03 | 0.986 | -1.4% (95% CI -2.1% to -0.7%) | **slower** |"), md);
    assertTrue(md.matches("(?s).*\\| tg256 \\| 11.40 ± 0.40 \\| 11.30 ± 0.20 \\| 0.991 \\| -0.9% \\(95% CI [^)]*\\) \\| within noise \\|.*"), md);
  }

  @Test
  void compareOfTwoBuildsSaysSoInItsHeading() throws IOException {
    Path a = dir.resolve("a.jsonl");
    Path b = dir.resolve("b.jsonl");
    Files.writeString(a, rec(0, 128, "[9.84, 9.87, 9.90]"));
    Files.writeString(b, rec(0, 128, "[9.70, 9.73, 9.76]").replace("\"build_commit\":\"x\"", "\"build_commit\":\"y\""));
    Ingest.write(Ingest.read(a), "before", dir.resolve("before"), a);
    Ingest.write(Ingest.read(b), "after", dir.resolve("after"), b);
    for (String side : java.util.List.of("before", "after")) {
      dev.llamasweep.aggregation.Aggregation.refresh(org.apache.beam.sdk.options.PipelineOptionsFactory.create(), dir.resolve(side));
    }
    String md = CompareReport.render("before", dir.resolve("before"), "after", dir.resolve("after"));
    assertTrue(md.startsWith("# llama-sweep compare: after against before (different llama.cpp builds)\n\nA was measured with llama.cpp x; B with llama.cpp y:"), md);
    String same = CompareReport.render("before", dir.resolve("before"), "again", dir.resolve("before"));
    assertTrue(same.startsWith("# llama-sweep compare: again against before\n"), same);
  }

  static String rec(int p, int n, String ts) {
    return "{\"build_commit\":\"x\",\"build_number\":1,\"backends\":\"Vulkan\",\"model_filename\":\"/m/q.gguf\",\"model_type\":\"q\","
        + "\"model_size\":5025111736,\"model_n_params\":1,\"n_threads\":24,\"n_gpu_layers\":99,\"load_mode\":\"mmap\",\"n_prompt\":" + p
        + ",\"n_gen\":" + n + ",\"n_depth\":0,\"samples_ns\":[1,1,1],\"samples_ts\":" + ts + "}\n";
  }
}
