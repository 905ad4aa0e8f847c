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

  public Map<String, Object> params() {
    return cell.params();
  }

  public List<String> experiments() {
    return cell.experiments();
  }

  /** The power profile the cell asks for, or null. */
  public String profile() {
    Object p = params().get("profile");
    return p == null ? null : p.toString();
  }

  /** The model file's name (without .gguf) as the command loads it: what `compare` matches on. */
  public String modelFile() {
    int m = plannedArgv.indexOf("-m");
    String path = m >= 0 && m + 1 < plannedArgv.size() ? plannedArgv.get(m + 1) : String.valueOf(params().get("model"));
    return path.substring(path.lastIndexOf('/') + 1).replaceAll("\\.gguf$", "");
  }
}
