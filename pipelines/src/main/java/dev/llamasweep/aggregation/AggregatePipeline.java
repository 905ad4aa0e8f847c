package dev.llamasweep.aggregation;

import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.Create;

/**
 * The aggregation, on any Beam runner (the DirectRunner here, Flink embedded or on a cluster):
 *
 * <pre>
 *   data dirs ─ReadSampleBlocks─▶ KV(dataset, host, cell, test → samples)
 *             ─SummarizeGroups─▶ Combine.perKey(Welford/Chan moments + exact median and MAD)
 *             ─WriteAggregate─▶ aggregate.csv (sorted, one file)
 * </pre>
 *
 * The reports read aggregate.csv; nothing else computes a mean or a standard deviation.
 */
public final class AggregatePipeline {
  private AggregatePipeline() {}

  public static Pipeline build(AggregateOptions options) {
    Pipeline p = Pipeline.create(options);
    List<String> dirs = options.getDataDirs();
    p.apply("DataDirectories", Create.of(dirs).withCoder(StringUtf8Coder.of()))
        .apply("ReadSampleBlocks", new ReadSampleBlocks())
        .apply("SummarizeGroups", new SummarizeGroups())
        .apply("WriteAggregate", new WriteAggregate(options.getOutput()));
    return p;
  }

  /**
   * What the job is called in a runner's UI (Flink's shows it): "llama-sweep-aggregate-local-gpu" for the
   * datasets it aggregates, instead of Beam's "beamargs-root-&lt;time&gt;"; lower-case letters, digits and dashes.
   */
  public static String jobName(List<String> dirs) {
    StringBuilder s = new StringBuilder("llama-sweep-aggregate");
    for (String d : dirs) {
      String name = java.nio.file.Path.of(d).getFileName() == null ? d : java.nio.file.Path.of(d).getFileName().toString();
      s.append('-').append(name.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", ""));
      if (s.length() > 80) {
        s.setLength(80);
        s.append("-and-more");
        break;
      }
    }
    return s.toString();
  }

  /** Runs the aggregation of {@code dirs} into {@code output} with the runner and options in {@code base}. */
  public static void run(PipelineOptions base, List<String> dirs, String output) {
    AggregateOptions o = base.as(AggregateOptions.class);
    o.setDataDirs(dirs);
    o.setOutput(output);
    o.setJobName(jobName(dirs));
    PipelineResult r = build(o).run();
    PipelineResult.State s = r.waitUntilFinish();
    if (s != PipelineResult.State.DONE) throw new IllegalStateException("the aggregation ended " + s + ", not DONE");
  }
}
