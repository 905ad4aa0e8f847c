package dev.llamasweep.llamacpp;

import dev.llamasweep.spec.Axis;
import dev.llamasweep.spec.Cell;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The llama-bench argv for one cell. */
public final class BenchCommand {
  private BenchCommand() {}

  /**
   * @param threads the resolved thread count, or null to leave llama-bench's default
   */
  public static List<String> argv(Cell cell, Path binDir, Path model, Flags.MmapDialect dialect,
      Integer threads, List<String> extraArgs) {
    List<String> a = new ArrayList<>();
    a.add(binDir.resolve("llama-bench").toString());
    a.add("-m");
    a.add(model.toString());
    a.add("-p");
    a.add(String.valueOf(cell.getLong(Axis.PROMPT)));
    a.add("-n");
    a.add(String.valueOf(cell.getLong(Axis.GENERATE)));
    a.add("-d");
    a.add(String.valueOf(cell.getLong(Axis.DEPTH)));
    a.add("-r");
    a.add(String.valueOf(cell.getLong(Axis.REPETITIONS)));
    if (threads != null) {
      a.add("-t");
      a.add(String.valueOf(threads));
    }
    if (cell.get(Axis.GPU_LAYERS) != null) {
      a.add("-ngl");
      a.add(String.valueOf(cell.getLong(Axis.GPU_LAYERS)));
    }
    if (cell.get(Axis.FLASH_ATTN) != null) a.addAll(Flags.benchFlashAttn((Boolean) cell.get(Axis.FLASH_ATTN)));
    if (cell.get(Axis.MMAP) != null) a.addAll(Flags.benchMmap(dialect, (Boolean) cell.get(Axis.MMAP)));
    a.addAll(extraArgs);
    a.add("-o");
    a.add("jsonl");
    return a;
  }
}
