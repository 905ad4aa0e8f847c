package dev.llamasweep.pipelines;

import dev.llamasweep.results.CellData;
import dev.llamasweep.results.ResultFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.ArrayList;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;

/** Gathers every cell and writes samples.csv and cells.csv in one go (they are small). */
public final class WriteResults extends PTransform<PCollection<CellData>, PDone> {
  private final String dataDir;

  public WriteResults(Path dataDir) {
    this.dataDir = dataDir.toString();
  }

  @Override
  public PDone expand(PCollection<CellData> cells) {
    cells.apply("KeyAll", WithKeys.<String, CellData>of("all"))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), SerializableCoder.of(CellData.class)))
        .apply("GatherCells", GroupByKey.create())
        .apply("WriteCsv", ParDo.of(new DoFn<KV<String, Iterable<CellData>>, Void>() {
          @ProcessElement
          public void process(@Element KV<String, Iterable<CellData>> all) {
            List<CellData> list = new ArrayList<>();
            all.getValue().forEach(list::add);
            ResultFiles.write(Path.of(dataDir), list);
          }
        }));
    return PDone.in(cells.getPipeline());
  }
}
