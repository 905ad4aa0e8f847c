package dev.llamasweep.results;

import dev.llamasweep.llamacpp.BenchRecord;
import java.util.List;

/**
 * What one cell's raw directory says: the cell, its status and, when ok, the llama-bench records and
 * its result.json. A cell with no directory yet is "missing" and one whose files cannot be trusted
 * "invalid", both without a result; their numbers are absent, never zero.
 *
 * @param reason why a cell is not ok (or null)
 * @param result the cell's result.json, typed (null when missing or invalid)
 * @param latency a server cell's request latencies, from its raw streams (null for any other cell)
 * @param rpc the rpc-servers an ok cell's llama-bench split its model over, from its probes (empty for any other cell)
 */
public record CellData(CellEntry entry, CellStatus status, String reason, List<BenchRecord> records, CellResult result,
    dev.llamasweep.stats.StreamTimings.Latency latency, List<RpcFile.Server> rpc) {
  public CellData {
    records = records == null ? List.of() : List.copyOf(records);
    rpc = rpc == null ? List.of() : List.copyOf(rpc);
  }

  /** Any cell that ran on no rpc-server. */
  public CellData(CellEntry entry, CellStatus status, String reason, List<BenchRecord> records, CellResult result,
      dev.llamasweep.stats.StreamTimings.Latency latency) {
    this(entry, status, reason, records, result, latency, List.of());
  }

  /** Any cell but a server cell's: no request latencies. */
  public CellData(CellEntry entry, CellStatus status, String reason, List<BenchRecord> records, CellResult result) {
    this(entry, status, reason, records, result, null);
  }

  public static CellData missing(CellEntry entry) {
    return new CellData(entry, CellStatus.MISSING, "not run yet", List.of(), null);
  }

  public static CellData invalid(CellEntry entry, String why) {
    return new CellData(entry, CellStatus.INVALID, why, List.of(), null);
  }

  public double seconds() {
    return result == null ? 0 : result.durationS();
  }

  public String observedProfile() {
    return result == null ? null : result.observedProfile();
  }

  public String machineNote() {
    return result == null ? null : result.machineNote();
  }

  public dev.llamasweep.host.PowerRecord power() {
    return result == null ? null : result.power();
  }

  /** The model file of the command that ran (result.json's argv), else of the one planned. */
  public String modelFile() {
    return result != null && !result.argv().isEmpty() ? entry.modelFile(result.argv()) : entry.modelFile();
  }

  public CellResult.Order order() {
    return result == null ? null : result.order();
  }
}
