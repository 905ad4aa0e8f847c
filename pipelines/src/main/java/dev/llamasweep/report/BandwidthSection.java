package dev.llamasweep.report;

import dev.llamasweep.results.CellEntry;
import dev.llamasweep.stats.Bandwidth;
import dev.llamasweep.stats.TokenTime;
import dev.llamasweep.stats.BytesPerToken;
import dev.llamasweep.stats.Estimate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * "Bandwidth from token generation": per tg estimate, bytes actually read per token, effective GB/s,
 * utilisation of the measured and the theoretical wall, the seed's file-size figure, and ceilings;
 * then the bytes-per-token arithmetic written out once per model and context, so a reader can check
 * every figure by hand.
 */
final class BandwidthSection {
  private BandwidthSection() {}

  static void render(StringBuilder md, List<CellEntry> cells, List<String> keys, ReportData data, Derived derived) {
    List<TokenBandwidth.Row> rows = derived.bandwidth(cells);
    boolean fixedInCeilings = false;
    if (rows.isEmpty()) return;
    boolean anyBytes = rows.stream().anyMatch(r -> r.bytes() != null);
    boolean anyMeasured = rows.stream().anyMatch(r -> r.measured() != null);
    boolean anyTheoretical = rows.stream().anyMatch(r -> r.theoretical() != null);
    TokenBandwidth.Wall ceilingWall = derived.walls().ceilingWall();
    boolean anyCeiling = rows.stream().anyMatch(r -> (r.onSystemRam() ? ceilingWall : r.ceilingWall()) != null);
    md.append("### Bandwidth from token generation\n\n");
    List<String> headers = new java.util.ArrayList<>();
    keys.forEach(k -> headers.add(k.replaceFirst("^config:", "")));
    headers.add("test");
    if (anyBytes) {
      headers.addAll(List.of("bytes read per token", "effective bandwidth"));
      if (anyMeasured) headers.add("of the measured wall");
      if (anyTheoretical) headers.add("of the theoretical wall");
    }
    headers.add("file bytes × t/s (the seed's method)");
    if (anyCeiling) headers.addAll(List.of("ceiling at 100%", "ceiling at 85%"));
    dev.llamasweep.table.Table table = dev.llamasweep.table.Table.ofText(headers.toArray(String[]::new));
    for (TokenBandwidth.Row r : rows) {
      List<Object> v = new java.util.ArrayList<>();
      keys.forEach(k -> v.add(CellColumns.value(r.cell(), k)));
      v.add(r.test());
      double tps = r.tg().mean();
      if (anyBytes) {
        if (r.bytes() == null) {
          v.add(MarkdownText.escape(r.bytesUnknown()));
          v.add("—");
          if (anyMeasured) v.add("—");
          if (anyTheoretical) v.add("—");
        } else {
          double eff = r.effectiveGBs();
          v.add(BytesPerToken.mb(r.bytes().total()) + (r.bytes().isMoe() ? " (MoE)" : ""));
          v.add(String.format(Locale.ROOT, "%.4f GB × %s t/s = **%.2f GB/s**", r.bytes().total() / 1e9, MarkdownText.trim2(tps), eff));
          if (anyMeasured) v.add(wallCell(r, r.measured(), r.utilisation(r.measured()), eff));
          if (anyTheoretical) v.add(wallCell(r, r.theoretical(), r.utilisation(r.theoretical()), eff));
        }
      }
      v.add(fileCell(r, anyBytes));
      if (anyCeiling) {
        // each row against its own memory's wall: system RAM, or the discrete GPU its weights sit in
        TokenBandwidth.Wall cw = r.onSystemRam() ? ceilingWall : r.ceilingWall();
        Double bytes = cw == null ? null : r.ceilingBytes();
        TokenTime tt = derived.time(r);
        if (bytes == null) {
          v.add("—");
          v.add("—");
        } else if (tt != null) {
          // honest ceilings: the fixed cost per token stays whatever the bandwidth, only the bytes beyond the skeleton's speed up
          double gb = tt.movedBytes() / 1e9;
          v.add(String.format(Locale.ROOT, "1000 / (%.3f + %.4f / %s × 1000) = %.1f t/s", tt.fixedMs(), gb, MarkdownText.trim(cw.gbs()),
              tt.tpsAtWall(cw.gbs())));
          v.add(String.format(Locale.ROOT, "1000 / (%.3f + %.4f / (%s × 0.85) × 1000) = %.1f t/s", tt.fixedMs(), gb, MarkdownText.trim(cw.gbs()),
              tt.tpsAtWall(cw.gbs() * Bandwidth.REALISTIC_FRACTION)));
          fixedInCeilings = true;
        } else {
          double gb = bytes / 1e9;
          v.add(String.format(Locale.ROOT, "%s / %.4f = %.1f t/s", MarkdownText.trim(cw.gbs()), gb, Bandwidth.ceilingTps(cw.gbs(), 1.0, bytes)));
          v.add(String.format(Locale.ROOT, "%s × 0.85 / %.4f = %.1f t/s", MarkdownText.trim(cw.gbs()), gb, Bandwidth.ceilingTps(cw.gbs(), Bandwidth.REALISTIC_FRACTION, bytes)));
        }
      }
      table.row(v);
    }
    md.append(table.markdown()).append('\n');
    if (anyCeiling) {
      md.append("Ceilings use the wall of the memory each row's weights live in (its theoretical wall where known, else its measured one) and ")
          .append(anyBytes ? "the bytes read per token (the file size where the header is unknown)" : "the file size, as the seed does").append(".")
          .append(fixedInCeilings ? " Where the fixed cost per token was measured (its skeleton), a ceiling keeps it: 1000 / (fixed ms + bytes "
              + "beyond the skeleton's / wall), so no ceiling promises speed that bandwidth cannot buy." : "").append("\n\n");
    }
    FixedCostSection.render(md, rows, data, derived);
    reading(md, rows, derived);
    writtenOut(md, rows);
  }

  private static String wallCell(TokenBandwidth.Row r, TokenBandwidth.Wall wall, TokenBandwidth.Judged j, double eff) {
    if (r.memory() instanceof WeightsMemory.SystemRamApart) {
      return "— (ran on the CPU: its weights are in system RAM, not in the GPU memory whose wall was given)";
    }
    if (r.memory() instanceof WeightsMemory.Split split) {
      return "— (a partial offload, " + MarkdownText.escape(split.what())
          + ": the rest is read from system RAM, so neither memory's wall alone bounds it; unknown)";
    }
    if (r.memory() instanceof WeightsMemory.Unknown u) return "— (no wall: " + MarkdownText.escape(u.why()) + ")";
    if (!r.onSystemRam() && wall == null) return "— (weights in " + MarkdownText.escape(r.memory().describe()) + "'s memory, whose wall is not known here)";
    return j.format(eff, wall);
  }

  /** The seed's arithmetic, exactly as the blog writes it: GiB × 1.074 × t/s, against the wall where possible. */
  private static String fileCell(TokenBandwidth.Row r, boolean anyBytes) {
    long size = r.fileBytes();
    double gb = size / 1e9;
    double eff = r.fileGBs();
    StringBuilder c = new StringBuilder(String.format(Locale.ROOT, "%,d B = %.4f GiB = %.4f GB × %s t/s = ", size, size / Bandwidth.GIB, gb,
        MarkdownText.trim2(r.tg().mean())));
    c.append(anyBytes ? String.format(Locale.ROOT, "%.2f GB/s", eff) : String.format(Locale.ROOT, "**%.2f GB/s**", eff));
    TokenBandwidth.Wall wall = r.theoretical() != null ? r.theoretical() : r.measured();
    if (wall == null && r.memory() instanceof WeightsMemory.SystemRamApart) {
      c.append("; not held against the given wall: it ran on the CPU, so its weights were read from system RAM, not from the GPU's memory");
    } else if (wall == null && r.memory() instanceof WeightsMemory.Split split) {
      c.append("; no wall: a partial offload (").append(MarkdownText.escape(split.what()))
          .append(") reads from two memories");
    } else if (wall == null && r.memory() instanceof WeightsMemory.Unknown u) {
      c.append("; no wall: ").append(MarkdownText.escape(u.why()));
    } else if (wall == null && !r.onSystemRam()) {
      c.append("; no wall: its weights are in ").append(MarkdownText.escape(r.memory().describe())).append("'s memory, whose wall is not known here");
    }
    if (wall != null) {
      TokenBandwidth.Judged j = r.fileUtilisation(wall);
      c.append("; ").append(j.value() == null ? "no utilisation: " + MarkdownText.escape(j.refusal())
          : String.format(Locale.ROOT, "%.2f / %s = %s", eff, MarkdownText.trim(wall.gbs()), Estimate.percent(j.value(), 1))
              + (wall.equals(r.theoretical()) ? "" : " of the measured wall"));
    }
    return c.toString();
  }

  /** One sentence a reader can check: the fastest row against what memory delivers and against the sticker. */
  private static void reading(StringBuilder md, List<TokenBandwidth.Row> rows, Derived derived) {
    TokenBandwidth.Row best = null;
    for (TokenBandwidth.Row r : rows) {
      if (r.bytes() == null || !r.onSystemRam()) continue;
      if (best == null || r.effectiveGBs() > best.effectiveGBs()) best = r;
    }
    if (best == null || derived.walls().measured() == null) return;
    TokenBandwidth.Judged m = best.utilisation(derived.walls().measured());
    if (m.value() == null) return;
    md.append(String.format(Locale.ROOT, "Reading: `%s` %s reads %.2f GB/s, %s of what this memory delivers (%s GB/s measured)",
        MarkdownText.code(String.valueOf(best.cell().params().model())), best.test(), best.effectiveGBs(), Estimate.percent(m.value(), 0), MarkdownText.trim(derived.walls().measured().gbs())));
    if (derived.walls().theoretical() != null && derived.walls().measured().gbs() <= derived.walls().theoretical().gbs()) {
      md.append(String.format(Locale.ROOT, ", which is %s of the sticker (%s GB/s)", Estimate.percent(derived.walls().measured().gbs() / derived.walls().theoretical().gbs(), 0),
          MarkdownText.trim(derived.walls().theoretical().gbs())));
    }
    md.append(".\n\n");
  }

  /** Bytes per token written out once per model, context and KV type. */
  private static void writtenOut(StringBuilder md, List<TokenBandwidth.Row> rows) {
    Map<String, TokenBandwidth.Row> distinct = new LinkedHashMap<>();
    List<String> unknown = new ArrayList<>();
    for (TokenBandwidth.Row r : rows) {
      String model = String.valueOf(r.cell().params().model());
      if (r.bytes() == null) {
        if (!unknown.contains(model)) unknown.add(model);
        continue;
      }
      distinct.putIfAbsent(model + "|" + r.bytes().contextLength() + "|" + r.bytes().kvTypes(), r);
    }
    if (!distinct.isEmpty()) {
      md.append("Bytes read per token, written out (L is the mean context a generated token attends to: after depth d, the i-th of n ")
          .append("generated tokens sees d + i positions, so L = d + (n + 1) / 2; kernels that touch padded KV cells read a little more):\n\n");
      for (TokenBandwidth.Row r : distinct.values()) {
        BytesPerToken.Breakdown b = r.bytes();
        var shape = r.model().shape();
        md.append("- `").append(MarkdownText.code(String.valueOf(r.cell().params().model()))).append("` (")
            .append(MarkdownText.escape(shape.architecture())).append(", ").append(shape.layers()).append(" layers")
            .append(shape.isMoe() ? ", " + shape.expertUsed() + " of " + shape.expertCount() + " experts per token" : "")
            .append("), ").append(r.test()).append(": ").append(b.arithmetic()).append("; ").append(b.kvArithmetic()).append(". ");
        long embd = shape.tensors().stream().filter(t -> t.name().equals("token_embd.weight")).mapToLong(t -> t.bytes()).sum();
        md.append("The file holds ").append(BytesPerToken.mb(r.model().tensorBytes())).append(" of tensors");
        if (embd > 0 && !b.tiedOutput()) {
          md.append("; its token-embedding table (").append(BytesPerToken.mb(embd)).append(") is read one row (")
              .append(String.format(Locale.ROOT, "%,d B", b.embeddingRowBytes())).append(") per token");
          TokenBandwidth.Wall wall = r.theoretical() != null ? r.theoretical() : r.measured();
          if (wall != null && !shape.isMoe()) {
            double withEmbd = Bandwidth.utilisation(r.fileGBs(), wall.gbs());
            double without = Bandwidth.utilisation(Bandwidth.effectiveGBs(r.fileBytes() - embd + b.embeddingRowBytes(), r.tg().mean()), wall.gbs());
            if (withEmbd <= 1 && without <= 1) {
              md.append(String.format(Locale.ROOT, ": not counting it changes the file-size utilisation from %s to %s (%+.1f points)",
                  Estimate.percent(withEmbd, 1), Estimate.percent(without, 1), (without - withEmbd) * 100));
            } else if (without <= 1) {
              md.append(String.format(Locale.ROOT, ": counting the whole table, the file-size method exceeds the wall (impossible); "
                  + "without it, it gives %s", Estimate.percent(without, 1)));
            } else {
              md.append(": even without it the file-size method exceeds the wall, so file bytes say nothing about this run");
            }
          }
        } else if (b.tiedOutput()) {
          md.append("; its output shares the token-embedding table, which is therefore read whole");
        }
        md.append('.');
        if (b.notCovered() != null) md.append(" Not counted: ").append(MarkdownText.escape(b.notCovered())).append('.');
        md.append('\n');
      }
      md.append('\n');
    }
    if (!unknown.isEmpty()) {
      md.append("No GGUF header recorded for ").append(String.join(", ", unknown.stream().map(m -> "`" + MarkdownText.code(m) + "`").toList()))
          .append(": bytes read per token are unknown, and the seed's file-size method counts the whole token-embedding table ")
          .append("(a token reads one row) and every expert of an MoE. Run the sweep with the model file present, or `ingest --gguf`.\n\n");
    }
  }
}
