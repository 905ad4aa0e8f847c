package dev.llamasweep.pipelines;

import dev.llamasweep.execute.CellPlan;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.Create;

/**
 * After the benchmarks (which run in plain Java, one at a time, in {@code sweep.Sweep}): read every
 * cell of the spec and write the samples table.
 *
 * <pre>
 *   cells ──ReadRawCells──WriteResults
 * </pre>
 */
public final class SweepPipeline {
  private SweepPipeline() {}

  public static Pipeline build(PipelineOptions options, List<CellPlan> cells, Path dataDir) {
    Pipeline p = Pipeline.create(options);
    p.apply("Cells", Create.of(cells).withCoder(SerializableCoder.of(CellPlan.class)))
        .apply("ReadRawCells", new ReadRawCells())
        .apply("WriteResults", new WriteResults(dataDir));
    return p;
  }

  public static void run(PipelineOptions options, List<CellPlan> cells, Path dataDir) {
    PipelineResult result = build(options, cells, dataDir).run();
    result.waitUntilFinish();
  }
}
