package dev.llamasweep.results;

import dev.llamasweep.spec.Bench;
import dev.llamasweep.llamacpp.BenchJsonl;
import dev.llamasweep.llamacpp.BenchRecord;
import dev.llamasweep.llamacpp.ServerCompletion;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a cell's published raw directory back into {@link CellData}, validating everything: a
 * result.json that is not complete JSON or has no known status, an ok cell without records, a
 * sample that is not a finite positive throughput, or fewer samples than repetitions make the cell
 * "invalid" with the file, line and reason; the report shows it and renders everything else.
 */
public final class RawReader {

  private RawReader() {}

  public static CellData read(CellEntry plan) {
    Path dir = plan.rawDir();
    CellResult r;
    try {
      r = ResultJson.read(dir);
    } catch (ResultJson.Invalid e) {
      return CellData.invalid(plan, e.getMessage());
    }
    if (r == null) return CellData.missing(plan);
    String impossible = PowerJson.impossible(r.power());
    if (impossible != null) return CellData.invalid(plan, dir.resolve("result.json") + ": " + impossible);
    CellStatus status = r.status();
    String reason = r.reason();
    List<BenchRecord> records = List.of();
    dev.llamasweep.stats.StreamTimings.Latency latency = null;
    List<RpcFile.Server> rpc = List.of();
    if (r.status() == CellStatus.OK) {
      Path stdout = dir.resolve("stdout.jsonl");
      try {
        String out = dev.llamasweep.io.InputFiles.text(stdout, dev.llamasweep.io.InputFiles.Kind.RAW_OUTPUT);
        String source = stdout.toString();
        records = switch (plan.bench()) {
          case SPECULATIVE -> List.of(ServerCompletion.parse(out, source, plan.params().generate(), r.modelSize(), r.build()));
          case BATCH -> List.of(dev.llamasweep.llamacpp.BatchedBenchJsonl.record(out, source, dev.llamasweep.llamacpp.BatchedBenchCommand.Point.of(plan.params()),
              r.modelSize(),
              new dev.llamasweep.llamacpp.BatchedBenchCommand.Build(r.buildNumber() == null ? 0 : r.buildNumber(), r.build())));
          case SERVER -> List.of(dev.llamasweep.llamacpp.ServerStream.record(out, source, dev.llamasweep.llamacpp.ServerStream.Load.of(plan.params()),
              r.modelSize(), r.build() == null ? "" : r.build()));
          case LLAMA_BENCH -> BenchJsonl.parse(out, source);
        };
        if (records.isEmpty()) return CellData.invalid(plan, source + ": holds no record although the cell is ok");
        if (plan.bench() == Bench.SERVER) {
          latency = dev.llamasweep.stats.StreamTimings.latency(dev.llamasweep.llamacpp.ServerStream.rounds(out, source,
              dev.llamasweep.llamacpp.ServerStream.Load.of(plan.params())).values());
        }
        Path probes = dir.resolve(RpcProbes.FILE);
        if (java.nio.file.Files.exists(probes)) {
          rpc = RpcFile.summarise(plan.id(), RpcProbes.parse(dev.llamasweep.io.InputFiles.text(probes, dev.llamasweep.io.InputFiles.Kind.RAW_OUTPUT),
              probes.toString()));
        }
        if (plan.params().has(dev.llamasweep.spec.Axis.REPETITIONS) && plan.bench() != Bench.SPECULATIVE) {
          long n = plan.params().repetitions();
          // interleaved cells hold one record per round: their samples add up to the repetitions
          java.util.Map<String, Integer> perTest = new java.util.LinkedHashMap<>();
          for (BenchRecord b : records) perTest.merge(b.test(), b.samplesTs().size(), Integer::sum);
          boolean adaptive = plan.params().adaptive().isPresent();
          for (var e : perTest.entrySet()) {
            if (adaptive ? e.getValue() < n : e.getValue() != n) {
              return CellData.invalid(plan, source + ": " + e.getKey() + " has " + e.getValue() + " samples, not the " + n + " repetitions asked for");
            }
          }
        }
      } catch (dev.llamasweep.io.InputFiles.Unreadable e) {
        return CellData.invalid(plan, e.getMessage().replaceAll("\\.$", ""));
      } catch (BenchJsonl.MalformedOutput e) {
        return CellData.invalid(plan, e.getMessage().replaceAll("\\.$", ""));
      }
    }
    return new CellData(plan, status, reason, records, r, latency, rpc);
  }
}
