package dev.llamasweep.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A batch curve: the time of one decode step over B sequences (one token each), measured at several B,
 * set against the terms that can explain it. A step pays the fixed cost once (the skeleton's time per
 * token: launches, synchronisation, per-layer work), reads the weights once for all B tokens (a
 * mixture-of-experts model reads more experts as B grows), reads each sequence's KV cache, and does B
 * tokens' FLOPs. So the memory side of a step is nearly flat in B and the compute side grows with B: the
 * curve turns where B tokens' FLOPs at the compute wall cost what one read of the weights costs at the
 * memory wall — what lets speculative decoding, parallel requests and prompts beat one token per read.
 *
 * @param points the measured points, B ascending
 * @param terms what the step's floors are made of; any part may be unknown
 */
public record BatchCurve(List<Point> points, Terms terms) {

  /** One measured point: B and the tokens per second of all sequences together (B tokens per step). */
  public record Point(long batch, Estimate tokensPerS) {
    /** One step over B tokens, in ms: 1000 × B / t/s. */
    public double stepMs() {
      return 1000.0 * batch / tokensPerS.mean();
    }

    /** Time per generated token: a step shared by its B tokens. */
    public double tokenMs() {
      return 1000.0 / tokensPerS.mean();
    }
  }

  /**
   * The parts of a step, each null when not known here.
   *
   * @param fixedMs the skeleton's time per token (its own bytes in {@code skeletonBytes})
   * @param denseBytes weights every token reads (all but routed experts)
   * @param expertFileBytes all routed experts' bytes (0 for a dense model)
   * @param expertUsed experts a token is routed to
   * @param expertCount experts per layer
   * @param kvBytesPerSequence KV cache bytes one sequence's token reads at the curve's mean context
   * @param wallGBs the measured wall of the memory the weights are in
   * @param flopsPerToken FLOPs of one token at the curve's mean context
   * @param computeTflops the backend's measured matrix-product rate for the model's main weight type
   */
  public record Terms(Double fixedMs, double skeletonBytes, Double denseBytes, long expertFileBytes, long expertUsed, long expertCount,
      Double kvBytesPerSequence, Double wallGBs, Double flopsPerToken, Double computeTflops) {

    /**
     * Weight bytes one step of B tokens reads: the dense part once, and of the routed experts the share
     * that B tokens hit — with routing spread evenly, 1 − (1 − used/count)^B of them.
     */
    public double weightBytes(long b) {
      if (denseBytes == null) return Double.NaN;
      if (expertCount <= 0 || expertFileBytes <= 0) return denseBytes;
      double hit = 1 - Math.pow(1 - (double) expertUsed / expertCount, b);
      return denseBytes + expertFileBytes * hit;
    }

    /** Bytes a step of B tokens reads: the weights once and each sequence's KV cache. */
    public double stepBytes(long b) {
      return kvBytesPerSequence == null ? Double.NaN : weightBytes(b) + b * kvBytesPerSequence;
    }

    /** The memory side's floor: the fixed cost plus the step's bytes (less the skeleton's own) at the wall; NaN when a part is unknown. */
    public double memoryFloorMs(long b) {
      if (fixedMs == null || wallGBs == null) return Double.NaN;
      return fixedMs + Math.max(0, stepBytes(b) - skeletonBytes) / (wallGBs * 1e9) * 1000;
    }

    /** The compute side's floor: B tokens' FLOPs at the compute wall; NaN when unknown. */
    public double computeFloorMs(long b) {
      if (flopsPerToken == null || computeTflops == null) return Double.NaN;
      return b * flopsPerToken / (computeTflops * 1e12) * 1000;
    }

    /** The floor of a step: the larger side (a roofline: the two overlap at best). */
    public double floorMs(long b) {
      return Math.max(memoryFloorMs(b), computeFloorMs(b));
    }

    /**
     * The B from which the compute side is the larger floor: where, by the walls alone, more tokens per
     * step stop coming nearly free. Empty when either side is unknown or it lies beyond llama.cpp's
     * {@code maxBatch} sequences.
     */
    public Optional<Long> ridge(long maxBatch) {
      for (long b = 1; b <= maxBatch; b++) {
        double c = computeFloorMs(b);
        double m = memoryFloorMs(b);
        if (Double.isNaN(c) || Double.isNaN(m)) return Optional.empty();
        if (c >= m) return Optional.of(b);
      }
      return Optional.empty();
    }
  }

  /**
   * What bounds a step. The larger floor names the side, as on a roofline; on the compute side the step is
   * compute-bound when it reaches half the matrix-product rate, on the memory side the rule for one token
   * applies to the step's bytes.
   */
  public enum Bound {
    COMPUTE("compute"),
    BELOW_COMPUTE_WALL("below the compute wall"),
    /** Faster than the kernel benchmark allows: on a CPU inference repacks weights into layouts test-backend-ops does not use. */
    ABOVE_COMPUTE_WALL("not named: the step beat the kernel benchmark's rate"),
    FIXED_COST(TokenTime.Bound.FIXED_COST.words),
    MEMORY(TokenTime.Bound.MEMORY.words),
    KERNELS(TokenTime.Bound.KERNELS.words),
    NO_WALL(TokenTime.Bound.NO_WALL.words),
    UNRESOLVED(TokenTime.Bound.UNRESOLVED.words),
    /** No skeleton or no bytes model: no split of the step into its parts. */
    NOT_DECOMPOSED("not named: the fixed cost or the bytes a step reads are not known");

    public final String words;

    Bound(String words) {
      this.words = words;
    }
  }

  public static final String RULE = "the larger of a step's two floors names its side, as on a roofline. On the compute side (B tokens' FLOPs at the "
      + "measured matrix-product rate for the model's main weight type) the step is compute-bound when it reaches at least half that rate, "
      + "below the compute wall when less, and no bound is named when it beats the rate (the kernel benchmark is then no ceiling). On the "
      + "memory side the rule for one token applies to the step: fixed cost when the skeleton's time is at least half the step's; memory when "
      + "moving the step's bytes — the weights once, each sequence's KV — reaches at least half the wall; the kernels when it reaches less";

  /** TFLOP/s a point reached: B tokens' FLOPs per step time; NaN when the FLOPs are unknown. */
  public double achievedTflops(Point p) {
    return terms.flopsPerToken() == null ? Double.NaN : p.batch() * terms.flopsPerToken() / (p.stepMs() / 1000) / 1e12;
  }

  /** The step as fixed cost + moving its bytes, or null without a skeleton or a bytes model. */
  public TokenTime stepTime(Point p) {
    if (terms.fixedMs() == null || Double.isNaN(terms.stepBytes(p.batch()))) return null;
    return new TokenTime(p.stepMs(), terms.fixedMs(), terms.stepBytes(p.batch()), terms.skeletonBytes());
  }

  public Bound bound(Point p) {
    double achieved = achievedTflops(p);
    Double wall = terms.computeTflops();
    if (wall != null && !Double.isNaN(achieved) && achieved > wall * 1.05) return Bound.ABOVE_COMPUTE_WALL;
    double compute = terms.computeFloorMs(p.batch());
    double memory = terms.memoryFloorMs(p.batch());
    boolean computeSide = !Double.isNaN(compute) && (Double.isNaN(memory) ? achieved >= 0.5 * wall : compute >= memory);
    if (computeSide) return achieved >= 0.5 * wall ? Bound.COMPUTE : Bound.BELOW_COMPUTE_WALL;
    TokenTime t = stepTime(p);
    if (t == null) return Bound.NOT_DECOMPOSED;
    return Bound.valueOf(t.bound(terms.wallGBs()).name());
  }

  /** Whether a point ran faster than its compute floor allows (the floor is then no floor: say so beside it). */
  public boolean beatsComputeFloor(Point p) {
    double f = terms.computeFloorMs(p.batch());
    return !Double.isNaN(f) && p.stepMs() < f / 1.05;
  }

  /** The measured knee ({@link Speculation#knee}): the smallest B whose step takes twice B = 1's. Empty without a B = 1 point or when none gets there. */
  public Optional<Point> knee() {
    if (points.stream().noneMatch(p -> p.batch() == 1)) return Optional.empty();
    List<Speculation.Step> steps = new ArrayList<>();
    for (Point p : points) steps.add(new Speculation.Step((int) p.batch(), p.stepMs()));
    return Speculation.knee(steps).flatMap(s -> points.stream().filter(p -> p.batch() == s.batch()).findFirst());
  }

  /** The point at B, if measured. */
  public Optional<Point> at(long b) {
    return points.stream().filter(p -> p.batch() == b).findFirst();
  }

  /**
   * A step's time at B (a mean draft length makes B fractional): the measured point, or a straight line
   * between the two measured points around it (a step's time grows about linearly in B between
   * neighbours); empty outside the measured range.
   */
  public Optional<Double> stepMsAt(double b) {
    return around(b).map(n -> n[0] == n[1] ? n[0].stepMs() : n[0].stepMs() + (b - n[0].batch()) / (n[1].batch() - n[0].batch()) * (n[1].stepMs() - n[0].stepMs()));
  }

  /** The relative standard error of the step at B: the larger of its neighbours' (NaN when they have no spread). */
  public double relativeSeAt(double b) {
    return around(b).map(n -> Math.max(n[0].tokensPerS().se() / n[0].tokensPerS().mean(), n[1].tokensPerS().se() / n[1].tokensPerS().mean()))
        .orElse(Double.NaN);
  }

  /** Whether B is a measured point (not interpolated). */
  public boolean measuredAt(double b) {
    return b == Math.rint(b) && at((long) b).isPresent();
  }

  /** The measured points at or around B: {below, above}, the same point twice when B was measured. */
  private Optional<Point[]> around(double b) {
    Point below = null;
    Point above = null;
    for (Point p : points) {
      if (p.batch() <= b && (below == null || p.batch() > below.batch())) below = p;
      if (p.batch() >= b && (above == null || p.batch() < above.batch())) above = p;
    }
    return below == null || above == null ? Optional.empty() : Optional.of(new Point[] {below, above});
  }

  /** Points whose step took longer than a larger B's (the backend ran them with slower kernels), B ascending. */
  public List<Point> slowerThanLarger() {
    List<Speculation.Step> steps = new ArrayList<>();
    for (Point p : points) steps.add(new Speculation.Step((int) p.batch(), p.stepMs()));
    return Speculation.slowerThanLarger(steps).stream().map(s -> at(s.batch()).orElseThrow()).toList();
  }

  /** "t(1) = 6.56 ms; t(4) = 17.0 ms ≥ 2 × 6.56 ms": the knee's arithmetic, or why there is none. */
  public String kneeArithmetic() {
    Optional<Point> one = at(1);
    if (one.isEmpty()) return "no knee: the curve has no B = 1 point to compare with";
    Optional<Point> k = knee();
    long maxB = points.stream().mapToLong(Point::batch).max().orElse(1);
    if (k.isEmpty()) {
      return String.format(Locale.ROOT, "no knee up to B = %d: t(%d) = %s ms < 2 × t(1) = 2 × %s ms, so every measured B still came nearly free",
          maxB, maxB, ms(at(maxB).get().stepMs()), ms(one.get().stepMs()));
    }
    return String.format(Locale.ROOT, "knee at B = %d: t(%d) = %s ms ≥ 2 × t(1) = 2 × %s ms%s", k.get().batch(), k.get().batch(), ms(k.get().stepMs()),
        ms(one.get().stepMs()), k.get().batch() == maxB ? "" : ", and every larger B's step too");
  }

  /** Milliseconds with three significant figures. */
  public static String ms(double v) {
    if (!(v > 0) || Double.isInfinite(v)) return String.format(Locale.ROOT, "%.0f", v);
    int decimals = Math.max(0, 2 - (int) Math.floor(Math.log10(v)));
    return String.format(Locale.ROOT, "%." + decimals + "f", v);
  }
}
