package dev.llamasweep.llamacpp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llamasweep.execute.CellPlan;
import dev.llamasweep.spec.Axis;
import dev.llamasweep.spec.Cell;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchCommandTest {
  static Cell cell(Map<Axis, Object> extra) {
    Map<Axis, Object> v = new EnumMap<>(Axis.class);
    v.putAll(Map.of(Axis.MODEL, "m", Axis.BACKEND, "rocm", Axis.PROMPT, 512L, Axis.GENERATE, 128L,
        Axis.DEPTH, 0L, Axis.REPETITIONS, 5L));
    v.putAll(extra);
    return Cell.of(dev.llamasweep.spec.Bench.LLAMA_BENCH, v);
  }

  @Test
  void seedRocmCommand() {
    // the seed: llama-bench -m model.gguf -ngl 99 -mmp 0 -fa 1 -p 512 -n 128 (early-2026 build)
    Cell c = cell(Map.of(Axis.GPU_LAYERS, 99L, Axis.MMAP, false, Axis.FLASH_ATTN, true));
    List<String> argv = BenchCommand.argv(c, Path.of("/opt/llama rocm"), Path.of("/m/Qwen3 8B.gguf"),
        Flags.MmapDialect.MMP, null, List.of());
    assertEquals(List.of("/opt/llama rocm/llama-bench", "-m", "/m/Qwen3 8B.gguf", "-p", "512", "-n", "128",
        "-d", "0", "-r", "5", "-ngl", "99", "-fa", "1", "-mmp", "0", "-o", "jsonl"), argv);
  }

  @Test
  void pinnedDialectAndThreads() {
    Cell c = cell(Map.of(Axis.MMAP, true, Axis.THREADS, "auto"));
    List<String> argv = BenchCommand.argv(c, Path.of("/b"), Path.of("/m.gguf"), Flags.MmapDialect.LOAD_MODE, 24, List.of("--prio", "2"));
    assertEquals(List.of("/b/llama-bench", "-m", "/m.gguf", "-p", "512", "-n", "128", "-d", "0", "-r", "5",
        "-t", "24", "-lm", "mmap", "--prio", "2", "-o", "jsonl"), argv);
  }

  @Test
  void aSplitOverDevicesIsPassedAsLlamaBenchTakesIt() {
    Cell c = cell(Map.of(Axis.GPU_LAYERS, 99L, Axis.SPLIT_MODE, "row", Axis.TENSOR_SPLIT, "3/1", Axis.MAIN_GPU, 1L));
    List<String> argv = BenchCommand.argv(c, Path.of("/b"), Path.of("/m.gguf"), Flags.MmapDialect.LOAD_MODE, null, List.of());
    assertEquals(List.of("/b/llama-bench", "-m", "/m.gguf", "-p", "512", "-n", "128", "-d", "0", "-r", "5",
        "-ngl", "99", "-sm", "row", "-ts", "3/1", "-mg", "1", "-o", "jsonl"), argv);
  }

  @Test
  void shellLineQuotesOnlyWhatNeedsIt() {
    CellPlan p = new CellPlan(0, "s", new dev.llamasweep.spec.Cell("id", dev.llamasweep.spec.Bench.LLAMA_BENCH, dev.llamasweep.spec.Params.read(Map.of(), "test"), List.of()),
        CellPlan.Command.bench(List.of("/opt/llama rocm/llama-bench", "-m", "/m/it's;here.gguf", "-p", "512"),
            new java.util.TreeMap<>(Map.of("LD_LIBRARY_PATH", "./llama-rocm:./llama-rocm/hipblaslt")), 10, "/tmp/x", Map.of()),
        "", CellPlan.Policies.DEFAULT, null, CellPlan.Interleaving.NONE);
    assertEquals("env LD_LIBRARY_PATH=./llama-rocm:./llama-rocm/hipblaslt '/opt/llama rocm/llama-bench' -m '/m/it'\\''s;here.gguf' -p 512",
        p.shellCommand());
  }
}
