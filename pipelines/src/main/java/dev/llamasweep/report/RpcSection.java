package dev.llamasweep.report;

import dev.llamasweep.results.CellEntry;
import dev.llamasweep.results.RpcFile;
import dev.llamasweep.spec.Axis;
import dev.llamasweep.stats.Estimate;
import dev.llamasweep.stats.RpcPath;
import dev.llamasweep.table.Column;
import dev.llamasweep.table.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Cells whose llama-bench split the model over rpc-servers, each test beside the same model and test run
 * local: what the RPC path costs a token and its share, the servers' round trips, and where llama.cpp put
 * each layer with the bytes a token reads on each server. The pairs are made once ({@link #pairs}) and
 * read by this section, the bound of each cell ({@link Derived#bound}) and the first screen.
 */
final class RpcSection {
  private RpcSection() {}

  /** One test of a cell on rpc-servers and the same test of its local twin. */
  record Pair(CellEntry split, CellEntry local, String test, RpcPath path) {}

  /**
   * Each test of each cell on rpc-servers (it has servers in rpc.csv) with the first cell of the same
   * model and setting that ran on no server: the same axes but its backend and that backend's gpu_layers.
   */
  static List<Pair> pairs(List<CellEntry> cells, ReportData data) {
    List<Pair> out = new ArrayList<>();
    Map<String, List<RpcFile.Server>> rpc = data.rpc();
    if (rpc.isEmpty()) return out;
    for (CellEntry c : cells) {
      if (!rpc.containsKey(c.id())) continue;
      CellEntry twin = cells.stream().filter(o -> !rpc.containsKey(o.id()) && !o.id().equals(c.id()) && sameSetting(o, c)
          && !data.testsOf(o.id()).isEmpty()).findFirst().orElse(null);
      if (twin == null) continue;
      for (Map.Entry<String, Estimate> t : data.testsOf(c.id()).entrySet()) {
        Estimate local = data.testsOf(twin.id()).get(t.getKey());
        if (local != null) out.add(new Pair(c, twin, t.getKey(), RpcPath.of(t.getValue(), local)));
      }
    }
    return out;
  }

  private static boolean sameSetting(CellEntry a, CellEntry b) {
    if (a.bench() != b.bench()) return false;
    for (Axis x : Axis.values()) {
      if (x == Axis.BACKEND || x == Axis.GPU_LAYERS) continue;
      if (!Objects.equals(a.params().get(x), b.params().get(x))) return false;
    }
    return true;
  }

  static void render(StringBuilder md, List<CellEntry> cells, ReportData data, Derived derived) {
    java.util.Set<String> ids = new java.util.HashSet<>();
    cells.forEach(c -> ids.add(c.id()));
    List<Pair> pairs = derived.rpcPairs().stream().filter(p -> ids.contains(p.split().id())).toList();
    List<CellEntry> onServers = cells.stream().filter(c -> data.rpc().containsKey(c.id())).toList();
    if (onServers.isEmpty()) return;
    md.append("### The RPC path\n\n");
    if (pairs.isEmpty()) {
      md.append("No cell of this experiment ran the same model and setting local, so what the RPC path costs a token is not measured here; "
          + "add a backend without `rpc:` to the grid.\n\n");
    } else {
      md.append("Each test on rpc-servers beside the same model and test run local: the difference in time per token is what the RPC path "
          + "costs a token — the round trips over the network, the graph llama.cpp sends with every step, the servers' own scheduling — and its "
          + "share of the token, 1 − split t/s ÷ local t/s, with the 95% interval of that ratio. The round trip is the median of a command "
          + "each server answers at once, measured before llama-bench connected (`rpc.csv` counts them); the path is that many round trips' worth. Where the path is at least half of a generated token it is named as that token's bound.\n\n");
      md.append(table(pairs, data, null, null).markdown()).append('\n');
    }
    for (CellEntry c : onServers) {
      String line = DeviceSplit.line(c, data);
      if (line != null) md.append(line).append("\n\n");
    }
  }

  /**
   * The pairs' table, one row per test on rpc-servers; {@code leadHeader} and {@code lead} put a first
   * column before it (the corpus names each row's host and dataset there), or none when null.
   */
  static Table table(List<Pair> pairs, ReportData data, String leadHeader, java.util.function.Function<Pair, String> lead) {
    List<Column> columns = new ArrayList<>();
    if (leadHeader != null) columns.add(Column.text(leadHeader));
    for (String h : List.of("model", "backend", "servers", "test", "ms per token", "local ms per token", "RPC path ms", "share of the token",
        "round trip (median)", "≈ round trips", "cells")) {
      columns.add(Column.text(h));
    }
    Table t = Table.of(columns);
    for (Pair p : pairs) {
      List<RpcFile.Server> servers = data.rpc().get(p.split().id());
      // the servers' medians averaged: each hop of a token's path is one of them
      double rtt = servers.stream().mapToDouble(RpcFile.Server::medianMicros).filter(Double::isFinite).average().orElse(Double.NaN);
      double[] share = p.path().shareInterval();
      List<Object> row = new ArrayList<>();
      if (leadHeader != null) row.add(lead.apply(p));
      row.addAll(List.of(MarkdownText.escape(p.split().params().model()), MarkdownText.escape(p.split().params().backend()), String.valueOf(servers.size()), p.test(),
          String.format(Locale.ROOT, "%.3f", p.path().splitMs()),
          String.format(Locale.ROOT, "%.3f (%s)", p.path().localMs(), MarkdownText.escape(p.local().params().backend())),
          String.format(Locale.ROOT, "%+.3f", p.path().pathMs()),
          Estimate.percent(p.path().share(), 0) + (Double.isNaN(share[0]) ? "" : " [" + Estimate.percent(share[0], 0) + ", " + Estimate.percent(share[1], 0) + "]")
              + (p.path().bounds() && generation(p, data) ? " **bound**" : ""),
          Double.isNaN(rtt) ? "—" : String.format(Locale.ROOT, "%.1f µs", rtt),
          Double.isNaN(rtt) || p.path().pathMs() <= 0 ? "—" : String.format(Locale.ROOT, "%.0f", p.path().roundTripsWorth(rtt)),
          "`" + p.split().id() + "` vs `" + p.local().id() + "`"));
      t.row(row);
    }
    return t;
  }

  /** "on 2 rpc-servers: CPU: AMD EPYC (24105 MiB, 24105 MiB free) each", by backend, from its cells' probes. */
  static Map<String, String> devicesByBackend(List<CellEntry> cells, ReportData data) {
    Map<String, String> out = new java.util.TreeMap<>();
    for (CellEntry c : cells) {
      List<RpcFile.Server> servers = data.rpc().get(c.id());
      if (servers == null || out.containsKey(c.params().backend())) continue;
      java.util.Set<String> devices = new java.util.LinkedHashSet<>();
      for (RpcFile.Server s : servers) devices.add(s.deviceLines().isEmpty() ? s.freeBytes().size() + " device(s) at " + s.endpoint() : String.join(", ", s.deviceLines()));
      out.put(c.params().backend(), "on " + servers.size() + " rpc-server" + (servers.size() == 1 ? "" : "s") + ": " + String.join("; ", devices)
          + (devices.size() == 1 && servers.size() > 1 ? " each" : ""));
    }
    return out;
  }

  private static boolean generation(Pair p, ReportData data) {
    var shape = data.shape(p.split().id(), p.test());
    // a corpus read (cells.csv and the aggregate) has no shapes: the test's name says its kind
    var kind = shape != null ? shape.kind() : dev.llamasweep.llamacpp.TestShape.kindOf(p.test());
    return kind == dev.llamasweep.llamacpp.TestShape.Kind.TG;
  }

  /**
   * The first screen's line of an experiment with cells on rpc-servers: each generated token's path and share
   * ("target on rpc2 (2 local rpc-servers): 13.457 ms per token against 5.887 local — the RPC path is 7.570 ms, 56% …"); null without a pair.
   */
  static String firstScreen(dev.llamasweep.spec.Spec.Experiment x, List<CellEntry> cells, Derived derived) {
    java.util.Set<String> ids = new java.util.HashSet<>();
    cells.forEach(c -> ids.add(c.id()));
    List<String> parts = new ArrayList<>();
    for (Pair p : derived.rpcPairs()) {
      if (!ids.contains(p.split().id()) || dev.llamasweep.llamacpp.TestShape.kindOf(p.test()) != dev.llamasweep.llamacpp.TestShape.Kind.TG) continue;
      double[] ci = p.path().shareInterval();
      parts.add(String.format(Locale.ROOT, "%s on %s: %.3f ms per token against %.3f on %s — the RPC path %+.3f ms, %s of the token%s%s",
          MarkdownText.escape(p.split().params().model()), MarkdownText.escape(p.split().params().backend()), p.path().splitMs(), p.path().localMs(),
          MarkdownText.escape(p.local().params().backend()), p.path().pathMs(), Estimate.percent(p.path().share(), 0),
          Double.isNaN(ci[0]) ? "" : " (95% CI " + Estimate.percent(ci[0], 0) + " to " + Estimate.percent(ci[1], 0) + ")",
          p.path().bounds() ? ", its bound" : ""));
    }
    if (parts.isEmpty()) return null;
    return "**" + MarkdownText.escape(x.name()) + "** (rpc-servers): " + String.join(" · ", parts) + ".";
  }
}
