package dev.llamasweep.benchhost;

import dev.llamasweep.spec.Cell;
import dev.llamasweep.spec.CellSelector;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** --cell and --where: which cells of the grid a command works on. */
public final class CellSelection {
  @Option(names = "--cell", paramLabel = "ID", split = ",", description = "only cells whose id starts with ID (repeatable)")
  public List<String> prefixes;

  @Option(names = "--where", paramLabel = "K=V,...", description = "only cells with these parameters, e.g. model=target,mmap=false")
  public String where;

  public List<Cell> select(List<Cell> all) {
    List<Cell> cells = all;
    if (prefixes != null && !prefixes.isEmpty()) cells = CellSelector.byIdPrefixes(cells, prefixes);
    if (where != null && !where.isBlank()) {
      cells = CellSelector.where(cells, CellSelector.parseWhere(where));
      if (cells.isEmpty()) throw new IllegalArgumentException("no cell matches --where " + where + "; `plan` lists the cells.");
    }
    return new ArrayList<>(cells);
  }
}
