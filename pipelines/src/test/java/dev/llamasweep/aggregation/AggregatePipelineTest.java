package dev.llamasweep.aggregation;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llamasweep.results.SummaryRow;
import dev.llamasweep.stats.Moments;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.CombineFnTester;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.hamcrest.BaseMatcher;
import org.hamcrest.Description;
import org.hamcrest.Matcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each step of the aggregation alone (CombineFnTester, Create + PAssert), then the whole pipeline on files. */
class AggregatePipelineTest {
  @TempDir Path dir;

  static Matcher<Moments> moments(long n, double mean, double sd, double min, double max) {
    return new BaseMatcher<>() {
      @Override
      public boolean matches(Object o) {
        Moments m = (Moments) o;
        return m.n() == n && Math.abs(m.mean() - mean) < 1e-12 && Math.abs(m.sd() - sd) < 1e-12 && m.min() == min && m.max() == max;
      }

      @Override
      public void describeTo(Description d) {
        d.appendText("n=" + n + " mean=" + mean + " sd=" + sd + " min=" + min + " max=" + max);
      }
    };
  }

  @Test
  void momentsCombineTheSameWhateverTheSplitAndOrder() {
    // CombineFnTester tries the inputs in several shards, orders and merge trees
    List<double[]> blocks = List.of(new double[] {2, 4}, new double[] {4, 4, 5}, new double[] {}, new double[] {5, 7, 9});
    CombineFnTester.testCombineFn(new MomentsFn(), blocks, moments(8, 5.0, Math.sqrt(32.0 / 7.0), 2, 9));
  }

  @Test
  void medianAndMadAreExactWhateverTheSplit() {
    List<double[]> blocks = List.of(new double[] {9.9, 1.0}, new double[] {3.0}, new double[] {5.0, 4.0});
    // sorted 1 3 4 5 9.9: median 4; deviations 3 1 0 1 5.9 → MAD 1
    CombineFnTester.testCombineFn(new MedianMadFn(), blocks, new BaseMatcher<double[]>() {
      @Override
      public boolean matches(Object o) {
        double[] v = (double[]) o;
        return v[0] == 4.0 && v[1] == 1.0;
      }

      @Override
      public void describeTo(Description d) {
        d.appendText("{median 4, MAD 1}");
      }
    });
  }

  @Test
  void oneHostsGroupsCombineTheSameWhateverTheSplit() {
    SampleKey a = new SampleKey("d", "h", "c1", "tg128");
    SampleKey b = new SampleKey("d", "h", "c2", "pp512");
    List<KV<SampleKey, double[]>> blocks = List.of(KV.of(a, new double[] {2, 4}), KV.of(b, new double[] {140}), KV.of(a, new double[] {4, 4, 5}),
        KV.of(a, new double[] {5, 7, 9}), KV.of(b, new double[] {152}));
    CombineFnTester.testCombineFn(new StatsPerGroupFn(), blocks, new BaseMatcher<java.util.Map<SampleKey, SampleStatsFn.Stats>>() {
      @Override
      public boolean matches(Object o) {
        @SuppressWarnings("unchecked") var m = (java.util.Map<SampleKey, SampleStatsFn.Stats>) o;
        return m.size() == 2 && moments(8, 5.0, Math.sqrt(32.0 / 7.0), 2, 9).matches(m.get(a).moments()) && m.get(a).median() == 4.5
            && moments(2, 146, Math.sqrt(72), 140, 152).matches(m.get(b).moments()) && m.get(b).median() == 146;
      }

      @Override
      public void describeTo(Description d) {
        d.appendText("c1: n 8 mean 5 median 4.5; c2: n 2 mean 146");
      }
    });
  }

  @Test
  void summarizeGroupsGivesOneRowPerKey() {
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    SampleKey a = new SampleKey("d", "h", "c1", "tg128");
    SampleKey b = new SampleKey("d", "h", "c2", "pp512");
    PCollection<SummaryRow> rows = p
        .apply(Create.of(KV.of(a, new double[] {9.84, 9.87}), KV.of(a, new double[] {9.90}), KV.of(b, new double[] {140}))
            .withCoder(KvCoder.of(SampleKey.Coder.of(), DoublesCoder.of())))
        .apply(new SummarizeGroups());
    PAssert.that(rows).satisfies(it -> {
      int n = 0;
      for (SummaryRow r : it) {
        n++;
        if (r.cell().equals("c1")) {
          assertEquals(3, r.n());
          assertThat(r.mean(), closeTo(9.87, 1e-12));
          assertThat(r.sd(), closeTo(0.03, 1e-12));
          assertEquals(9.87, r.median(), 0);
          assertThat(r.mad(), closeTo(0.03, 1e-12));
        } else {
          assertEquals(1, r.n());
          assertTrue(Double.isNaN(r.sd()), "one sample has no sd");
        }
      }
      assertEquals(2, n);
      return null;
    });
    p.run().waitUntilFinish();
  }

  @Test
  void readSampleBlocksKeysByDatasetHostCellAndTest() throws Exception {
    Path d = Files.createDirectories(dir.resolve("alpha"));
    Files.writeString(d.resolve("samples.csv"), "cell,test,tokens_per_s\nc1,tg128,9.84\nc1,pp512,140\nc1,tg128,9.90\n");
    Files.writeString(d.resolve("host.json"), "{\"host\": {\"id\": \"abc123\", \"label\": \"box\"}}");
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    PCollection<KV<SampleKey, double[]>> blocks = p.apply(Create.of(d.toString()).withCoder(StringUtf8Coder.of())).apply(new ReadSampleBlocks());
    PAssert.that(blocks).satisfies(it -> {
      int n = 0;
      for (KV<SampleKey, double[]> kv : it) {
        n++;
        assertEquals("alpha", kv.getKey().dataset());
        assertEquals("abc123", kv.getKey().host());
        if (kv.getKey().test().equals("tg128")) assertArrayEquals(new double[] {9.84, 9.90}, kv.getValue(), 0);
        else assertArrayEquals(new double[] {140}, kv.getValue(), 0);
      }
      assertEquals(2, n);
      return null;
    });
    p.run().waitUntilFinish();
  }

  @Test
  void aDamagedSamplesFileIsOneLocatedSentence() throws Exception {
    Path d = Files.createDirectories(dir.resolve("broken"));
    Files.writeString(d.resolve("samples.csv"), "cell,test,tokens_per_s\nb,tg128,2\nb,tg128,fast\n");
    var err = new java.io.ByteArrayOutputStream();
    var old = System.err;
    System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
    int code;
    try {
      code = dev.llamasweep.cli.Main.execute("corpus", d.toString(), "--out", dir.resolve("out").toString());
    } finally {
      System.setErr(old);
    }
    String said = err.toString(java.nio.charset.StandardCharsets.UTF_8);
    assertEquals(2, code, said);
    assertTrue(said.contains("broken/samples.csv:3: field 'tokens_per_s' is not a number ('fast')"), said);
    assertTrue(!said.contains("\tat "), "no stack trace: " + said);
  }

  @Test
  void theWholePipelineWritesOneSortedFile() throws Exception {
    for (String name : List.of("zeta", "alpha")) {
      Path d = Files.createDirectories(dir.resolve(name));
      Files.writeString(d.resolve("samples.csv"), "cell,test,tokens_per_s\nb,tg128,2\nb,tg128,4\na,tg128,1\n");
    }
    Path out = dir.resolve("out/aggregate.csv");
    AggregatePipeline.run(PipelineOptionsFactory.create(), List.of(dir.resolve("zeta").toString(), dir.resolve("alpha").toString()), out.toString());
    assertEquals("""
        dataset,host,cell,test,n,mean_ts,sd_ts,min_ts,max_ts,median_ts,mad_ts
        alpha,unknown,a,tg128,1,1.0,,1.0,1.0,1.0,0.0
        alpha,unknown,b,tg128,2,3.0,1.4142135623730951,2.0,4.0,3.0,1.0
        zeta,unknown,a,tg128,1,1.0,,1.0,1.0,1.0,0.0
        zeta,unknown,b,tg128,2,3.0,1.4142135623730951,2.0,4.0,3.0,1.0
        """, Files.readString(out));
    assertEquals(4, SummaryRow.read(out).size());
  }
}
