package dev.llamasweep;

import dev.llamasweep.execute.CellPlan;
import dev.llamasweep.host.PowerRecord;
import dev.llamasweep.llamacpp.BenchRecord;
import dev.llamasweep.results.CellData;
import dev.llamasweep.results.CellResult;
import dev.llamasweep.results.CellStatus;
import dev.llamasweep.results.PowerJson;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** For tests: what a cell's raw directory would say after it ran, made without running it. */
public final class TestCells {
  /** A llama-bench plan of one cell with these parameters, raw directory given, defaults for the rest. */
  public static CellPlan plan(String id, dev.llamasweep.spec.Params params, java.nio.file.Path rawDir) {
    return new CellPlan(0, "test", new dev.llamasweep.spec.Cell(id, dev.llamasweep.spec.Bench.LLAMA_BENCH, params, List.of("e")),
        CellPlan.Command.bench(List.of("llama-bench"), Map.of(), 10, rawDir.toString(), Map.of()), "", CellPlan.Policies.DEFAULT, null,
        CellPlan.Interleaving.NONE);
  }

  private TestCells() {}

  public static CellData data(CellPlan plan, CellStatus status, String reason, double seconds, String observedProfile, List<BenchRecord> records) {
    return dataWithPower(plan, status, reason, seconds, observedProfile, records, null, null);
  }

  public static CellData data(CellPlan plan, CellStatus status, String reason, double seconds, String observedProfile, List<BenchRecord> records,
      String machineNote) {
    return dataWithPower(plan, status, reason, seconds, observedProfile, records, machineNote, null);
  }

  /** @param powerJson the power record as result.json holds it */
  public static CellData data(CellPlan plan, CellStatus status, String reason, double seconds, String observedProfile, List<BenchRecord> records,
      String machineNote, String powerJson) {
    return dataWithPower(plan, status, reason, seconds, observedProfile, records, machineNote, PowerJson.ofLine(powerJson, "test"));
  }

  public static CellData dataWithPower(CellPlan plan, CellStatus status, String reason, double seconds, String observedProfile, List<BenchRecord> records,
      String machineNote, PowerRecord power) {
    if (status == CellStatus.MISSING) return CellData.missing(plan.entry());
    Instant t0 = Instant.parse("2026-12-01T10:00:00Z");
    CellResult.Machine machine = machineNote == null ? null : new CellResult.Machine(false, 0.5, List.of(), List.of(), 0, null, machineNote);
    BenchRecord first = records.isEmpty() ? null : records.get(0);
    CellResult r = new CellResult(plan.id(), new CellResult.Ending(status, reason, status == CellStatus.OK ? 0 : 1),
        new CellResult.Timing(t0, t0.plusMillis(Math.round(seconds * 1000)), seconds, plan.timeoutSeconds(), 0),
        new CellResult.Invocation(plan.argv(), plan.env(), Map.of()),
        new CellResult.Reported(first == null ? null : first.buildCommit(), first == null ? null : first.buildCommit(),
            first == null ? null : first.buildNumber(), first == null ? null : first.backends()),
        plan.modelBytes(), new CellResult.Profiles(plan.profile(), observedProfile), power, null, machine, null, null);
    return new CellData(plan.entry(), status, reason, records, r);
  }
}
