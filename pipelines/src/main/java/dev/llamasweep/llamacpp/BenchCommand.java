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
    // how the model is spread over devices: only where the spec says (llama-bench's defaults otherwise)
    if (cell.get(Axis.SPLIT_MODE) != null) a.addAll(List.of("-sm", (String) cell.get(Axis.SPLIT_MODE)));
    if (cell.get(Axis.TENSOR_SPLIT) != null) a.addAll(List.of("-ts", (String) cell.get(Axis.TENSOR_SPLIT)));
    if (cell.get(Axis.MAIN_GPU) != null) a.addAll(List.of("-mg", String.valueOf(cell.getLong(Axis.MAIN_GPU))));
    a.addAll(extraArgs);
    a.add("-o");
    a.add("jsonl");
    return a;
  }
}
