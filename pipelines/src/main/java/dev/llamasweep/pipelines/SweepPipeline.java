package dev.llamasweep.pipelines;

import dev.llamasweep.execute.CellPlan;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;

/**
 * The sweep: run the cells that need it one at a time, then read every cell of the spec (those
 * just run and those already complete) and write the samples table.
 *
 * <pre>
 *   toRun ──ExecuteCellsOneAtATime──┐
 *                                   ├─Flatten─ReadRawCells─WriteResults
 *   alreadyDone ────────────────────┘
 * </pre>
 */
public final class SweepPipeline {
  private SweepPipeline() {}

  public static Pipeline build(PipelineOptions options, List<CellPlan> toRun, List<CellPlan> alreadyDone, Path dataDir) {
    Pipeline p = Pipeline.create(options);
    SerializableCoder<CellPlan> coder = SerializableCoder.of(CellPlan.class);
    PCollection<CellPlan> ran = p.apply("CellsToRun", Create.of(toRun).withCoder(coder))
        .apply("ExecuteCells", new ExecuteCellsOneAtATime(toRun.size()));
    PCollection<CellPlan> done = p.apply("CellsAlreadyDone", Create.of(alreadyDone).withCoder(coder));
    PCollectionList.of(ran).and(done)
        .apply("AllCells", Flatten.pCollections())
        .apply("ReadRawCells", new ReadRawCells())
        .apply("WriteResults", new WriteResults(dataDir));
    return p;
  }

  public static void run(PipelineOptions options, List<CellPlan> toRun, List<CellPlan> alreadyDone, Path dataDir) {
    PipelineResult result = build(options, toRun, alreadyDone, dataDir).run();
    result.waitUntilFinish();
  }
}
