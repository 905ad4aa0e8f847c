package dev.llamasweep.results;

import dev.llamasweep.spec.Bench;
import dev.llamasweep.spec.Cell;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A cell as the data directory knows it, without how it is run: its grid identity (id, bench,
 * parameters, experiments), its place in the run order, its raw directory and the command planned
 * for it. What execution plans hand to readers and renderers, so these never see an execution plan.
 *
 * @param rawDir data/&lt;spec&gt;/raw/&lt;id&gt;/ (null where a cell has none, as in a corpus)
 * @param plannedArgv the planned command (the one that ran is in result.json)
 * @param plannedCommand the same as a copy-pasteable shell line, environment included
 */
public record CellEntry(int index, Cell cell, Path rawDir, List<String> plannedArgv, String plannedCommand) {
  public CellEntry {
    plannedArgv = plannedArgv == null ? List.of() : List.copyOf(plannedArgv);
  }

  public String id() {
    return cell.id();
  }

  public Bench bench() {
    return cell.bench();
  }

  public dev.llamasweep.spec.Params params() {
    return cell.params();
  }

  public List<String> experiments() {
    return cell.experiments();
  }

  /** The power profile the cell asks for, or null. */
  public String profile() {
    return params().profile();
  }

  /** The model file's name (without .gguf) as the command loads it: what `compare` matches on. */
  public String modelFile() {
    return modelFile(plannedArgv);
  }

  /** The model file a command names with -m, without directory and .gguf; the model's key when it names none. */
  public String modelFile(List<String> argv) {
    int m = argv.indexOf("-m");
    String path = m >= 0 && m + 1 < argv.size() ? argv.get(m + 1) : String.valueOf(params().model());
    return path.substring(path.lastIndexOf('/') + 1).replaceAll("\\.gguf$", "");
  }

  /**
   * The spec's cells as a render knows them, without planning them: nothing is resolved (no binary, no model, no
   * llama-bench --help), so a data directory renders on any machine. Each cell's command is the one cells.csv
   * holds for it (the one that ran, or the one planned by the run that wrote it); result.json has the rest.
   */
  public static List<CellEntry> ofSpec(List<Cell> cells, Path dataDir) {
    Map<String, String> commands = new java.util.HashMap<>();
    if (java.nio.file.Files.isRegularFile(dataDir.resolve("cells.csv"))) {
      for (CellRow r : ResultFiles.readCells(dataDir)) commands.put(r.id(), r.command());
    }
    RawStore store = new RawStore(dataDir);
    List<CellEntry> out = new java.util.ArrayList<>();
    for (Cell c : cells) out.add(new CellEntry(out.size(), c, store.cellDir(c.id()), List.of(), commands.getOrDefault(c.id(), "")));
    return out;
  }
}
