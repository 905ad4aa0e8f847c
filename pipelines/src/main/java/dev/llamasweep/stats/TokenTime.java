package dev.llamasweep.stats;

/**
 * A generated token's time split in two: a fixed cost that any token pays whatever its bytes (measured
 * on the model's skeleton: kernel launches, synchronisation, per-layer work) and the time moving the
 * rest of the bytes it reads. Time per token = fixed + (bytes − skeleton's bytes) / bandwidth reached.
 *
 * @param tokenMs the cell's time per token (1000 / its mean t/s)
 * @param fixedMs the skeleton's time per token
 * @param bytes bytes the model's token reads
 * @param skeletonBytes bytes the skeleton's token reads (its own share of the fixed cost)
 */
public record TokenTime(double tokenMs, double fixedMs, double bytes, double skeletonBytes) {
  /** What bounds a token: which of the two terms is the larger. */
  public enum Bound {
    FIXED_COST("fixed cost per token"), MEMORY("memory"),
    /** Neither: the bytes move at under half of what the memory delivers (reads of one matrix at a time, the kernels' own efficiency). */
    KERNELS("kernels, not the memory: their reads reach under half its wall"),
    /** The skeleton took clearly longer than the model itself: one of the two measurements is off (a busy machine), so no split is made. */
    /** The cell ran on rpc-servers and took at least twice as long per token as the same model local (report.RpcSection). */
    RPC("the RPC path: the token takes at least twice as long on the rpc-servers as the same model local"),
    UNRESOLVED("not resolved: the skeleton took longer than the model itself, so one of the two measurements is off (re-run both)"),
    /**
     * The moving term is the larger, but the wall of the memory it reads is not known (no probe, no host
     * record): memory and kernels cannot be told apart, and no other memory's wall may stand in.
     */
    NO_WALL("not named: the wall of the memory the weights are in is unknown, so memory and kernels cannot be told apart");

    public final String words;

    Bound(String words) {
      this.words = words;
    }
  }

  /** The rule the report states: the term that is at least half of the token's time names the bound. */
  /** A skeleton up to this much slower than its model is the model's whole time (fixed cost); beyond it, a measurement is off. */
  public static final double SKELETON_SLACK = 0.10;

  public static final String RULE = "no bound is named when the skeleton took over 10% longer than the model (one measurement is off); the bound is the fixed cost when the skeleton's time is at least half the token's; otherwise memory "
      + "when moving the bytes reaches at least half of the memory's measured wall, and the kernels when it reaches less (then neither a "
      + "faster memory nor fewer layers alone would buy much: reads of one weight matrix at a time and the kernels' own efficiency do)";

  public static TokenTime of(double tokensPerS, double skeletonTokensPerS, double bytes, double skeletonBytes) {
    return new TokenTime(1000 / tokensPerS, 1000 / skeletonTokensPerS, bytes, skeletonBytes);
  }

  public double movingMs() {
    return Math.max(0, tokenMs - fixedMs);
  }

  public double movedBytes() {
    return Math.max(0, bytes - skeletonBytes);
  }

  public double fixedShare() {
    return Math.min(1, fixedMs / tokenMs);
  }

  /** GB/s the moving term reaches; NaN when the token took no longer than its skeleton (nothing left to attribute). */
  public double reachedGBs() {
    return movingMs() <= 0 ? Double.NaN : movedBytes() / (movingMs() / 1000) / 1e9;
  }

  /** @param wallGBs the measured wall of the memory the weights live in, or null when unknown (then only the fixed cost can be named) */
  public Bound bound(Double wallGBs) {
    if (fixedMs > tokenMs * (1 + SKELETON_SLACK)) return Bound.UNRESOLVED;
    if (fixedShare() >= 0.5) return Bound.FIXED_COST;
    if (wallGBs == null) return Bound.NO_WALL;
    if (wallGBs != null && !Double.isNaN(reachedGBs()) && reachedGBs() < 0.5 * wallGBs) return Bound.KERNELS;
    return Bound.MEMORY;
  }

  /** t/s if memory were infinitely fast: only the fixed cost left. */
  public double tpsInfiniteBandwidth() {
    return 1000 / fixedMs;
  }

  /** t/s if the bytes moved at the wall: the fixed cost plus the bytes at {@code wallGBs}. */
  public double tpsAtWall(double wallGBs) {
    return 1000 / (fixedMs + movedBytes() / (wallGBs * 1e9) * 1000);
  }
}
