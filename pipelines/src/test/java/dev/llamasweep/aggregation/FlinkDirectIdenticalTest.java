package dev.llamasweep.aggregation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The aggregation on Apache Flink (embedded [local] cluster) writes the same bytes as on the DirectRunner. */
class FlinkDirectIdenticalTest {
  @TempDir Path dir;

  /** A small corpus: 3 hosts, 40 cells each with pp and tg, 7 repetitions of awkward doubles. */
  static List<String> corpus(Path root, int hosts, int cells, int reps, long seed) throws Exception {
    Random r = new Random(seed);
    List<String> dirs = new ArrayList<>();
    for (int h = 0; h < hosts; h++) {
      Path d = Files.createDirectories(root.resolve(String.format("host-%02d", h)));
      Files.writeString(d.resolve("host.json"), "{\"host\": {\"id\": \"h" + h + "\", \"label\": \"synthetic host " + h + "\"}}");
      StringBuilder sb = new StringBuilder("cell,test,tokens_per_s\n");
      for (int c = 0; c < cells; c++) {
        for (String test : List.of("pp512", "tg128")) {
          double base = test.equals("pp512") ? 300 + 10 * h : 20 + h + c * 0.01;
          for (int i = 0; i < reps; i++) sb.append(String.format("c%04d,%s,%s%n", c, test, Double.toString(base * (1 + r.nextGaussian() * 0.03))));
        }
      }
      Files.writeString(d.resolve("samples.csv"), sb.toString());
      dirs.add(d.toString());
    }
    return dirs;
  }

  @Test
  void flinkAndDirectWriteTheSameBytes() throws Exception {
    List<String> dirs = corpus(dir.resolve("data"), 3, 40, 7, 42);
    Path direct = dir.resolve("direct/aggregate.csv");
    Path flink = dir.resolve("flink/aggregate.csv");
    AggregatePipeline.run(PipelineOptionsFactory.fromArgs("--runner=DirectRunner").create(), dirs, direct.toString());
    AggregatePipeline.run(PipelineOptionsFactory.fromArgs("--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=2").create(),
        dirs, flink.toString());
    assertEquals(1 + 3 * 40 * 2, Files.readAllLines(direct).size());
    // the same bytes: every report made from them is the same too, so no render is compared here
    assertArrayEquals(Files.readAllBytes(direct), Files.readAllBytes(flink));
  }
}
