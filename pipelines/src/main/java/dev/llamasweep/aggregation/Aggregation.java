package dev.llamasweep.aggregation;

import dev.llamasweep.io.AtomicFiles;
import dev.llamasweep.results.SummaryRow;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.values.KV;

/** The aggregation of one data directory into its own aggregate.csv, as `run`, `reports` and `ingest` need it before a report. */
public final class Aggregation {
  private Aggregation() {}

  /** The whole directory through the Beam pipeline, on the runner in {@code options}. */
  public static Path refresh(PipelineOptions options, Path dataDir) {
    Path out = dataDir.toAbsolutePath().resolve(SummaryRow.FILE);
    AggregatePipeline.run(options, List.of(dataDir.toAbsolutePath().toString()), out.toString());
    return out;
  }

  /**
   * After a re-run of some cells, when aggregate.csv was current before it: only those cells' rows are
   * summarised again, by the pipeline's own functions (a block's {@link StatsPerGroupFn} accumulator, as the
   * pipeline makes it for a (cell, test) that has one block in one directory, and the pipeline's row and line
   * order), and the file is written whole through a temporary file. The other rows are kept as they were.
   * What `make cell` costs is then the cell, not a runner's start-up (about 3 s of the DirectRunner on 2 cores);
   * AggregationRefreshTest holds the bytes equal to the pipeline's. False, and nothing written, when the kept
   * rows cannot be trusted to be what the pipeline would write now: no aggregate.csv, or one of another
   * dataset or host (host.json changed with the re-run).
   */
  public static boolean refreshCells(Path dataDir, Set<String> cells) {
    Path dir = dataDir.toAbsolutePath();
    Path out = dir.resolve(SummaryRow.FILE);
    List<KV<SampleKey, double[]>> blocks = ReadSampleBlocks.blocks(dir);
    if (blocks.isEmpty() || !java.nio.file.Files.isRegularFile(out)) return false;
    SampleKey any = blocks.get(0).getKey();
    List<SummaryRow> rows = new ArrayList<>();
    for (SummaryRow r : SummaryRow.read(out)) {
      if (!r.dataset().equals(any.dataset()) || !r.host().equals(any.host())) return false;
      if (!cells.contains(r.cell())) rows.add(r);
    }
    StatsPerGroupFn fn = new StatsPerGroupFn();
    Map<SampleKey, SampleStatsFn.Stats> acc = fn.createAccumulator();
    for (KV<SampleKey, double[]> b : blocks) {
      if (cells.contains(b.getKey().cell())) acc = fn.addInput(acc, b);
    }
    rows.addAll(SummarizeGroups.rows(KV.of(any.dataset() + '\u0000' + any.host(), new HashMap<>(fn.extractOutput(acc)))));
    String text = WriteAggregate.text(rows);
    AtomicFiles.write(out, w -> w.write(text));
    return true;
  }
}
