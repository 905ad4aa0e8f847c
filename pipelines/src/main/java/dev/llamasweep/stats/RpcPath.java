package dev.llamasweep.stats;

/**
 * What the RPC path costs a token: the same model and test measured on rpc-servers (split) and local,
 * the difference in time per token, and its share of the split token's time with the interval of the
 * ratio of the two rates (share = 1 − split t/s ÷ local t/s). The difference holds everything the RPC
 * path adds: the network's round trips, the graph sent with every step, the servers' own scheduling.
 */
public record RpcPath(Comparison rates) {
  /** The share of a token at which the RPC path is named as its bound. */
  public static final double BOUND_SHARE = 0.5;

  public static RpcPath of(Estimate split, Estimate local) {
    return new RpcPath(new Comparison(split, local));
  }

  public double splitMs() {
    return 1000 / rates.candidate().mean();
  }

  public double localMs() {
    return 1000 / rates.baseline().mean();
  }

  /** ms per token the RPC path adds (negative when the split ran faster). */
  public double pathMs() {
    return splitMs() - localMs();
  }

  public double share() {
    return 1 - rates.ratio();
  }

  /** {low, high} of the share from the ratio's 95% interval; NaN when either side has one sample. */
  public double[] shareInterval() {
    double ci = rates.ratioCi95();
    return new double[] {1 - (rates.ratio() + ci), 1 - (rates.ratio() - ci)};
  }

  /** Whether the RPC path is named as the token's bound: at least half of its time. */
  public boolean bounds() {
    return share() >= BOUND_SHARE;
  }

  /** How many round trips of {@code roundTripMicros} the path's time is worth (NaN without a round trip). */
  public double roundTripsWorth(double roundTripMicros) {
    return roundTripMicros > 0 ? pathMs() * 1000 / roundTripMicros : Double.NaN;
  }
}
