package dev.llamasweep.report;

import dev.llamasweep.results.CellEntry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The figures a dataset gives, derived once per render: each tg test's bytes, bandwidth and walls
 * ({@link TokenBandwidth.Row}), each pp test's work and compute wall ({@link PromptCompute.Row}) and each
 * test's warnings and each cell's energy per token.
 * Every output (findings, the experiment tables, the charts, summary.csv, the corpus) reads these rows,
 * so no two outputs can derive a figure differently.
 */
public final class Derived {
  private final TokenBandwidth.Walls walls;
  private final Map<String, List<TokenBandwidth.Row>> bandwidth = new LinkedHashMap<>();
  private final Map<String, List<PromptCompute.Row>> prompts = new LinkedHashMap<>();
  private final Map<dev.llamasweep.stats.Summaries.Key, List<Warnings.Raised>> warnings = new LinkedHashMap<>();
  private final Map<String, Energy> energy = new LinkedHashMap<>();
  private List<BatchSection.Curve> curves = List.of();
  private final Map<dev.llamasweep.stats.Summaries.Key, dev.llamasweep.stats.TokenTime> times = new LinkedHashMap<>();
  private List<RpcSection.Pair> rpcPairs = List.of();
  private final Map<dev.llamasweep.stats.Summaries.Key, dev.llamasweep.stats.RpcPath> rpcPaths = new LinkedHashMap<>();

  /** A cell's energy per generated token over its windows of repetitions, for its tg test. */
  public record Energy(String test, dev.llamasweep.stats.Estimate perToken) {}

  private Derived(TokenBandwidth.Walls walls) {
    this.walls = walls;
  }

  public static Derived of(List<CellEntry> cells, ReportData data, TokenBandwidth.Walls walls) {
    Derived d = new Derived(walls);
    for (TokenBandwidth.Row r : TokenBandwidth.rows(cells, data, walls)) {
      d.bandwidth.computeIfAbsent(r.cell().id(), k -> new ArrayList<>()).add(r);
      dev.llamasweep.stats.TokenTime t = FixedCostSection.decompose(r, data);
      if (t != null) d.times.put(new dev.llamasweep.stats.Summaries.Key(r.cell().id(), r.test()), t);
    }
    d.curves = BatchSection.curves(cells, data, walls);
    d.rpcPairs = RpcSection.pairs(cells, data);
    for (RpcSection.Pair p : d.rpcPairs) d.rpcPaths.put(new dev.llamasweep.stats.Summaries.Key(p.split().id(), p.test()), p.path());
    for (PromptCompute.Row r : PromptCompute.rows(cells, data)) d.prompts.computeIfAbsent(r.cell().id(), k -> new ArrayList<>()).add(r);
    for (CellEntry c : cells) {
      var row = data.cell(c);
      var p = row == null ? null : row.power();
      if (p != null && !p.jPerTokenPerRep().isEmpty()) {
        d.energy.put(c.id(), new Energy(p.test(), dev.llamasweep.stats.Summaries.of(p.jPerTokenPerRep().stream().mapToDouble(Double::doubleValue).toArray())));
      }
      for (String test : data.testsOf(c.id()).keySet()) d.warnings.put(new dev.llamasweep.stats.Summaries.Key(c.id(), test), Warnings.of(c, test, data));
    }
    return d;
  }

  public TokenBandwidth.Walls walls() {
    return walls;
  }

  /** The tg rows of these cells, in their order (each cell's tests in the order llama-bench ran them). */
  public List<TokenBandwidth.Row> bandwidth(List<CellEntry> cells) {
    List<TokenBandwidth.Row> out = new ArrayList<>();
    for (CellEntry c : cells) out.addAll(bandwidth.getOrDefault(c.id(), List.of()));
    return out;
  }

  /** What a cell's test should make a reader doubt, and why (empty when nothing). */
  public List<Warnings.Raised> warnings(CellEntry cell, String test) {
    return warnings.getOrDefault(new dev.llamasweep.stats.Summaries.Key(cell.id(), test), List.of());
  }

  /** The cell's J/token estimate, or null when its power record has none. */
  public Energy energy(CellEntry cell) {
    return energy.get(cell.id());
  }

  /** A tg row's time per token as fixed cost + moving its bytes, or null without a skeleton cell or a bytes model. */
  public dev.llamasweep.stats.TokenTime time(TokenBandwidth.Row r) {
    return times.get(new dev.llamasweep.stats.Summaries.Key(r.cell().id(), r.test()));
  }

  /** What bounds a tg row's token (the rule of {@link dev.llamasweep.stats.TokenTime#bound}, against the measured wall), or null without a decomposition. */
  public dev.llamasweep.stats.TokenTime.Bound bound(TokenBandwidth.Row r) {
    dev.llamasweep.stats.TokenTime t = time(r);
    if (t == null) return null;
    // a token that takes at least twice as long on rpc-servers as local is bound by the path, whatever its own split says
    dev.llamasweep.stats.RpcPath path = rpcPaths.get(new dev.llamasweep.stats.Summaries.Key(r.cell().id(), r.test()));
    if (path != null && path.bounds() && t.bound(null) != dev.llamasweep.stats.TokenTime.Bound.UNRESOLVED) return dev.llamasweep.stats.TokenTime.Bound.RPC;
    return t.bound(r.measured() == null ? null : r.measured().gbs());
  }

  /** Each test of a cell on rpc-servers with its local twin ({@link RpcSection#pairs}). */
  List<RpcSection.Pair> rpcPairs() {
    return rpcPairs;
  }

  /** Every batch curve of the render. */
  List<BatchSection.Curve> curves() {
    return curves;
  }

  /** The batch curves made of these cells' points, in plan order. */
  List<BatchSection.Curve> curves(List<CellEntry> cells) {
    java.util.Set<String> ids = new java.util.HashSet<>();
    for (CellEntry c : cells) ids.add(c.id());
    return curves.stream().filter(c -> c.cells().stream().anyMatch(e -> ids.contains(e.id()))).toList();
  }

  /** The pp rows of these cells, in their order. */
  public List<PromptCompute.Row> prompts(List<CellEntry> cells) {
    List<PromptCompute.Row> out = new ArrayList<>();
    for (CellEntry c : cells) out.addAll(prompts.getOrDefault(c.id(), List.of()));
    return out;
  }
}
