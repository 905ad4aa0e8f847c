package dev.llamasweep.report;

import dev.llamasweep.results.CellRow;

import dev.llamasweep.results.CellEntry;
import dev.llamasweep.host.ComputeWall;
import dev.llamasweep.results.ModelHeaders;
import dev.llamasweep.stats.BytesPerToken;
import dev.llamasweep.stats.Estimate;
import dev.llamasweep.stats.FlopsPerToken;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Prompt processing against a compute wall, computed once for the report's sections, findings and
 * charts: FLOPs per prompt token from the model's tensor table, the FLOP/s a pp cell achieved, and the
 * backend's measured matrix-product rate for the model's main weight type, with the bound named by a
 * stated rule. The seed's "pp is 24× faster than tg" is this asymmetry: a prompt multiplies each weight
 * it reads by hundreds of tokens, so compute, not memory, sets its pace.
 */
final class PromptCompute {
  private PromptCompute() {}

  /** Half the wall: below it, other work than the matrix products (attention, norms, threads waiting) takes most of the time. */
  static final double COMPUTE_BOUND = 0.5;

  static final String RULE = "a prompt is compute-bound when it reaches at least half of its backend's matrix-product rate for the model's "
      + "main weight type (llama.cpp's test-backend-ops on a 4096 × 14336 matrix by 512 columns); below that, the rest of the work "
      + "(attention, other operations, synchronisation) takes most of its time. A prompt faster than that rate names no bound: "
      + "test-backend-ops multiplies weights as they are stored, while inference on a CPU repacks them into the layouts its fastest "
      + "kernels read (llama.cpp's extra buffer types), so on a CPU the benchmark's rate can sit below what prompts reach";

  /** One pp estimate with its work per token, the rate reached, and the wall it is held against (null when not measured). */
  record Row(CellEntry cell, String test, Estimate pp, FlopsPerToken.Breakdown flops, String type, ComputeWall.Measured wall,
      double weightBytes, long tokensPerWeightRead) {
    double achievedTflops() {
      return flops.total() * pp.mean() / 1e12;
    }

    /** FLOPs per byte of weights read: a micro-batch of tokens shares one read of the weights. */
    double intensity() {
      return flops.total() * tokensPerWeightRead / weightBytes;
    }


    /** The share of the wall reached, or null when the wall is unknown or the prompt beat it (then it is no ceiling). */
    Double utilisation() {
      return wall == null || !wall.isKnown() || aboveWall() ? null : achievedTflops() / wall.tflops();
    }

    /** The prompt ran faster than the kernel benchmark: the benchmark's kernels are not the ones inference used. */
    boolean aboveWall() {
      return wall != null && wall.isKnown() && achievedTflops() > wall.tflops() * 1.05;
    }

    Bound bound() {
      return PromptCompute.bound(achievedTflops(), wall == null || !wall.isKnown() ? null : wall.tflops());
    }
  }

  /** What bounds a prompt token, by the stated rule. */
  public enum Bound {
    COMPUTE("compute"), BELOW_COMPUTE_WALL("below the compute wall"), NO_WALL("not named (no compute wall measured)"),
    ABOVE_WALL("not named: the prompt beat the kernel benchmark, so its rate is no ceiling here");

    public final String words;

    Bound(String words) {
      this.words = words;
    }
  }

  /** The stated rule on its two figures: TFLOP/s reached and the measured matrix-product rate (null when unknown). */
  static Bound bound(double achievedTflops, Double wallTflops) {
    if (wallTflops == null) return Bound.NO_WALL;
    if (achievedTflops > wallTflops * 1.05) return Bound.ABOVE_WALL;
    return achievedTflops / wallTflops >= COMPUTE_BOUND ? Bound.COMPUTE : Bound.BELOW_COMPUTE_WALL;
  }

  /** llama-bench's default n_ubatch: the tokens of a prompt that share one read of the weights. */
  static final long UBATCH = 512;

  /** Every pp estimate of these cells that has a model header, in plan order. */
  static List<Row> rows(List<CellEntry> cells, ReportData data) {
    List<Row> out = new ArrayList<>();
    for (CellEntry c : cells) {
      CellRow row = data.cell(c);
      if (row == null || !row.status().isOk()) continue;
      ModelHeaders.Entry model = data.models().get(String.valueOf(c.params().model()));
      if (model == null) continue;
      for (Map.Entry<String, Estimate> e : data.testsOf(c.id()).entrySet()) {
        dev.llamasweep.llamacpp.TestShape shape = data.shape(c.id(), e.getKey());
        if (shape.kind() != dev.llamasweep.llamacpp.TestShape.Kind.PP) continue;
        long n = shape.nPrompt();
        FlopsPerToken.Breakdown f = FlopsPerToken.of(model.shape(), BytesPerToken.meanContext(shape.nDepth(), n));
        if (f == null) continue;
        String type = model.shape().mainWeightType();
        ComputeWall.Measured wall = type == null ? null : data.computeWalls().get(c.params().backend() + "/" + type);
        // llama-bench's default micro-batch (-ub 512): a prompt reads the weights once per that many tokens
        long perRead = Math.min(UBATCH, Math.max(1, n));
        out.add(new Row(c, e.getKey(), e.getValue(), f, type, wall, BytesPerToken.of(model.shape(), 2, 2, "f16/f16", 0).weightBytes(), perRead));
      }
    }
    return out;
  }


  /** Per experiment: each pp row's work per token, the FLOP/s reached, the wall and the bound. */
  static void render(StringBuilder md, List<Row> rows) {
    if (rows.isEmpty()) return;
    md.append("### Prompt processing: compute\n\n")
        .append("FLOPs per prompt token = 2 × the weights a token multiplies by (routed experts at used/count) + attention over the positions it ")
        .append("attends to (on average depth + (n + 1) / 2 in a causal prompt); achieved = FLOPs per token × pp t/s. ")
        .append(Character.toUpperCase(RULE.charAt(0))).append(RULE.substring(1)).append(". Each wall's command, raw output and result are in ")
        .append("`data/<spec>/walls/compute-<backend>-<type>/` (`command.sh` re-runs it).\n\n");
    Row ex = rows.get(0);
    md.append(String.format(Locale.ROOT, "For `%s` (%s): %s; × %s t/s = **%s TFLOP/s**%s.\n\n", ex.cell().id(), ex.test(),
        ex.flops().arithmetic(), Estimate.num(ex.pp().mean(), 1), tf(ex.achievedTflops()),
        ex.utilisation() == null ? "" : String.format(Locale.ROOT, " = %s of the %s wall of %s TFLOP/s (%s)", Estimate.percent(ex.utilisation(), 0), ex.type(),
            tf(ex.wall().tflops()), MarkdownText.escape(ex.wall().describe()))));
    dev.llamasweep.table.Table t = dev.llamasweep.table.Table.ofText("cell", "test", "pp t/s", "FLOPs per token", "achieved", "compute wall", "of the wall", "bound");
    for (Row r : rows) {
      t.row("`" + r.cell().id() + "`", r.test(), r.pp().format(), FlopsPerToken.flop(r.flops().total()), tf(r.achievedTflops()) + " TFLOP/s",
          r.wall() == null ? "not measured" : r.wall().isKnown() ? tf(r.wall().tflops()) + " TFLOP/s (" + r.type() + ")"
              : "unknown: " + MarkdownText.escape(r.wall().unknownBecause()),
          r.aboveWall() ? "above it" : r.utilisation() == null ? "—" : Estimate.percent(r.utilisation(), 0), "**" + r.bound().words + "**");
    }
    md.append(t.markdown()).append('\n');
  }

  /** TFLOP/s with three significant figures: 0.0312, 1.24, 190. */
  static String tf(double v) {
    if (v >= 100) return String.format(Locale.ROOT, "%.0f", v);
    if (v >= 10) return String.format(Locale.ROOT, "%.1f", v);
    if (v >= 1) return String.format(Locale.ROOT, "%.2f", v);
    if (v >= 0.1) return String.format(Locale.ROOT, "%.3f", v);
    return String.format(Locale.ROOT, "%.4f", v);
  }
}
