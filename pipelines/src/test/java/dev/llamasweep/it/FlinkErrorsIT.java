package dev.llamasweep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input is one located sentence on every runner: a samples.csv with a throughput that is no number
 * stops the aggregation with the same single line on the DirectRunner and on Flink (embedded), where
 * the failure used to come after 230 lines of Flink's and Beam's logged stack traces.
 */
class FlinkErrorsIT {
  @TempDir Path work;

  @Test
  void aBadSampleIsTheSameOneSentenceOnEveryRunner() throws Exception {
    Path data = work.resolve("data/gpu");
    copy(Path.of("pipelines/src/test/resources/h100/gpu-run"), data);
    String sentence = breakThroughput(data);

    for (List<String> runner : List.of(List.of("--runner=DirectRunner"), List.of("--runner=FlinkRunner", "--flinkMaster=[local]"))) {
      List<String> argv = new ArrayList<>(List.of("java", "-jar", "target/llama-sweep.jar", "corpus", data.toString(),
          "--out=" + work.resolve("out-" + runner.size())));
      argv.addAll(runner);
      Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor(120, TimeUnit.SECONDS);
      assertEquals(2, p.exitValue(), out);
      assertEquals(List.of(sentence), out.lines().filter(l -> !l.isBlank()).toList(), runner + " printed:\n" + out);
    }
  }

  /** Writes "abc" as the throughput of samples.csv's fifth line; returns the one sentence every runner must say for it. */
  static String breakThroughput(Path data) throws Exception {
    List<String> lines = new ArrayList<>(Files.readAllLines(data.resolve("samples.csv")));
    List<String> header = List.of(lines.get(0).split(","));
    String[] row = lines.get(4).split(",", -1);
    row[header.indexOf("tokens_per_s")] = "abc";
    lines.set(4, String.join(",", row));
    Files.write(data.resolve("samples.csv"), lines);
    return "llama-sweep: " + data.resolve("samples.csv") + ":5: field 'tokens_per_s' is not a number ('abc'); nothing was aggregated.";
  }

  static void copy(Path from, Path to) throws Exception {
    try (var walk = Files.walk(from)) {
      for (Path f : walk.toList()) {
        Path t = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) Files.createDirectories(t); else Files.copy(f, t);
      }
    }
  }
}
