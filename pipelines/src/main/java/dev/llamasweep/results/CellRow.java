package dev.llamasweep.results;

import dev.llamasweep.host.PowerRecord;
import dev.llamasweep.spec.Bench;
import java.util.List;
import java.util.Map;

/**
 * One cells.csv row, typed: what every reader of a data directory's cells takes (report, corpus,
 * SQLite export, ingest), written and read by {@link ResultFiles} only. Absent figures are null.
 * Its grid identity, then how it ran ({@link Outcome}) and what llama-bench reported of the model and
 * build ({@link Facts}); the accessors below read through, so a reader never reaches into the parts.
 */
public record CellRow(String id, List<String> experiments, Bench bench, dev.llamasweep.spec.Params params, Outcome outcome,
    PowerRecord power, CellResult.Order order, Facts facts) {

  /**
   * How the cell ran.
   *
   * @param seconds the cell's wall time, from the first benchmark start to the last end
   * @param harnessCpuS CPU the orchestrating JVM used while the benchmark ran (null when unknown, as for ingested cells)
   * @param command the command that ran (from result.json), or the planned one
   * @param machineNote why the machine was not quiet before the cell ("" when it was)
   */
  public record Outcome(CellStatus status, String reason, double seconds, Double harnessCpuS, String observedProfile, String command,
      String machineNote) {
    /** The same outcome with another status and reason. */
    public Outcome as(CellStatus s, String why) {
      return new Outcome(s, why, seconds, harnessCpuS, observedProfile, command, machineNote);
    }
  }

  /**
   * What llama-bench said of the model and the build.
   *
   * @param llamaCppBuild the build llama-bench reported: "80fb11a (build 1)"
   */
  public record Facts(String modelFile, Long modelSize, String modelType, String typeK, String typeV, String backends, String llamaCppBuild) {
    public static final Facts NONE = new Facts(null, null, null, null, null, null, null);
  }

  public CellStatus status() { return outcome.status(); }
  public String reason() { return outcome.reason(); }
  public double seconds() { return outcome.seconds(); }
  public Double harnessCpuS() { return outcome.harnessCpuS(); }
  public String observedProfile() { return outcome.observedProfile(); }
  public String command() { return outcome.command(); }
  public String machineNote() { return outcome.machineNote(); }
  public String modelFile() { return facts.modelFile(); }
  public Long modelSize() { return facts.modelSize(); }
  public String modelType() { return facts.modelType(); }
  public String typeK() { return facts.typeK(); }
  public String typeV() { return facts.typeV(); }
  public String backends() { return facts.backends(); }
  public String llamaCppBuild() { return facts.llamaCppBuild(); }
}
