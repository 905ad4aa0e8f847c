package dev.llamasweep.report;

import dev.llamasweep.results.CellResult;
import dev.llamasweep.results.CellRow;

import dev.llamasweep.spec.Bench;
import dev.llamasweep.results.CellStatus;
import dev.llamasweep.results.CellEntry;
import dev.llamasweep.host.Fact;
import dev.llamasweep.host.HostRecord;
import dev.llamasweep.host.MemoryWall;
import dev.llamasweep.spec.Axis;
import dev.llamasweep.spec.Spec;
import dev.llamasweep.stats.Estimate;
import dev.llamasweep.stats.Summaries;
import dev.llamasweep.table.Table;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * reports/&lt;spec&gt;/report.md: per experiment, pp and tg mean ± sd per grid combination, then the
 * effective bandwidth, utilisation of the theoretical peak and the 100% / 85% ceilings, each with
 * its arithmetic written out so a reader can check it, as the seed blog does.
 */
public final class MarkdownReport {

  private MarkdownReport() {}

  /**
   * What the models are, where a reader could take a catalogue shape for the real model: its random weights said
   * once, before any figure; a Hugging Face model with its commit and content hash (models.json has the rest).
   */
  static void originsLine(StringBuilder md, ReportData data) {
    java.util.List<String> parts = new java.util.ArrayList<>();
    data.models().forEach((name, e) -> {
      dev.llamasweep.models.ModelOrigin o = e.origin();
      if (o == null) return;
      if (o.kind().equals("catalogue")) {
        parts.add("`" + name + "` is the exact shape of " + o.reference() + " with random weights (its published config, " + o.detail()
            + "; llama-quantize's types)");
      } else if (o.kind().equals("hf")) {
        parts.add("`" + name + "` is hf: " + o.reference() + " at commit " + o.detail().substring(0, Math.min(12, o.detail().length()))
            + (o.sha256() == null ? "" : ", SHA-256 " + o.sha256().substring(0, 12) + "…"));
      }
    });
    if (parts.isEmpty()) return;
    boolean random = data.models().values().stream().anyMatch(e -> e.origin() != null && e.origin().kind().equals("catalogue"));
    md.append("Models: ").append(String.join("; ", parts)).append(".").append(random ? " Random weights move the same bytes and do the same "
        + "work per token as the real ones, so speed, bytes per token and the bound are the real model's; what the model says (and a draft's "
        + "acceptance) is not." : "").append("\n\n");
  }

  /** With charts: each experiment links its charts (charts/&lt;id&gt;.svg) after its tables. */
  public static String render(Spec spec, List<CellEntry> plans, ReportData data, List<Charts.Chart> charts, Derived derived) {
    return render(spec, plans, data, charts, derived, List.of());
  }

  /** @param unreadable the data directory's fact files that are there but cannot be read, each a sentence */
  public static String render(Spec spec, List<CellEntry> plans, ReportData data, List<Charts.Chart> charts, Derived derived,
      List<String> unreadable) {
    StringBuilder md = new StringBuilder();
    md.append("# llama-sweep report: ").append(spec.name()).append("\n\n");
    md.append("Spec `").append(spec.file().getFileName()).append("`; data `data/").append(spec.name())
        .append("/` (").append(data.sampleCount()).append(" samples from ").append(countOk(plans, data))
        .append(" of ").append(plans.size()).append(" cells). ").append(buildLine(plans, data)).append(".\n\n");
    md.append("Every figure is the mean ± sample standard deviation (n − 1) of ").append(FirstScreen.sampleSources(plans))
        .append("; n is the number of repetitions. Each row names its cell: `data/").append(spec.name())
        .append("/raw/<cell>/command.sh` re-runs it and `stdout.jsonl` holds its raw output.\n\n");
    originsLine(md, data);
    FirstScreen.render(md, spec, plans, data, charts, derived);
    if (!unreadable.isEmpty()) {
      // before any figure: what the figures below could not use, so no "unknown" goes unexplained
      md.append("**Data that could not be read** (each figure that needs it shows it as unknown):\n\n");
      for (String u : unreadable) md.append("- ").append(MarkdownText.escape(u)).append(".\n");
      md.append('\n');
    }
    FindingsSection.render(md, spec, plans, data, derived);
    hostSection(md, data.host(), RpcSection.devicesByBackend(plans, data));
    Double peak = peakSection(spec, derived.walls(), md);
    FixedCostSection.renderMeasurements(md, data);
    DriftSection.render(md, data);

    for (Spec.Experiment x : spec.experiments()) {
      List<CellEntry> cells = plans.stream().filter(p -> p.experiments().contains(x.name())).toList();
      md.append("## ").append(x.name()).append(" (bench: ").append(x.bench() == Bench.SPECULATIVE ? "speculative, on llama-server" : x.bench().word).append(")\n\n");
      if (cells.isEmpty()) {
        md.append("No cell of this experiment was selected.\n\n");
        continue;
      }
      List<String> keys = CellColumns.of(cells, data);
      md.append(fixedLine(cells, keys));
      md.append(orderLine(cells, data));
      md.append(splitLine(cells, data));
      // a model spread by layers over two or more devices of the backend's own: where each layer went (rpc cells: in their section)
      for (CellEntry c : cells) {
        String line = data.rpc().containsKey(c.id()) ? null : DeviceSplit.line(c, data);
        if (line != null) md.append(line).append("\n\n");
      }
      if (x.bench() == Bench.SPECULATIVE) {
        SpeculativeSection.render(md, spec, x, cells, data, peak, derived.curves());
        chartLinks(md, x, charts);
        continue;
      }
      if (x.bench() == Bench.BATCH) {
        BatchSection.render(md, derived.curves(cells), data);
        chartLinks(md, x, charts);
        continue;
      }
      if (x.bench() == Bench.SERVER) {
        ServerSection.render(md, cells, data, derived.curves());
        chartLinks(md, x, charts);
        continue;
      }
      List<String> tests = tests(cells, data);
      throughputTable(md, cells, keys, tests, data, derived);
      ComparisonSection.render(md, cells, List.copyOf(x.grid().keySet()), tests, data, derived);
      BandwidthSection.render(md, cells, keys, data, derived);
      RpcSection.render(md, cells, data, derived);
      PromptCompute.render(md, derived.prompts(cells));
      EnergySection.render(md, cells, keys, data, derived);
      chartLinks(md, x, charts);
    }
    ServerSection.vocabularyNote(md, plans, data, derived.curves());
    cellsSection(md, plans, data);
    return md.toString();
  }

  /**
   * Which llama.cpp build made the figures: one build names itself; builds that differ are named per
   * backend, so a sweep that compares versions never shows one build line for all.
   */
  static String buildLine(List<CellEntry> plans, ReportData data) {
    List<String> builds = data.builds();
    if (builds.isEmpty()) return "llama.cpp build: none ran yet";
    if (builds.size() == 1) return "llama.cpp build: " + builds.get(0);
    Map<String, java.util.Set<String>> byBuild = new java.util.TreeMap<>();
    for (CellEntry p : plans) {
      String b = data.buildOfCell().get(p.id());
      if (b != null) byBuild.computeIfAbsent(b, k -> new java.util.TreeSet<>()).add(String.valueOf(p.params().backend()));
    }
    List<String> parts = new java.util.ArrayList<>();
    byBuild.forEach((b, backends) -> parts.add(b + " for " + String.join(", ", backends)));
    return "llama.cpp builds: " + String.join("; ", parts);
  }

  private static void chartLinks(StringBuilder md, Spec.Experiment x, List<Charts.Chart> charts) {
    String prefix = Charts.slug(x.name()) + "-";
    for (Charts.Chart c : charts) {
      if (c.id().equals(OverviewChart.ID)) continue;
      if (c.id().startsWith(prefix)) md.append("![").append(MarkdownText.escape(c.title())).append("](charts/").append(c.id()).append(".svg)\n\n");
    }
  }

  private static long countOk(List<CellEntry> plans, ReportData data) {
    return plans.stream().filter(p -> data.cell(p) != null && data.cell(p).status().isOk()).count();
  }

  private static void hostSection(StringBuilder md, HostRecord host, java.util.Map<String, String> rpcDevices) {
    if (host == null || !host.readable()) {
      // said where it is used: no fact stands in for a missing one, least of all another memory's wall
      md.append("## Host\n\nNo host facts: ").append(host == null ? "host.json is not in the data directory" : MarkdownText.escape(host.problem()))
          .append(". The machine's facts, its theoretical wall and which device each backend used are unknown here, so a cell that "
              + "offloaded layers is held against no wall and no bound is named from one. Running the spec again on the machine that "
              + "measured it writes host.json anew (completed cells are not re-run).\n\n");
      return;
    }
    md.append("## Host\n\n");
    Table facts = Table.ofText("fact", "value", "evidence");
    for (Fact f : host.facts()) {
      String evidence = "`" + MarkdownText.code(f.source()) + "`";
      if (f.isKnown() && f.raw() != null && !f.raw().equals(f.value()) && f.raw().length() <= 120 && !f.raw().contains("\n")) {
        evidence += ": `" + MarkdownText.code(f.raw()) + "`";
      }
      facts.row(f.name(), f.isKnown() ? MarkdownText.escape(f.value()) : "unknown: " + MarkdownText.escape(f.unknownBecause()), evidence);
    }
    md.append(facts.markdown());
    md.append("\nThe raw output of every source is in `host.json`.\n\n");
    if (!host.backends().isEmpty()) {
      md.append("### Backends\n\nA backend built here proves itself before it measures anything: prompt processing and generation of a tiny ")
          .append("model of each weight type the sweep uses, on the build's CPU kernels (`self-test/` in its build directory keeps every run). ")
          .append("CPU features are llama.cpp's own system info line (the entries that are on).\n\n");
      Table backends = Table.ofText("backend", "devices (`llama-bench --list-devices`)", "llama.cpp", "built with", "CPU features", "self-test", "note");
      host.backends().forEach((name, b) -> {
        dev.llamasweep.build.BuildRecord build = host.builds().get(name);
        List<String> notes = new java.util.ArrayList<>();
        if (b.flag() != null) notes.add("⚠ " + MarkdownText.escape(b.flag()));
        if (build != null) build.turnedOff().forEach(t -> notes.add("⚠ " + MarkdownText.escape(t)));
        String listed = b.devices().isEmpty() ? (b.gpuIntended() ? "none" : "none listed (CPU)") : MarkdownText.escape(String.join("; ", b.devices()));
        // a backend on rpc-servers offloads to the servers' devices, which its cells probed (rpc.csv)
        if (rpcDevices.containsKey(name)) listed = (b.devices().isEmpty() ? "" : listed + "; ") + MarkdownText.escape(rpcDevices.get(name));
        backends.row(MarkdownText.escape(name), listed,
            build == null ? "—" : MarkdownText.escape(build.release().describe()),
            build == null ? "—" : MarkdownText.escape(build.used().describe()) + " (`" + MarkdownText.escape(java.nio.file.Path.of(build.dir()).getFileName().toString()) + "`)",
            build == null || build.cpuFeatures() == null ? "—" : MarkdownText.escape(build.cpuFeatures()),
            build == null ? "—" : (build.selfTest().passed() ? "" : "⚠ ") + MarkdownText.escape(build.selfTest().summary()), String.join("<br>", notes));
      });
      md.append(backends.markdown()).append('\n');
    }
  }

  private static Double peakSection(Spec spec, TokenBandwidth.Walls w, StringBuilder md) {
    md.append("## Memory bandwidth walls\n\n");
    md.append("Each generated token reads the model's weights and the KV cache once. Bytes read per token = every tensor ")
        .append("of the GGUF header except the token-embedding table (one row of it is read) and the routed experts (used/count ")
        .append("of them are read), plus the KV cache at the context the token attends to; effective bandwidth = bytes read per ")
        .append("token × tg t/s / 10^9 (GB = 10^9 bytes, GiB = 2^30). The seed's method (llama-bench's `model_size`, all tensor ")
        .append("bytes, × t/s) stays beside it, labelled. A ceiling is the t/s a wall allows at 100% or at a realistic 85%. ")
        .append("Walls belong to memories: these are the walls of the memory the weights live in (system RAM for CPU cells and ")
        .append("for GPUs that share it); a cell whose weights sit in a discrete GPU's own memory is marked instead.\n\n");
    if (w.theoretical() != null) {
      md.append("Theoretical wall: ").append(w.theoretical().fromSpec() ? w.theoretical().how()
          : "**" + MarkdownText.trim(w.theoretical().gbs()) + " GB/s**, " + MarkdownText.escape(w.theoretical().how())).append(".\n\n");
    } else {
      md.append("Theoretical wall: unknown (").append(MarkdownText.escape(w.theoreticalUnknown()))
          .append("); utilisation is shown against the measured wall only.\n\n");
    }
    if (w.measured() != null) {
      MemoryWall.Measured p = w.probe();
      md.append("Measured wall: **").append(MarkdownText.trim(w.measured().gbs())).append(" GB/s**, the read kernel of a STREAM-style probe (")
          .append(p.describe().replaceFirst("^read [^,]*, ", "").replaceFirst(" \\(", "; ").replaceFirst("\\)$", ""))
          .append("; `data/").append(spec.name()).append("/walls/system-ram/command.sh` re-runs it, `stdout.txt` holds every run).");
      if (w.theoretical() != null && w.measured().gbs() <= w.theoretical().gbs()) {
        md.append(String.format(Locale.ROOT, " This memory delivers %s / %s = %s of its theoretical wall.", MarkdownText.trim(w.measured().gbs()),
            MarkdownText.trim(w.theoretical().gbs()), Estimate.percent(w.measured().gbs() / w.theoretical().gbs(), 1)));
      } else if (w.theoretical() != null) {
        md.append(" The measured wall is above the theoretical one, which is impossible: the theoretical wall's figures (")
            .append(MarkdownText.escape(w.theoretical().how().replace("**", ""))).append(") are wrong for this machine.");
      }
      md.append("\n\n");
    } else {
      md.append("Measured wall: unknown: ").append(MarkdownText.escape(w.measuredUnknown())).append(".\n\n");
    }
    for (var e : w.gpus().entrySet()) {
      dev.llamasweep.host.GpuWall.Wall g = e.getValue();
      md.append("GPU memory of ").append(e.getKey().toUpperCase(Locale.ROOT)).append(" (").append(MarkdownText.escape(g.name())).append("): theoretical ")
          .append(g.theoreticalGBs() == null ? "unknown (" + MarkdownText.escape(g.unknownBecause()) + ")" : g.theoreticalHow())
          .append("; measured ").append(g.readGBs() == null ? "unknown" : "**" + MarkdownText.trim(g.readGBs()) + " GB/s**, " + MarkdownText.escape(g.readHow()));
      if (g.readGBs() != null && g.theoreticalGBs() != null) {
        md.append(g.readGBs() <= g.theoreticalGBs()
            ? String.format(Locale.ROOT, " (%s / %s = %s of the theoretical wall)", MarkdownText.trim(g.readGBs()), MarkdownText.trim(g.theoreticalGBs()),
                Estimate.percent(g.readGBs() / g.theoreticalGBs(), 1))
            : " (above the theoretical wall, which is impossible: the clock or bus width is wrong)");
      }
      md.append(". Cells with every layer on this GPU are held against these walls; `data/").append(spec.name()).append("/walls/")
          .append(e.getKey()).append("/` holds the probe's output and nvidia-smi's.\n\n");
    }
    return w.theoretical() == null ? null : w.theoretical().gbs();
  }

  /** How the experiment's cells were ordered, and what interleaving cost. */
  /**
   * Where an experiment splits a model over devices (split_mode layer, row or tensor, or a tensor_split) on a
   * backend that lists fewer than two devices: it ran, on the one device there is, and its arms are no split.
   */
  static String splitLine(List<CellEntry> cells, ReportData data) {
    if (data.host() == null || !data.host().readable()) return "";
    java.util.Map<String, dev.llamasweep.host.BackendDevices> devices = data.host().backends();
    java.util.Set<String> single = new java.util.TreeSet<>();
    for (CellEntry c : cells) {
      Object mode = c.params().get(dev.llamasweep.spec.Axis.SPLIT_MODE);
      boolean splits = mode != null && !"none".equals(mode) || c.params().get(dev.llamasweep.spec.Axis.TENSOR_SPLIT) != null;
      dev.llamasweep.host.BackendDevices d = devices.get(c.params().backend());
      if (splits && d != null && d.devices().size() < 2) {
        single.add("`" + MarkdownText.code(c.params().backend()) + "` lists " + (d.devices().isEmpty() ? "no device (it runs on the CPU)"
            : "one device (" + MarkdownText.escape(d.devices().get(0)) + ")"));
      }
    }
    if (single.isEmpty()) return "";
    return "**A split needs two devices**: " + String.join("; ", single) + " (`llama-bench --list-devices`), so its split_mode and "
        + "tensor_split arms ran on one device and differ by no split; run them where the backend lists two or more.\n\n";
  }

  private static String orderLine(List<CellEntry> cells, ReportData data) {
    int invocations = 0;
    int interleaved = 0;
    int rounds = 0;
    double overhead = 0;
    List<String> stops = new ArrayList<>();
    for (CellEntry c : cells) {
      CellRow row = data.cell(c);
      if (row == null || row.order() == null) continue;
      CellResult.Order o = row.order();
      if (o.stopped() != null) stops.add("`" + c.id() + "`: " + o.stopped());
      if (o.kind().equals("adaptive")) continue;
      interleaved++;
      rounds = Math.max(rounds, o.rounds());
      invocations += o.rounds();
      overhead += o.overheadS();
    }
    String adaptive = stops.isEmpty() ? "" : "Adaptive repetitions, the rule that stopped each cell: " + String.join("; ", stops) + ".\n\n";
    if (interleaved == 0) return adaptive;
    return adaptive + String.format(Locale.ROOT, "Order: %d cells interleaved in %d rounds (A B C, then B C A, …), so drift in the machine lands on "
        + "every arm alike: %d llama-bench invocations instead of %d; model load and warm-up cost %.2f s per invocation on average "
        + "(%.1f s in all, the price of interleaving). `order: sequential` runs each cell's repetitions back to back.%n%n",
        interleaved, rounds, invocations, interleaved, overhead / Math.max(1, invocations), overhead);
  }

  private static String fixedLine(List<CellEntry> cells, List<String> keys) {
    List<String> fixed = new ArrayList<>();
    for (Axis a : Axis.values()) {
      if (keys.contains(a.key) || a == Axis.CONFIG) continue;
      Object v = cells.get(0).params().get(a);
      if (v != null) fixed.add(a.key + "=" + v);
    }
    return fixed.isEmpty() ? "" : "Same in every cell: " + String.join(", ", fixed) + ".\n\n";
  }

  private static List<String> tests(List<CellEntry> cells, ReportData data) {
    Set<String> tests = new LinkedHashSet<>();
    for (CellEntry c : cells) tests.addAll(data.testsOf(c.id()).keySet());
    List<String> sorted = new ArrayList<>(tests);
    sorted.sort((a, b) -> Integer.compare(order(a), order(b)) != 0 ? Integer.compare(order(a), order(b)) : a.compareTo(b));
    return sorted;
  }

  private static int order(String test) {
    // prompts, then generation, then both: the order of TestShape.Kind
    return dev.llamasweep.llamacpp.TestShape.kindOf(test).ordinal();
  }

  private static void throughputTable(StringBuilder md, List<CellEntry> cells, List<String> keys, List<String> tests, ReportData data, Derived derived) {
    md.append("### Throughput (tokens/s)\n\n");
    List<String> headers = new ArrayList<>();
    keys.forEach(k -> headers.add(k.replaceFirst("^config:", "")));
    tests.forEach(t -> headers.add(t + " (t/s)"));
    headers.addAll(List.of("n", "cell"));
    Table table = Table.ofText(headers.toArray(String[]::new));
    java.util.Map<dev.llamasweep.stats.Warning, java.util.Map<String, List<String>>> noisy = new java.util.EnumMap<>(dev.llamasweep.stats.Warning.class);
    for (CellEntry c : cells) {
      List<Object> cellsOfRow = new ArrayList<>();
      CellRow row = data.cell(c);
      keys.forEach(k -> cellsOfRow.add(k.equals("profile") ? profile(c, row) : k.equals("backend") ? backend(c, data) : CellColumns.value(c, k)));
      CellStatus status = row == null ? CellStatus.MISSING : row.status();
      if (!status.isOk()) {
        String why = row == null ? "not run yet" : status.word + (row.reason().isEmpty() ? "" : ": " + row.reason());
        for (int i = 0; i < tests.size(); i++) cellsOfRow.add(i == 0 ? "**" + MarkdownText.escape(why) + "**" : "—");
        if (tests.isEmpty()) {
          // no test column to say it in: the n column says why (the table's columns stay as its header names them)
          cellsOfRow.add("**" + MarkdownText.escape(why) + "**");
        } else {
          cellsOfRow.add("—");
        }
        cellsOfRow.add("`" + c.id() + "`");
        table.row(cellsOfRow);
        continue;
      }
      Set<String> ns = new LinkedHashSet<>();
      for (String t : tests) {
        Estimate e = data.estimates().get(new Summaries.Key(c.id(), t));
        if (e == null) {
          cellsOfRow.add("—");
          continue;
        }
        ns.add(e.nLabel());
        List<Warnings.Raised> raised = derived.warnings(c, t);
        raised.forEach(w -> noisy.computeIfAbsent(w.warning(), k -> new java.util.LinkedHashMap<>())
            .computeIfAbsent(w.detail(), k -> new java.util.ArrayList<>()).add("`" + c.id() + "` " + t));
        double h = e.ci95();
        String ci = Double.isNaN(h) ? "" : " [" + Estimate.num(e.mean() - h, Estimate.decimals(e.mean())) + ", "
            + Estimate.num(e.mean() + h, Estimate.decimals(e.mean())) + "]";
        cellsOfRow.add(e.format() + ci + (raised.isEmpty() ? "" : " ⚠"));
      }
      cellsOfRow.add(ns.size() == 1 ? ns.iterator().next().toString() : ns.toString());
      cellsOfRow.add("`" + c.id() + "`" + (row.machineNote().isEmpty() ? "" : " ⚠ busy"));
      table.row(cellsOfRow);
    }
    md.append(table.markdown()).append('\n');
    md.append("Each figure is mean ± sd [95% confidence interval of the mean, Student t]; ⚠ marks a warning below.\n\n");
    if (!noisy.isEmpty()) {
      // grouped by cause, each said once with what to do, then the cells and tests it concerns
      md.append("Warnings:\n\n");
      noisy.forEach((w, byDetail) -> {
        md.append("- ⚠ **").append(w).append("** — ").append(MarkdownText.escape(w.todo)).append(":\n");
        byDetail.forEach((detail, where) -> md.append("  - ").append(String.join(", ", where)).append(": ").append(MarkdownText.escape(w.describe(detail))).append('\n'));
      });
      md.append('\n');
    }
  }

  private static void cellsSection(StringBuilder md, List<CellEntry> plans, ReportData data) {
    md.append("## Cells\n\nWall: the cell's time from its first benchmark start to its last end; harness CPU: what llama-sweep itself used "
        + "meanwhile (the power sampler included), near zero unless the harness competed with the benchmark.\n\n"
    );
    Table table = Table.ofText("cell", "status", "wall", "harness CPU", "command");
    for (CellEntry p : plans) {
      CellRow row = data.cell(p);
      String status = row == null ? "missing: not run yet" : row.status().word + (row.reason().isEmpty() ? "" : ": " + row.reason());
      String command = row == null ? p.plannedCommand() : row.command();
      boolean ran = row != null && row.seconds() > 0;
      table.row("`" + p.id() + "`", MarkdownText.escape(status), ran ? Estimate.num(row.seconds(), 1) + " s" : "—",
          ran && row.harnessCpuS() != null ? Estimate.num(row.harnessCpuS(), 2) + " s" : "—", "`" + command.replace("|", "\\|").replace("`", "'") + "`");
    }
    md.append(table.markdown()).append('\n');
  }

  /** The requested profile, and the observed one when they differ (profiles are recorded, not switched). */
  private static String profile(CellEntry c, CellRow row) {
    String requested = CellColumns.value(c, "profile");
    if (row == null || row.observedProfile() == null || row.observedProfile().isEmpty()
        || row.observedProfile().equals(requested) || !row.status().isOk()) {
      return requested;
    }
    return requested + " (observed: " + MarkdownText.escape(row.observedProfile()) + ")";
  }

  /** The backend, marked when its llama-bench lists no device although it is meant for a GPU. */
  private static String backend(CellEntry c, ReportData data) {
    String name = CellColumns.value(c, "backend");
    if (data.host() == null) return name;
    var b = data.host().backends().get(c.params().backend());
    return b != null && b.flag() != null && b.gpuIntended() ? name + " ⚠ no GPU device" : name;
  }
}
