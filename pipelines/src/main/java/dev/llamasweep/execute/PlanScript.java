package dev.llamasweep.execute;

import dev.llamasweep.io.Shell;
import java.util.List;

/**
 * {@code plan --script}: the selected cells as one plain shell script, what a hand-written loop would
 * run. Every value is quoted by {@link Shell#quote} and every comment goes through
 * {@link Shell#comment}, so nothing a spec names can run as a command of its own.
 */
public final class PlanScript {
  private PlanScript() {}

  public static String of(String specFile, List<CellPlan> plans) {
    StringBuilder sb = new StringBuilder("#!/bin/sh\n# llama-sweep plan of ").append(Shell.comment(specFile)).append(": ")
        .append(plans.size()).append(" cells, run one after another\n");
    for (CellPlan p : plans) sb.append("# cell ").append(p.id()).append("  ").append(Shell.comment(p.label())).append('\n').append(p.shellScript());
    return sb.toString();
  }
}
