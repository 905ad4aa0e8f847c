package dev.llamasweep.results;

import dev.llamasweep.execute.CellPlan;
import dev.llamasweep.llamacpp.BenchRecord;
import java.io.Serializable;
import java.util.List;

/**
 * What one cell's raw directory says: its status and, when ok, the llama-bench records. A cell
 * with no directory yet is "missing"; its numbers are absent, never zero.
 */
public record CellData(CellPlan plan, String status, String reason, double seconds, String observedProfile,
    List<BenchRecord> records) implements Serializable {

  public static final String MISSING = "missing";
}
