package dev.llamasweep.results;

import dev.llamasweep.host.PowerRecord;
import dev.llamasweep.spec.Bench;
import java.util.List;
import java.util.Map;

/**
 * One cells.csv row, typed: what every reader of a data directory's cells takes (report, corpus,
 * SQLite export, ingest), written and read by {@link ResultFiles} only. Parameters are as the
 * file holds them (text); absent figures are null.
 *
 * @param seconds the cell's wall time, from the first benchmark start to the last end
 * @param harnessCpuS CPU the orchestrating JVM used while the benchmark ran (null when unknown, as for ingested cells)
 * @param command the command that ran (from result.json), or the planned one
 * @param machineNote why the machine was not quiet before the cell ("" when it was)
 * @param llamaCppBuild the build llama-bench reported: "80fb11a (build 1)"
 */
public record CellRow(String id, List<String> experiments, Bench bench, dev.llamasweep.spec.Params params, CellStatus status,
    String reason, double seconds, Double harnessCpuS, String observedProfile, String command, String machineNote, PowerRecord power,
    CellResult.Order order, String modelFile, Long modelSize, String modelType, String typeK, String typeV, String backends, String llamaCppBuild) {}
