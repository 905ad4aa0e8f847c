package dev.llamasweep.results;

import dev.llamasweep.execute.CellPlan;
import dev.llamasweep.execute.CellStatus;
import dev.llamasweep.llamacpp.BenchRecord;
import java.io.Serializable;
import java.util.List;

/**
 * What one cell's raw directory says: its status and, when ok, the llama-bench records. A cell
 * with no directory yet is "missing"; its numbers are absent, never zero.
 */
public record CellData(CellPlan plan, CellStatus status, String reason, double seconds, String observedProfile,
    List<BenchRecord> records, String machineNote, String power, String order) implements Serializable {

  /** "rounds;overhead seconds" of an interleaved cell, or null. */
  public CellData(CellPlan plan, CellStatus status, String reason, double seconds, String observedProfile, List<BenchRecord> records,
      String machineNote, String power) {
    this(plan, status, reason, seconds, observedProfile, records, machineNote, power, null);
  }

  public CellData(CellPlan plan, CellStatus status, String reason, double seconds, String observedProfile, List<BenchRecord> records,
      String machineNote) {
    this(plan, status, reason, seconds, observedProfile, records, machineNote, null);
  }

  /** A cell measured on a quiet machine (or not measured). */
  public CellData(CellPlan plan, CellStatus status, String reason, double seconds, String observedProfile, List<BenchRecord> records) {
    this(plan, status, reason, seconds, observedProfile, records, null);
  }

}
