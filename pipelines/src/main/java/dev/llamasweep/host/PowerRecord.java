package dev.llamasweep.host;

import java.util.List;

/**
 * What the power and heat sensors saw while one cell ran: the energy of its generation window and
 * what it cost per token, or why that is unknown. Every figure is a number or absent (null), never
 * NaN. Written into result.json and cells.csv by one codec ({@code results.PowerJson}) and read back
 * by the same, so the reports never parse it again.
 *
 * @param samples readings taken while the cell ran
 * @param source the source the energy comes from (rapl, nvml, nvidia-smi, hwmon, battery)
 * @param unknown why no energy figure exists at all (no source, fewer than two readings)
 * @param avgWCell mean power over the whole cell (load included)
 * @param test the tg test whose repetitions make the generation window
 * @param windowS the generation window: Σ samples_ns of that test
 * @param energyUnknown why the window's energy is unknown although a trace exists
 * @param jPerTokenPerRep J/token per window of repetitions (grouped until a window lasts {@link PowerSampler#MIN_WINDOW_S})
 * @param repsPerWindow repetitions in each of those windows
 * @param method how energy was taken from the source, in words
 * @param samplerCpuS CPU the sampler itself used
 * @param rounds rounds added up, for a cell run in rounds
 */
public record PowerRecord(Integer samples, Double maxTempC, Double clockDropPct, String source, String unknown, Double avgWCell,
    String test, Double windowS, Double energyJ, Double avgW, Double peakW, Long tokens, Double jPerToken, Double tokensPerJ,
    String energyUnknown, List<Double> jPerTokenPerRep, List<Integer> repsPerWindow, String method, Double samplerCpuS, Integer rounds) {

  public PowerRecord {
    jPerTokenPerRep = jPerTokenPerRep == null ? List.of() : List.copyOf(jPerTokenPerRep);
    repsPerWindow = repsPerWindow == null ? List.of() : List.copyOf(repsPerWindow);
  }

  /** Whether a J/token figure exists. */
  public boolean hasEnergy() {
    return jPerToken != null;
  }

  /** Built field by field, as the sampler learns them; unset figures stay absent. */
  /**
   * The cell's power over all its rounds: energy and tokens added up (J/token per repetition kept in
   * order), peak and hottest the highest of any round; "unknown" when every round says so.
   */
  public static PowerRecord ofRounds(java.util.List<PowerRecord> rounds) {
    double energy = 0;
    double window = 0;
    long tokens = 0;
    Double peak = null;
    Double hottest = null;
    java.util.List<Double> perRep = new java.util.ArrayList<>();
    String source = null;
    String test = null;
    String unknown = null;
    for (PowerRecord p : rounds) {
      if (p == null) continue;
      if (p.unknown() != null) unknown = p.unknown();
      if (p.maxTempC() != null) hottest = hottest == null ? p.maxTempC() : Math.max(hottest, p.maxTempC());
      if (p.jPerToken() == null) continue;
      energy += p.energyJ();
      window += p.windowS();
      tokens += p.tokens();
      if (p.peakW() != null) peak = peak == null ? p.peakW() : Math.max(peak, p.peakW());
      perRep.addAll(p.jPerTokenPerRep());
      source = p.source();
      test = p.test();
    }
    PowerRecord.Builder out = new PowerRecord.Builder();
    out.maxTempC = hottest;
    if (tokens == 0) {
      out.unknown = unknown;
      return hottest == null && unknown == null ? null : out.build();
    }
    out.source = source;
    out.test = test;
    out.energy(energy, window, tokens);
    out.peakW = peak;
    out.jPerTokenPerRep = perRep;
    out.rounds = rounds.size();
    return out.build();
  }

  public static final class Builder {
    public Integer samples;
    public Double maxTempC;
    public Double clockDropPct;
    public String source;
    public String unknown;
    public Double avgWCell;
    public String test;
    public Double windowS;
    public Double energyJ;
    public Double avgW;
    public Double peakW;
    public Long tokens;
    public Double jPerToken;
    public Double tokensPerJ;
    public String energyUnknown;
    public List<Double> jPerTokenPerRep;
    public List<Integer> repsPerWindow;
    public String method;
    public Double samplerCpuS;
    public Integer rounds;

    public Builder() {}

    public Builder(PowerRecord p) {
      samples = p.samples; maxTempC = p.maxTempC; clockDropPct = p.clockDropPct; source = p.source; unknown = p.unknown;
      avgWCell = p.avgWCell; test = p.test; windowS = p.windowS; energyJ = p.energyJ; avgW = p.avgW; peakW = p.peakW;
      tokens = p.tokens; jPerToken = p.jPerToken; tokensPerJ = p.tokensPerJ; energyUnknown = p.energyUnknown;
      jPerTokenPerRep = p.jPerTokenPerRep; repsPerWindow = p.repsPerWindow; method = p.method; samplerCpuS = p.samplerCpuS; rounds = p.rounds;
    }

    /** A figure rounded to the millijoule/milliwatt as result.json has always held it; NaN and infinities stay absent. */
    public static Double rounded(double v) {
      return Double.isFinite(v) ? Math.round(v * 1000) / 1000.0 : null;
    }

    /**
     * The energy of a generation window and what follows from it: the one place J/token, tokens/J and the
     * average power are derived (a round's sampler and a cell's rounds added up both come here). Returns
     * false, setting nothing per token, when the energy is not a finite figure.
     */
    public boolean energy(double joules, double seconds, long generated) {
      windowS = rounded(seconds);
      energyJ = rounded(joules);
      avgW = rounded(joules / seconds);
      tokens = generated;
      if (!Double.isFinite(joules)) return false;
      jPerToken = joules / generated;
      tokensPerJ = generated / joules;
      return true;
    }

    public PowerRecord build() {
      return new PowerRecord(samples, maxTempC, clockDropPct, source, unknown, avgWCell, test, windowS, energyJ, avgW, peakW, tokens,
          jPerToken, tokensPerJ, energyUnknown, jPerTokenPerRep, repsPerWindow, method, samplerCpuS, rounds);
    }
  }
}
