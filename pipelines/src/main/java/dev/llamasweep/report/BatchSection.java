package dev.llamasweep.report;

import dev.llamasweep.host.ComputeWall;
import dev.llamasweep.llamacpp.TestShape;
import dev.llamasweep.results.CellEntry;
import dev.llamasweep.results.CellRow;
import dev.llamasweep.results.FixedCosts;
import dev.llamasweep.results.ModelHeaders;
import dev.llamasweep.spec.Axis;
import dev.llamasweep.spec.Bench;
import dev.llamasweep.stats.BatchCurve;
import dev.llamasweep.stats.BytesPerToken;
import dev.llamasweep.stats.Estimate;
import dev.llamasweep.stats.FlopsPerToken;
import dev.llamasweep.stats.Speculation;
import dev.llamasweep.table.Table;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Batch curves: the cells of a batch experiment that differ only in B make one curve; each point's step
 * is set against its floors (fixed cost + the weights once at the memory wall; B tokens' FLOPs at the
 * compute wall), its bound named, the knee found, and — where the experiment also has a smaller model's
 * curve on the same backend — speculative decoding's speed-up predicted from the two curves.
 */
final class BatchSection {
  private BatchSection() {}

  /** The longest draft the prediction table is written for: past it even a perfect draft gains little. */
  static final long MAX_DRAFT = 32;

  /**
   * Whether one curve's model can draft for another's: the same backend and depth, the same vocabulary
   * (the target verifies the draft's tokens) and under half its weights (a draft that reads as much is no
   * draft; the synthetic pair's draft is a third of its target, mostly the shared embedding).
   */
  static boolean draftFor(Curve draft, Curve target) {
    if (!draft.backend().equals(target.backend()) || draft.depth() != target.depth() || draft.bytes() == null || target.bytes() == null) return false;
    if (draft.vocabulary() <= 0 || draft.vocabulary() != target.vocabulary()) return false;
    return draft.bytes().weightBytes() * 2 < target.bytes().weightBytes();
  }

  /** Acceptance rates the prediction table is written for. */
  static final List<Double> ALPHAS = List.of(0.5, 0.6, 0.7, 0.8, 0.9, 1.0);

  /**
   * One curve with where its terms came from.
   *
   * @param cells its cells, B ascending (a cell that did not run has no point)
   * @param skeleton the skeleton cell whose time per token is the fixed cost, or null
   * @param bytes the bytes model at the curve's mean context, or null
   * @param flops FLOPs per token at the curve's mean context, or null
   * @param wall the measured wall of the memory the weights are in, or null
   * @param compute the compute wall for the model's main weight type, or null
   */
  record Curve(String model, String backend, long depth, long generate, List<CellEntry> cells, BatchCurve curve, FixedCosts.Skeleton skeleton,
      BytesPerToken.Breakdown bytes, FlopsPerToken.Breakdown flops, TokenBandwidth.Wall wall, ComputeWall.Measured compute, long vocabulary) {
    String title() {
      return "`" + MarkdownText.code(model) + "` on " + MarkdownText.escape(backend) + (depth > 0 ? " at depth " + depth : "");
    }

    /** The cell of a point. */
    CellEntry cellOf(BatchCurve.Point p) {
      return cells.stream().filter(c -> c.params().batch() == p.batch()).findFirst().orElseThrow();
    }
  }

  /** The curves of these cells: batch cells grouped by every parameter but B, in plan order. */
  static List<Curve> curves(List<CellEntry> cells, ReportData data, TokenBandwidth.Walls walls) {
    Map<String, List<CellEntry>> groups = new LinkedHashMap<>();
    for (CellEntry c : cells) {
      if (c.bench() != Bench.BATCH) continue;
      StringBuilder key = new StringBuilder();
      for (Axis a : Axis.values()) if (a != Axis.BATCH) key.append(a.key).append('=').append(c.params().get(a)).append(';');
      groups.computeIfAbsent(key.toString(), k -> new ArrayList<>()).add(c);
    }
    List<Curve> out = new ArrayList<>();
    for (List<CellEntry> group : groups.values()) {
      List<CellEntry> sorted = group.stream().sorted(Comparator.comparingLong(c -> c.params().batch())).toList();
      CellEntry first = sorted.get(0);
      List<BatchCurve.Point> points = new ArrayList<>();
      for (CellEntry c : sorted) {
        CellRow row = data.cell(c);
        if (row == null || !row.status().isOk()) continue;
        for (Map.Entry<String, Estimate> e : data.testsOf(c.id()).entrySet()) {
          TestShape shape = data.shape(c.id(), e.getKey());
          if (shape.kind() == TestShape.Kind.BATCH) points.add(new BatchCurve.Point(shape.nParallel(), e.getValue()));
        }
      }
      String model = first.params().model();
      ModelHeaders.Entry header = data.models().get(model);
      long depth = first.params().depth();
      long generate = first.params().generate();
      double context = BytesPerToken.meanContext(depth, generate);
      BytesPerToken.Breakdown bytes = header == null ? null : BytesPerToken.of(header.shape(), 2, 2, "f16/f16", context);
      FlopsPerToken.Breakdown flops = header == null ? null : FlopsPerToken.of(header.shape(), context);
      FixedCosts.Skeleton skeleton = header == null ? null : data.skeletons().stream()
          .filter(s -> s.key().equals(FixedCosts.key(first.params())) && s.layers() == header.shape().layers() && s.tg() != null && !s.noCudaGraphs())
          .findFirst().orElse(null);
      TokenBandwidth.Wall wall = TokenBandwidth.measuredWall(TokenBandwidth.memoryOf(first, data, walls), walls);
      String type = header == null ? null : header.shape().mainWeightType();
      ComputeWall.Measured compute = type == null ? null : data.computeWalls().get(first.params().backend() + "/" + type);
      BatchCurve.Terms terms = new BatchCurve.Terms(skeleton == null ? null : skeleton.ms(), skeleton == null ? 0 : skeleton.bytesPerToken(),
          bytes == null ? null : (double) bytes.denseBytes(), bytes == null ? 0 : bytes.expertFileBytes(), bytes == null ? 0 : bytes.expertUsed(),
          bytes == null ? 0 : bytes.expertCount(), bytes == null ? null : bytes.kvBytes(), wall == null ? null : wall.gbs(),
          flops == null ? null : flops.total(), compute == null || !compute.isKnown() ? null : compute.tflops());
      long vocabulary = header == null ? 0 : header.shape().tensors().stream().filter(t -> t.name().equals("token_embd.weight"))
          .mapToLong(dev.llamasweep.stats.ModelShape.Tensor::rows).findFirst().orElse(0);
      out.add(new Curve(model, first.params().backend(), depth, generate, sorted, new BatchCurve(List.copyOf(points), terms), skeleton, bytes, flops,
          wall, compute, vocabulary));
    }
    return out;
  }

  /**
   * A batch experiment's line among the findings: per curve, t/s from its first to its last B, the knee and
   * the floors' crossing; null when no curve has a point.
   */
  static String headline(String experiment, List<Curve> curves) {
    List<String> parts = new ArrayList<>();
    for (Curve c : curves) {
      List<BatchCurve.Point> pts = c.curve().points();
      if (pts.isEmpty()) continue;
      BatchCurve.Point first = pts.get(0);
      BatchCurve.Point last = pts.get(pts.size() - 1);
      String knee = c.curve().knee().map(k -> "knee at B = " + k.batch()).orElse(c.curve().at(1).isPresent() ? "no knee up to B = " + last.batch() : "no B = 1 point");
      String ridge = c.curve().terms().ridge(Axis.MAX_SEQUENCES).map(r -> ", the floors cross at B = " + r).orElse("");
      parts.add(String.format(Locale.ROOT, "%s %s → %s t/s from B = %d to %d (%.2f×), %s%s", c.title(), Estimate.num(first.tokensPerS().mean(), 1),
          Estimate.num(last.tokensPerS().mean(), 1), first.batch(), last.batch(), last.tokensPerS().mean() / first.tokensPerS().mean(), knee, ridge));
    }
    return parts.isEmpty() ? null : "- **" + MarkdownText.escape(experiment) + "** (decode steps over B sequences): " + String.join(" · ", parts) + ".";
  }

  static void render(StringBuilder md, List<Curve> curves, ReportData data) {
    for (Curve c : curves) {
      renderCurve(md, c);
      notRun(md, c, data);
    }
    renderPredictions(md, curves);
  }

  /** The points of a curve that have no result, each by name with its status and reason: a curve never silently loses a B. */
  private static void notRun(StringBuilder md, Curve c, ReportData data) {
    List<String> missing = new ArrayList<>();
    for (CellEntry e : c.cells()) {
      CellRow row = data.cell(e);
      if (row != null && row.status().isOk() && c.curve().at(e.params().batch()).isPresent()) continue;
      String why = row == null ? "not run yet" : row.status().isOk() ? "no sample could be read" : row.status().word + (row.reason().isEmpty() ? "" : ": " + row.reason());
      missing.add("- B = " + e.params().batch() + " (`" + e.id() + "`): **" + MarkdownText.escape(why) + "**");
    }
    if (!missing.isEmpty()) md.append("Points without a result:\n\n").append(String.join("\n", missing)).append("\n\n");
  }

  private static void renderCurve(StringBuilder md, Curve c) {
    BatchCurve bc = c.curve();
    BatchCurve.Terms t = bc.terms();
    md.append("### Batch curve: ").append(c.title()).append("\n\n");
    if (bc.points().isEmpty()) {
      md.append("No point of this curve has a result.\n\n");
      return;
    }
    md.append(String.format(Locale.ROOT, "Each point is `llama-batched-bench` decoding %d steps of B sequences at once, one token each per step, "
        + "after %d tokens of context per sequence; its samples are the tokens per second of all B sequences (B × steps / time), "
        + "and a step takes 1000 × B / t/s ms. ", c.generate(), c.depth()));
    md.append("**").append(Character.toUpperCase(bc.kneeArithmetic().charAt(0))).append(bc.kneeArithmetic().substring(1)).append("**");
    md.append(bc.knee().isPresent() ? ": from there on, the work that grows with B is at least half of a step." : ".");
    for (BatchCurve.Point slow : bc.slowerThanLarger()) {
      BatchCurve.Point faster = bc.points().stream().filter(p -> p.batch() > slow.batch() && p.stepMs() < slow.stepMs()).findFirst().orElseThrow();
      md.append(String.format(Locale.ROOT, " t(%d) = %s ms > t(%d) = %s ms: a larger batch took less time than a smaller one, so the backend ran "
          + "the two with different kernels.", slow.batch(), BatchCurve.ms(slow.stepMs()), faster.batch(),
          BatchCurve.ms(faster.stepMs())));
    }
    md.append("\n\n");
    // the floors, written out with their figures
    List<String> parts = new ArrayList<>();
    if (t.fixedMs() != null && c.bytes() != null && t.wallGBs() != null) {
      parts.add(String.format(Locale.ROOT, "memory floor of a step = %s ms fixed (skeleton `%s`) + (%s weights%s + B × %s KV − %s the skeleton reads) / %s GB/s (%s)",
          BatchCurve.ms(t.fixedMs()), c.skeleton().cell(), BytesPerToken.mb(t.denseBytes()),
          t.expertCount() > 0 ? String.format(Locale.ROOT, " + %s experts × (1 − (1 − %d/%d)^B)", BytesPerToken.mb(t.expertFileBytes()), t.expertUsed(), t.expertCount()) : "",
          BytesPerToken.mb(t.kvBytesPerSequence()), BytesPerToken.mb(t.skeletonBytes()), MarkdownText.trim(t.wallGBs()), MarkdownText.escape(c.wall().how())));
    } else {
      parts.add("no memory floor: " + (t.fixedMs() == null ? "no skeleton measured this model's fixed cost" : c.bytes() == null ? "no GGUF header for the bytes"
          : "the wall of the memory the weights are in was not measured"));
    }
    if (t.flopsPerToken() != null && t.computeTflops() != null) {
      parts.add(String.format(Locale.ROOT, "compute floor = B × %s per token / %s TFLOP/s (%s) = B × %s ms", FlopsPerToken.flop(t.flopsPerToken()),
          PromptCompute.tf(t.computeTflops()), MarkdownText.escape(c.compute().describe()), BatchCurve.ms(t.computeFloorMs(1))));
    } else {
      parts.add("no compute floor: " + (t.flopsPerToken() == null ? "the FLOPs per token are unknown (no tensor table)"
          : c.compute() == null ? "the compute wall was not measured" : "the compute wall is unknown: " + MarkdownText.escape(c.compute().unknownBecause())));
    }
    md.append("By the walls: ").append(String.join("; ", parts)).append(". ");
    Optional<Long> ridge = t.ridge(dev.llamasweep.spec.Axis.MAX_SEQUENCES);
    if (ridge.isPresent()) {
      long r = ridge.get();
      md.append(String.format(Locale.ROOT, "The two floors cross at **B = %d** (%s ms of compute ≥ %s ms of memory side): below it a step's extra tokens "
          + "come nearly free, from it on they cost their FLOPs.", r, BatchCurve.ms(t.computeFloorMs(r)), BatchCurve.ms(t.memoryFloorMs(r))));
    } else if (!Double.isNaN(t.computeFloorMs(1)) && !Double.isNaN(t.memoryFloorMs(1))) {
      md.append("The floors do not cross up to llama.cpp's " + Axis.MAX_SEQUENCES + " sequences: the memory side stays the larger.");
    }
    md.append(" The bound of each point: ").append(BatchCurve.RULE).append(".\n\n");
    List<String> beaten = bc.points().stream().filter(bc::beatsComputeFloor).map(p -> String.valueOf(p.batch())).toList();
    if (!beaten.isEmpty()) {
      md.append("At B = ").append(String.join(", ", beaten)).append(" the measured step is shorter than its compute floor: test-backend-ops multiplies ")
          .append("weights as they are stored, while inference on a CPU repacks them into the layouts its fastest kernels read, so there the ")
          .append("compute floor is no floor and no bound is named from it.\n\n");
    }
    Table table = Table.ofText("B", "t/s (all sequences)", "ms per step", "ms per token", "memory floor ms", "compute floor ms", "achieved TFLOP/s",
        "of the compute wall", "bound", "cell");
    for (BatchCurve.Point p : bc.points()) {
      double achieved = bc.achievedTflops(p);
      table.row(String.valueOf(p.batch()), p.tokensPerS().format(), BatchCurve.ms(p.stepMs()), BatchCurve.ms(p.tokenMs()), floor(t.memoryFloorMs(p.batch())),
          floor(t.computeFloorMs(p.batch())), Double.isNaN(achieved) ? "—" : PromptCompute.tf(achieved),
          Double.isNaN(achieved) || t.computeTflops() == null ? "—" : bc.beatsComputeFloor(p) ? "above it" : Estimate.percent(achieved / t.computeTflops(), 0),
          "**" + bc.bound(p).words + "**", "`" + c.cellOf(p).id() + "`");
    }
    md.append(table.markdown()).append('\n');
  }

  private static String floor(double ms) {
    return Double.isNaN(ms) ? "—" : BatchCurve.ms(ms);
  }

  /**
   * Speculative decoding read off two curves of one backend: the smaller model drafts (its B = 1 token),
   * the larger verifies k + 1 positions (its curve at B = k + 1, interpolated between measured B where
   * needed). Written for the draft lengths the target's curve covers.
   */
  private static void renderPredictions(StringBuilder md, List<Curve> curves) {
    List<String[]> pairs = new ArrayList<>();
    Table table = Table.ofText("target", "draft", "k", "step = k × draft + verify(k + 1)", "target alone", "α = 0.5", "α = 0.6", "α = 0.7", "α = 0.8",
        "α = 0.9", "α = 1", "break-even α");
    for (Curve target : curves) {
      Optional<BatchCurve.Point> one = target.curve().at(1);
      if (one.isEmpty() || target.bytes() == null) continue;
      for (Curve draft : curves) {
        if (draft == target || !draftFor(draft, target)) continue;
        Optional<BatchCurve.Point> draftOne = draft.curve().at(1);
        if (draftOne.isEmpty()) continue;
        long maxB = target.curve().points().stream().mapToLong(BatchCurve.Point::batch).max().orElse(1);
        for (long k = 1; k + 1 <= maxB && k <= MAX_DRAFT; k *= 2) {
          Optional<Double> verify = target.curve().stepMsAt(k + 1);
          if (verify.isEmpty()) continue;
          Speculation.Costs costs = new Speculation.Costs(k, draftOne.get().tokenMs(), verify.get(), one.get().tokenMs());
          List<String> cells = new ArrayList<>(List.of("`" + MarkdownText.code(target.model()) + "`", "`" + MarkdownText.code(draft.model()) + "`",
              String.valueOf(k), String.format(Locale.ROOT, "%d × %s + %s%s = %s ms", k, BatchCurve.ms(costs.draftTokenMs()), BatchCurve.ms(costs.verifyMs()),
                  target.curve().at(k + 1).isPresent() ? "" : " (interpolated)", BatchCurve.ms(costs.stepMs())),
              BatchCurve.ms(costs.targetTokenMs()) + " ms"));
          for (double a : ALPHAS) cells.add(String.format(Locale.ROOT, "%.2f×", costs.speedup(a)));
          double be = costs.breakEvenAlpha();
          cells.add(Double.isNaN(be) ? "never pays" : be == 0 ? "0 (pays at any α)" : String.format(Locale.ROOT, "%.2f", be));
          table.row(cells.toArray());
          if (pairs.isEmpty()) pairs.add(new String[] {costs.arithmetic(0.8)});
        }
      }
    }
    if (pairs.isEmpty()) return;
    md.append("### Speculative decoding predicted from the curves\n\n")
        .append("A speculative step drafts k tokens with the smaller model (its B = 1 token each) and has the target verify k + 1 positions in ")
        .append("one step (the target's curve at B = k + 1). With per-token acceptance α it yields (1 − α^(k+1)) / (1 − α) tokens, as llama.cpp ")
        .append("keeps drafts up to the first miss and always adds the target's own token. Acceptance belongs to the model pair and the prompt, ")
        .append("not to the machine: read the column of your pair's α. The costs are the two models' own steps: llama-server adds work of ")
        .append("its own per step and per drafted token (sampling, synchronisation), which a speculative experiment beside these curves measures. ")
        .append("For example, at α = 0.8: ").append(pairs.get(0)[0]).append(".\n\n")
        .append(table.markdown()).append('\n');
  }

  /**
   * Beside a speculative experiment's measured arms: each arm's speed-up predicted from the batch curves of
   * its target and draft on its backend (depth 0), with both intervals and whether they agree. Nothing when
   * no curve covers an arm.
   */
  /** A measured speculative arm beside its prediction from the curves: computed once, read by the section and the first screen. */
  record ArmPrediction(CellEntry cell, String config, dev.llamasweep.stats.SpeculativePrediction prediction, dev.llamasweep.stats.Comparison measured,
      boolean agrees, Curve target, double acceptance) {
    double ci() {
      return measured.ratioCi95();
    }

    /** "draft-max 16 (83% accepted): predicted 1.32×, measured 1.11× (95% CI 1.07 to 1.16), does not agree (+19%)". */
    String line() {
      return "draft-max " + cell.params().draftMax() + " (" + Estimate.percent(acceptance, 0) + " accepted): predicted " + String.format(Locale.ROOT, "%.2f×", prediction.predicted()) + ", measured "
          + ratio(measured.ratio(), ci()) + (agrees ? ", agrees" : String.format(Locale.ROOT, ", **does not agree** (%+.0f%%)", (prediction.predicted() / measured.ratio() - 1) * 100));
    }
  }

  /** Each arm that both curves cover, with its prediction and whether it agrees; empty without a baseline. */
  static List<ArmPrediction> predictions(List<CellEntry> arms, Estimate baseline, ReportData data, List<Curve> curves) {
    List<ArmPrediction> out = new ArrayList<>();
    if (baseline == null) return out;
    for (CellEntry c : arms.stream().sorted(Comparator.comparingLong(a -> a.params().draftMax())).toList()) {
      ReportData.Drafts d = data.drafts().get(c.id());
      Estimate e = data.testsOf(c.id()).values().stream().findFirst().orElse(null);
      Curve target = curveOf(curves, c.params().model(), c.params().backend(), data);
      Curve draft = c.params().draft() == null ? null : curveOf(curves, c.params().draft(), c.params().backend(), data);
      if (d == null || d.runs() == 0 || e == null || target == null || draft == null) continue;
      Optional<dev.llamasweep.stats.SpeculativePrediction> p = dev.llamasweep.stats.SpeculativePrediction.of(c.params().generate(),
          (double) d.accepted() / d.runs(), (double) d.drafted() / d.runs(), draft.curve(), target.curve(), baseline);
      if (p.isEmpty()) continue;
      dev.llamasweep.stats.Comparison cmp = new dev.llamasweep.stats.Comparison(e, baseline);
      double h = cmp.ratioCi95();
      boolean agrees = p.get().agrees(cmp.ratio(), cmp.ratio() - (Double.isNaN(h) ? 0 : h), cmp.ratio() + (Double.isNaN(h) ? 0 : h));
      out.add(new ArmPrediction(c, "+ " + MarkdownText.escape(c.params().draft()) + ", draft-max=" + c.params().draftMax(), p.get(), cmp, agrees, target, d.acceptance()));
    }
    return out;
  }

  static void againstMeasured(StringBuilder md, List<CellEntry> arms, Estimate baseline, ReportData data, List<Curve> curves) {
    Table table = Table.ofText("config", "tokens per step (measured)", "mean draft", "α per token", "predicted step", "predicted speed-up",
        "measured speed-up", "agrees", "cell");
    List<String> disagreements = new ArrayList<>();
    java.util.Set<String> standIns = new java.util.LinkedHashSet<>();
    String example = null;
    for (ArmPrediction a : predictions(arms, baseline, data, curves)) {
      CellEntry c = a.cell();
      dev.llamasweep.stats.SpeculativePrediction pr = a.prediction();
      dev.llamasweep.stats.Comparison cmp = a.measured();
      double h = a.ci();
      boolean agrees = a.agrees();
      String config = a.config();
      if (!a.target().model().equals(c.params().model())) {
        standIns.add("`" + MarkdownText.code(c.params().model()) + "` by `" + MarkdownText.code(a.target().model()) + "`'s");
      }
      table.row(config, String.format(Locale.ROOT, "%.2f", pr.tokensPerStep()), String.format(Locale.ROOT, "%.1f", pr.draftLength()),
          String.format(Locale.ROOT, "%.3f", pr.alpha()), BatchCurve.ms(pr.stepMs()) + " ms" + (pr.verifyInterpolated() ? " (interpolated)" : ""),
          ratio(pr.predicted(), pr.predictedCi95()), ratio(cmp.ratio(), h),
          agrees ? "yes" : String.format(Locale.ROOT, "**no** (%+.0f%%)", (pr.predicted() / cmp.ratio() - 1) * 100), "`" + c.id() + "`");
      if (example == null) example = "For " + config + ": " + pr.arithmetic();
      if (!agrees) {
        // what the measured step implies beyond the curves' costs, per drafted token
        double measuredStep = pr.tokensPerStep() * pr.serverTokenMs() / cmp.ratio();
        disagreements.add(String.format(Locale.ROOT, "%s: the measured step is %s ms against %s predicted, %s ms more per drafted token", config,
            BatchCurve.ms(measuredStep), BatchCurve.ms(pr.stepMs()), BatchCurve.ms((measuredStep - pr.stepMs()) / pr.draftLength())));
      }
    }
    if (example == null) return;
    md.append("**Predicted from the batch curves.** Each arm's own run gives its tokens per step (N / (N − A) for N tokens with A accepted) ")
        .append("and mean draft length (drafted / (N − A)); the curves give the costs: k draft tokens at the draft's B = 1 step, one ")
        .append("verification at the target's step at B = k + 1, plus the server's own cost per step (its target-alone token less the ")
        .append("curve's B = 1 step). The prediction agrees when it lies in the measured 95% interval or within ")
        .append(Math.round(dev.llamasweep.stats.SpeculativePrediction.TOLERANCE * 100)).append("% of it; its own interval carries the ")
        .append("terms' standard errors (first order). ").append(example).append(".\n\n").append(table.markdown()).append('\n');
    if (!standIns.isEmpty()) {
      md.append("A model without a curve of its own is costed by the curve of a model of the same shape (the same tensors, types and sizes, so ")
          .append("the same bytes and FLOPs per step): ").append(String.join(", ", standIns)).append(".\n\n");
    }
    if (!disagreements.isEmpty()) {
      md.append("Where it does not agree (").append(String.join("; ", disagreements)).append("), the server's step costs what the two curves ")
          .append("do not: a curve times the models' decodes alone, while llama.cpp's draft loop (common/speculative.cpp) also samples each ")
          .append("drafted token, brings the draft's cache up to the accepted tokens and waits for each draft decode before the next, and the ")
          .append("target verifies k + 1 positions of one sequence where batched-bench decodes one position of each of B sequences. Which of ")
          .append("these the extra time per drafted token is, these measurements do not say.\n\n");
    }
  }

  private static String ratio(double r, double ci) {
    return Double.isNaN(ci) ? String.format(Locale.ROOT, "%.2f×", r) : String.format(Locale.ROOT, "%.2f× (95%% CI %.2f to %.2f)", r, r - ci, r + ci);
  }

  /** The depth-0 curve of a model on a backend that has a B = 1 point, or null. */
  static Curve curveOf(List<Curve> curves, String model, String backend) {
    return curves.stream().filter(c -> c.model().equals(model) && c.backend().equals(backend) && c.depth() == 0 && c.curve().at(1).isPresent())
        .findFirst().orElse(null);
  }

  /**
   * The model's own curve, else the curve of a model with the same shape (every tensor's name, type and
   * dimensions: a step's bytes and FLOPs are the shape's, whatever the weights' values), or null.
   */
  static Curve curveOf(List<Curve> curves, String model, String backend, ReportData data) {
    Curve own = curveOf(curves, model, backend);
    if (own != null || data == null) return own;
    dev.llamasweep.results.ModelHeaders.Entry h = data.models().get(model);
    if (h == null || h.shape() == null) return null;
    for (Curve c : curves) {
      dev.llamasweep.results.ModelHeaders.Entry o = data.models().get(c.model());
      if (o != null && h.shape().equals(o.shape()) && h.tensorBytes() == o.tensorBytes()) {
        Curve same = curveOf(curves, c.model(), backend);
        if (same != null) return same;
      }
    }
    return null;
  }
}
