package dev.llamasweep.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llamasweep.TestSpecs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real run of experiments/gpu-server.yaml on an H200 (pipelines/scripts/gpu-run.sh in two calls: the
 * LLaMA-2-7B shape's curve and four server levels, then the Qwen3-8B shape's with its skeletons; the two
 * data directories' raw cells side by side, kept as a tar.gz, 9 MB unpacked): each level's aggregate is the
 * mean over its rounds of N × 32 tokens / (last event − first send), recomputed here from the raw lines; its
 * median inter-token latency is the one the raw events give; the prediction is the curve's step at B = N.
 */
class H200ServerReportTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void serverLevelsFollowFromTheirRawStreamsAndStandBesideTheCurve() throws Exception {
    Path run = TestSpecs.renderRecorded("pipelines/src/test/resources/h200/gpu-server-data.tar.gz", "gpu-server", Path.of("experiments/gpu-server.yaml"), dir);
    String md = Files.readString(dir.resolve("reports/gpu-server/report.md"));

    Matcher row = Pattern.compile("\\n\\| (\\d+) \\| ([0-9.,]+) ± [0-9.,]+ \\(n 5\\) \\| [^|]+ \\| [^|]+ \\| ([0-9.]+) \\(([0-9.]+)–([0-9.]+)\\) \\|[^\\n]*"
        + "\\| ([0-9.]+) ms \\| [0-9.]+ ms \\| ([0-9.,]+) \\| [^|]+ \\| `([0-9a-f]{12})` \\|").matcher(md);
    int rows = 0;
    while (row.find()) {
      long n = Long.parseLong(row.group(1));
      Path raw = run.resolve("raw").resolve(row.group(8));
      Map<Integer, long[]> span = new HashMap<>();
      List<Double> gaps = new ArrayList<>();
      for (String line : Files.readAllLines(raw.resolve("stdout.jsonl"))) {
        JsonNode q = JSON.readTree(line);
        int round = q.path("round").asInt();
        long prevT = -1;
        long prevTokens = 0;
        long end = 0;
        for (JsonNode l : q.path("lines")) {
          String text = l.path("line").asText();
          if (!text.startsWith("data: ")) continue;
          long t = l.path("t_ns").asLong();
          long tokens = JSON.readTree(text.substring(6)).path("tokens_predicted").asLong();
          if (round > 0 && prevT >= 0 && tokens > prevTokens) for (long k = prevTokens; k < tokens; k++) gaps.add((t - prevT) / 1e6 / (tokens - prevTokens));
          if (tokens > 0) {
            prevT = t;
            prevTokens = tokens;
          }
          end = t;
        }
        if (round == 0) continue;
        long[] s = span.computeIfAbsent(round, k -> new long[] {Long.MAX_VALUE, 0});
        s[0] = Math.min(s[0], q.path("sent_ns").asLong());
        s[1] = Math.max(s[1], end);
      }
      double mean = span.values().stream().mapToDouble(s -> n * 32 / ((s[1] - s[0]) / 1e9)).average().orElseThrow();
      assertEquals(mean, Double.parseDouble(row.group(2).replace(",", "")), 0.051 + mean * 1e-4, row.group());
      double[] g = gaps.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      assertEquals(n * 5 * 31, g.length, "31 gaps per request after its first token");
      double h = (g.length - 1) * 0.5;
      double median = g[(int) h] + (h - Math.floor(h)) * (g[(int) h + 1] - g[(int) h]);
      assertEquals(median, Double.parseDouble(row.group(3)), median * 0.006, row.group());
      rows++;
    }
    assertEquals(8, rows, "N = 1, 4, 16 and 64 of both shapes:\n" + md);
    // the curve's own step at B = 64 is the step the prediction uses: 1000 × 64 / 4,985.6 t/s = 12.8 ms
    assertTrue(md.contains("| 64 | 4,986 ± "), md);
    assertTrue(md.matches("(?s).*\\| 64 \\| 897\\.7 ± [0-9.]+ \\(n 5\\) \\|.*\\| 12\\.8 ms \\| 0\\.295 ms \\| 1,283\\.7 \\| \\*\\*no\\*\\* \\(\\+43%\\) \\|.*"), md);
    assertTrue(md.contains("N = 64: the median inter-token latency is 31.7 ms against the curve's 12.8 ms step (+147%)"), md);
    assertTrue(md.contains("the batch curve's prediction agrees at 1 of 4 levels"), md);
    assertTrue(!md.contains("Levels without a result:"), "every level ran");
    assertTrue(md.contains("### Server: `qwen3-8b` on cuda"), md);
    // the first screen shows each server's latency beside its curve, before the findings
    String firstScreen = md.substring(0, md.indexOf("## Findings"));
    assertTrue(firstScreen.contains("![server-7b: inter-token latency against the requests in flight](charts/server-7b-server-itl.svg)"), firstScreen);
    String svg = Files.readString(dir.resolve("reports/gpu-server/charts/server-7b-server-itl.svg"));
    assertTrue(svg.contains("the batch curve&apos;s step at B = N") && svg.contains("inter-token p50"), "the chart's two series");
    // the excess over the curve per request in flight and vocabulary entry is alike for 32,000 and 151,936 entries:
    // 7B: median of (3.01−2.87)/1, (4.55−3.84)/4, (10.4−7.37)/16, (31.7−12.8)/64 ms over 32,000 entries
    assertTrue(md.contains("`dense7b` on cuda 5.7 ns (32,000 entries; N = 1, 4, 16, 64); `qwen3-8b` on cuda 5.6 ns (151,936 entries; N = 1, 4, 16, 64)"), md);
  }
}
