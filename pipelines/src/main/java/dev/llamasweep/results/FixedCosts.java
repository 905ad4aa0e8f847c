package dev.llamasweep.results;

import dev.llamasweep.spec.Axis;

import dev.llamasweep.llamacpp.BenchJsonl;
import dev.llamasweep.llamacpp.BenchRecord;
import dev.llamasweep.stats.Estimate;
import dev.llamasweep.stats.Summaries;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The skeleton cells of a data directory (data/&lt;spec&gt;/fixed-cost/raw/), read back: what a token costs besides its bytes. */
public final class FixedCosts {
  /** The axes that decide what a token costs besides its bytes; a skeleton cell serves every tg cell that agrees on them. */
  public static final List<Axis> KEY = List.of(Axis.MODEL, Axis.BACKEND, Axis.THREADS, Axis.GPU_LAYERS, Axis.FLASH_ATTN, Axis.MMAP, Axis.PROFILE);

  /** The identity of what a token costs besides its bytes, from a cell's (or skeleton cell's) parameters. */
  public static String key(dev.llamasweep.spec.Params params) {
    StringBuilder k = new StringBuilder();
    for (Axis a : KEY) {
      Object v = a == Axis.MODEL && params.skeleton().isPresent() ? params.skeleton().get().of() : params.get(a);
      k.append(a.key).append('=').append(v == null ? "" : String.valueOf(v)).append(';');
    }
    return k.toString();
  }


  private FixedCosts() {}

  /** ggml-cuda's switch that turns CUDA graphs off (ggml/src/ggml-cuda/common.cuh reads it once): a skeleton's twin runs with it set. */
  public static final String NO_CUDA_GRAPHS_VARIABLE = "GGML_CUDA_DISABLE_GRAPHS";

  /**
   * One skeleton measurement: the setup it stands for ({@link #key}), its layers, the
   * bytes its token reads, and its tg estimate (or why there is none).
   */
  public record Skeleton(String cell, String key, String model, String backend, int layers, double bytesPerToken, Estimate tg, String test,
      CellStatus status, String reason, boolean noCudaGraphs) {
    public double ms() {
      return 1000 / tg.mean();
    }
  }

  public static List<Skeleton> read(Path dataDir) {
    Path raw = new RawStore(dataDir.resolve("fixed-cost")).root();
    List<Skeleton> out = new ArrayList<>();
    if (!Files.isDirectory(raw)) return out;
    List<Path> dirs;
    try (var list = Files.list(raw)) {
      dirs = list.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("listing the skeleton cells in " + raw, e);
    }
    for (Path d : dirs) {
      try {
        out.add(one(d));
      } catch (IOException | RuntimeException e) {
        // a damaged skeleton cell is shown as such, by name; the report renders everything else
        out.add(new Skeleton(d.getFileName().toString(), "", "unknown", "unknown", 0, 0, null, null, CellStatus.INVALID,
            d.getFileName() + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), false));
      }
    }
    return out;
  }

  private static Skeleton one(Path d) throws IOException {
    dev.llamasweep.spec.Params params = CellJson.read(d).cell().params();
    dev.llamasweep.spec.Params.Skeleton of = params.skeleton().orElse(new dev.llamasweep.spec.Params.Skeleton("null", 0, 0));
    CellResult r = ResultJson.readOrNull(d);
    CellStatus status = r == null ? CellStatus.INVALID : r.status();
    Estimate tg = null;
    String test = null;
    if (status == CellStatus.OK) {
      for (BenchRecord b : BenchJsonl.parse(dev.llamasweep.io.InputFiles.text(d.resolve("stdout.jsonl"), dev.llamasweep.io.InputFiles.Kind.RAW_OUTPUT), d.getFileName() + "/stdout.jsonl")) {
        if (b.kind() == dev.llamasweep.llamacpp.TestShape.Kind.TG) {
          tg = Summaries.of(b.samplesTs().stream().mapToDouble(Double::doubleValue).toArray());
          test = b.test();
        }
      }
    }
    return new Skeleton(d.getFileName().toString(), key(params), of.of(), String.valueOf(params.backend()), (int) of.layers(),
        of.bytesPerToken(), tg, test, tg == null && status == CellStatus.OK
            ? CellStatus.INVALID : status, r == null ? "no result.json" : r.reason() == null ? "" : r.reason(), of.noCudaGraphs());
  }
}
