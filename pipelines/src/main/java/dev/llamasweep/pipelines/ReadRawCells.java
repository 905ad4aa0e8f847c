package dev.llamasweep.pipelines;

import dev.llamasweep.execute.CellPlan;
import dev.llamasweep.results.CellData;
import dev.llamasweep.results.RawReader;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

/** Parses each cell's raw directory (status, llama-bench records) into {@link CellData}. */
public final class ReadRawCells extends PTransform<PCollection<CellPlan>, PCollection<CellData>> {
  @Override
  public PCollection<CellData> expand(PCollection<CellPlan> plans) {
    return plans.apply("ParseRawDirectory", ParDo.of(new DoFn<CellPlan, CellData>() {
      @ProcessElement
      public void process(@Element CellPlan plan, OutputReceiver<CellData> out) {
        out.output(RawReader.read(plan));
      }
    })).setCoder(SerializableCoder.of(CellData.class));
  }
}
