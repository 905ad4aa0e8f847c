package dev.llamasweep.report;

import dev.llamasweep.results.FixedCosts;
import dev.llamasweep.stats.BytesPerToken;
import dev.llamasweep.stats.Estimate;
import dev.llamasweep.stats.TokenTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Why a token takes as long as it does, in two terms: the fixed cost any token pays (its model's
 * skeleton, measured like a cell) and the time moving the rest of its bytes. The bound is named by a
 * stated rule, and the ceilings say what infinite bandwidth, or bytes moving at the wall, would give:
 * on a laptop memory dominates; on a big GPU the fixed cost can, and then the wall is not the ceiling.
 */
final class FixedCostSection {
  private FixedCostSection() {}

  /** The skeleton measurements of the sweep, per backend, with the per-layer slope where half and twice the layers ran. */
  static void renderMeasurements(StringBuilder md, ReportData data) {
    if (data.skeletons().isEmpty()) return;
    md.append("## Fixed cost per token\n\n")
        .append("Each model's skeleton — its architecture, layers, experts, head width and weight types, the model and feed-forward widths ")
        .append("shrunk to ").append(dev.llamasweep.models.Skeleton.WIDTH).append(" and fewer heads in the model's ratio of query to KV heads, ")
        .append("so a token reads a few MB — generated like the cells it stands for ")
        .append("(same backend, threads, layers offloaded, flash attention). Its time per token is what a token costs whatever its bytes: ")
        .append("kernel launches, synchronisation and per-layer work. Raw output in `data/<spec>/fixed-cost/raw/`.\n\n");
    dev.llamasweep.table.Table table = dev.llamasweep.table.Table.ofText("model", "backend", "setup", "layers", "ms per token", "t/s", "bytes per token", "cell");
    List<FixedCosts.Skeleton> sorted = new ArrayList<>(data.skeletons());
    sorted.sort(java.util.Comparator.comparing(FixedCosts.Skeleton::backend).thenComparing(FixedCosts.Skeleton::model)
        .thenComparingInt(FixedCosts.Skeleton::layers));
    for (FixedCosts.Skeleton s : sorted) {
      String model = MarkdownText.escape(s.model());
      String backend = MarkdownText.escape(s.backend());
      String setup = MarkdownText.escape(setup(s.key()));
      String layers = String.valueOf(s.layers());
      if (s.noCudaGraphs()) setup = (setup.equals("—") ? "" : setup + " ") + "CUDA graphs off";
      if (s.tg() == null) {
        table.row(model, backend, setup, layers, "**" + MarkdownText.escape(s.status().word + (s.reason().isEmpty() ? "" : ": " + s.reason())) + "**",
            "—", "—", "`" + s.cell() + "`");
        continue;
      }
      table.row(model, backend, setup, layers, String.format(Locale.ROOT, "%.3f", s.ms()), s.tg().format(), BytesPerToken.mb(s.bytesPerToken()),
          "`" + s.cell() + "`");
    }
    md.append(table.markdown()).append('\n');
    launchOverhead(md, data);
    // half, same and twice the layers on one setup: a per-layer cost grows linearly
    Map<String, List<FixedCosts.Skeleton>> byKey = new LinkedHashMap<>();
    for (FixedCosts.Skeleton s : data.skeletons()) if (s.tg() != null && !s.noCudaGraphs()) byKey.computeIfAbsent(s.key(), k -> new ArrayList<>()).add(s);
    for (List<FixedCosts.Skeleton> g : byKey.values()) {
      if (g.size() < 3) continue;
      g.sort(java.util.Comparator.comparingInt(FixedCosts.Skeleton::layers));
      FixedCosts.Skeleton lo = g.get(0);
      FixedCosts.Skeleton mid = g.get(g.size() / 2);
      FixedCosts.Skeleton hi = g.get(g.size() - 1);
      double perLayer = (hi.ms() - lo.ms()) / (hi.layers() - lo.layers());
      double predicted = lo.ms() + perLayer * (mid.layers() - lo.layers());
      double off = mid.ms() / predicted - 1;
      md.append(String.format(Locale.ROOT, "%s on %s: %d, %d and %d layers take %.3f, %.3f and %.3f ms per token: (%.3f − %.3f) / (%d − %d) = "
              + "**%.1f µs per layer**, plus %.3f ms that does not grow with layers. The %d-layer skeleton is %s the straight line through the others "
              + "(%+.0f%%)%s.\n\n",
          MarkdownText.escape(lo.model()), MarkdownText.escape(lo.backend()), lo.layers(), mid.layers(), hi.layers(), lo.ms(), mid.ms(), hi.ms(),
          hi.ms(), lo.ms(), hi.layers(), lo.layers(), perLayer * 1000, lo.ms() - perLayer * lo.layers(), mid.layers(),
          Math.abs(off) <= 0.15 ? "on" : "off", off * 100,
          Math.abs(off) <= 0.15 ? ": the fixed cost is a cost per layer" : ": not linear within 15%, so the per-layer figure is only a rough one"));
    }
  }

  /**
   * Which CPU-side cost is in the fixed term on CUDA: each skeleton run again with CUDA graphs off
   * (GGML_CUDA_DISABLE_GRAPHS=1), set against the same skeleton with them. With graphs a token's kernels
   * are launched as one captured graph; without, one by one from the CPU: the difference is the launch
   * overhead graphs remove, and what is left of the fixed term is GPU-side per-layer work and synchronisation.
   */
  static void launchOverhead(StringBuilder md, ReportData data) {
    for (FixedCosts.Skeleton off : data.skeletons()) {
      if (!off.noCudaGraphs() || off.tg() == null) continue;
      FixedCosts.Skeleton on = data.skeletons().stream()
          .filter(s -> !s.noCudaGraphs() && s.key().equals(off.key()) && s.layers() == off.layers() && s.tg() != null).findFirst().orElse(null);
      if (on == null) continue;
      double diff = off.ms() - on.ms();
      md.append(String.format(Locale.ROOT, "CUDA graphs on %s (`%s`): its %d-layer skeleton takes %.3f ms per token with graphs (`%s`) and %.3f ms "
              + "with `%s=1` (`%s`): %s.\n\n", MarkdownText.escape(on.backend()), MarkdownText.escape(on.model()), on.layers(), on.ms(), on.cell(), off.ms(),
          FixedCosts.NO_CUDA_GRAPHS_VARIABLE, off.cell(),
          diff > 0 ? String.format(Locale.ROOT, "launching each kernel from the CPU costs **%.3f ms per token** more (%.0f%% of the token's fixed cost with "
              + "graphs), the overhead graphs remove. The %.3f ms left with graphs is a token with one graph launch: the layers' work on the GPU, "
              + "synchronisation and the graph's own checks", diff, diff / on.ms() * 100, on.ms())
              : String.format(Locale.ROOT, "without graphs it is no slower (%+.3f ms), so kernel launches are not what the fixed term is made of here", diff)));
    }
  }

  /** What else a skeleton's setup fixes besides model and backend ("threads=2 mmap=false"), from its key. */
  static String setup(String key) {
    List<String> out = new ArrayList<>();
    for (String kv : key.split(";")) {
      if (kv.isEmpty() || kv.endsWith("=") || kv.startsWith("model=") || kv.startsWith("backend=")) continue;
      out.add(kv);
    }
    return out.isEmpty() ? "—" : String.join(" ", out);
  }

  /**
   * "89% of the measured wall", or, when the bytes moved faster than the wall can deliver, why no share is
   * printed: a share above 100% is impossible, so part of the bytes came from cache or the bytes model over-counts.
   */
  static String ofWall(double reached, TokenBandwidth.Wall wall) {
    if (wall == null || Double.isNaN(reached)) return "";
    return reached > wall.gbs() ? "above the " + wall.kind() + " wall of " + MarkdownText.trim(wall.gbs())
        + " GB/s: part of the bytes came from cache, or the bytes model over-counts" : Estimate.percent(reached / wall.gbs(), 0) + " of the " + wall.kind() + " wall";
  }

  /** t/s with the bytes at the wall, or "—" when they already moved faster (the ceiling would sit below the measurement). */
  static String ceilingAtWall(TokenTime t, TokenBandwidth.Wall wall) {
    if (wall == null || t.reachedGBs() > wall.gbs()) return "—";
    return Estimate.num(t.tpsAtWall(wall.gbs()), 1);
  }

  /** The skeleton measurement that stands for a tg row: same setup, the model's own layer count, measured ok. */
  static FixedCosts.Skeleton skeletonOf(TokenBandwidth.Row r, ReportData data) {
    if (r.model() == null) return null;
    String key = dev.llamasweep.results.FixedCosts.key(r.cell().params());
    int layers = r.model().shape().layers();
    return data.skeletons().stream().filter(s -> s.key().equals(key) && s.layers() == layers && s.tg() != null && !s.noCudaGraphs()).findFirst().orElse(null);
  }

  /** The decomposition of a tg row, or null without a skeleton or bytes. */
  static TokenTime decompose(TokenBandwidth.Row r, ReportData data) {
    FixedCosts.Skeleton s = skeletonOf(r, data);
    if (s == null || r.bytes() == null) return null;
    return TokenTime.of(r.tg().mean(), s.tg().mean(), r.bytes().total(), s.bytesPerToken());
  }

  /** Per experiment: each tg row's time per token as fixed cost + moving its bytes, the bound, and the ceilings with the fixed cost in them. */
  static void render(StringBuilder md, List<TokenBandwidth.Row> rows, ReportData data, Derived derived) {
    dev.llamasweep.table.Table lines = dev.llamasweep.table.Table.ofText("cell", "test", "tg t/s", "ms per token", "fixed ms (share)", "moving ms",
        "bytes moved", "reached", "of the wall", "one matrix-sized read", "of that", "bound", "t/s, infinite bandwidth", "t/s at the wall");
    String example = null;
    for (TokenBandwidth.Row r : rows) {
      TokenTime t = derived.time(r);
      if (t == null) continue;
      FixedCosts.Skeleton s = skeletonOf(r, data);
      TokenBandwidth.Wall wall = r.measured() != null ? r.measured() : r.theoretical();
      double reached = t.reachedGBs();
      String share = wall == null || Double.isNaN(reached) ? "—"
          : reached > wall.gbs() ? "above the wall: the bytes model over-counts or the data sat in cache" : Estimate.percent(reached / wall.gbs(), 0);
      // what one read the size of this model's typical weight matrix reaches on this memory (system RAM's probe)
      double matrix = r.model() == null ? 0 : r.model().shape().typicalMatrixBytes();
      dev.llamasweep.host.GpuWall.Wall gpu = r.onSystemRam() ? null : r.walls().gpu(r.memory());
      Double oneRead = matrix <= 0 ? null : r.onSystemRam() ? (data.measuredWall() == null ? null : data.measuredWall().readAt(matrix))
          : gpu == null ? null : gpu.readAt(matrix);
      String sized = oneRead == null ? "—" : Estimate.num(oneRead, 1) + " GB/s (" + BytesPerToken.mb(matrix) + ")";
      String ofSized = oneRead == null || Double.isNaN(reached) ? "—" : reached > oneRead ? "above it" : Estimate.percent(reached / oneRead, 0);
      lines.row("`" + r.cell().id() + "`", r.test(), r.tg().format(), String.format(Locale.ROOT, "%.3f", t.tokenMs()),
          String.format(Locale.ROOT, "%.3f (%s)", t.fixedMs(), Estimate.percent(t.fixedShare(), 0)), String.format(Locale.ROOT, "%.3f", t.movingMs()),
          BytesPerToken.mb(t.movedBytes()), Double.isNaN(reached) ? "—" : Estimate.num(reached, 1) + " GB/s", share, sized, ofSized,
          "**" + derived.bound(r).words + "**", Estimate.num(t.tpsInfiniteBandwidth(), 1), ceilingAtWall(t, wall));
      if (example == null && !Double.isNaN(reached) && (wall == null || reached <= wall.gbs())) {
        example = String.format(Locale.ROOT, "For `%s` (%s): %.3f ms per token = %.3f ms fixed (its %d-layer skeleton, cell `%s`) + %.3f ms moving %s at %s GB/s%s. "
                + "With infinitely fast memory it would generate %s t/s; with its bytes at the %s wall, %s t/s.", r.cell().id(), r.test(), t.tokenMs(),
            t.fixedMs(), s.layers(), s.cell(), t.movingMs(), BytesPerToken.mb(t.movedBytes()), Estimate.num(reached, 1),
            wall == null ? "" : " = " + share + " of the " + wall.kind() + " wall of " + MarkdownText.trim(wall.gbs()) + " GB/s",
            Estimate.num(t.tpsInfiniteBandwidth(), 1), wall == null ? "—" : wall.kind(), wall == null ? "—" : Estimate.num(t.tpsAtWall(wall.gbs()), 1));
        if (oneRead != null && !Double.isNaN(reached) && reached <= oneRead) {
          boolean graphed = gpu != null && gpu.graphMeasuredAt(Math.round(matrix));
          example += String.format(Locale.ROOT, " The weights are read one matrix at a time, typically %s: reads of a buffer that size reach %s GB/s "
              + "on this memory (%s), so the kernels move the bytes at %s of what a read of that size can.", BytesPerToken.mb(matrix),
              Estimate.num(oneRead, 1), graphed ? "the probe's reads of exactly this size, back to back in one CUDA graph as llama.cpp launches a token, best of 20"
                  : "the probe's reads by size", Estimate.percent(reached / oneRead, 0));
        }
      }
    }
    if (lines.isEmpty()) return;
    md.append("### Time per token: fixed cost + moving the bytes\n\n")
        .append("Time per token = the skeleton's time per token (the fixed cost) + the rest of the bytes a token reads at the bandwidth the ")
        .append("run reached. ").append(Character.toUpperCase(TokenTime.RULE.charAt(0))).append(TokenTime.RULE.substring(1)).append(". The ceilings ")
        .append("keep the fixed cost: t/s with infinitely fast memory = 1000 / fixed ms; t/s at the wall = 1000 / (fixed ms + bytes moved / wall).\n\n");
    if (example != null) md.append(example).append("\n\n");
    md.append(lines.markdown()).append('\n');
  }
}
