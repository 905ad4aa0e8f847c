package dev.llamasweep.report;

import dev.llamasweep.stats.Comparison;
import dev.llamasweep.stats.Estimate;
import dev.llamasweep.stats.Summaries;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import dev.llamasweep.results.ResultFiles;
import dev.llamasweep.results.SampleRow;

/**
 * Two result sets side by side (before and after a llama.cpp update, two machines, ...): per
 * matching cell and test, the change with its 95% interval and the one verdict rule. Cells match on
 * their whole configuration as llama.cpp recorded it (model file, backend, threads, GPU layers, load
 * mode, KV types, flash attention, every other llama-bench field of ingested records) plus profile and
 * draft, so results line up whatever a spec called its models; every cell without a match is listed
 * with the fields that differ from its nearest counterpart.
 */
public final class CompareReport {
  /** What a measurement's configuration is made of, as recorded: the same setup matches whatever the spec called it. */
  private static final List<String> MATCHED_ON = List.of("model_file", "backends", "n_threads", "n_gpu_layers", "load_mode",
      "type_k", "type_v", "record_flash_attn", "config", "profile", "draft", "draft_max", "prompt_file");

  /**
   * The llama-bench parameter fields two results must share, read from each cell's raw record: what
   * was run, not where or with which build (comparing machines and builds is what compare is for).
   */
  static final List<String> PARAMETERS = dev.llamasweep.llamacpp.BenchFields.PARAMETERS;

  /** A cell's parameter fields from the first record of its raw output, or null (a speculative cell, a missing file). */
  static Map<String, String> rawParameters(Path dataDir, String cell) {
    Path out = dataDir.resolve("raw").resolve(cell).resolve("stdout.jsonl");
    try {
      if (!java.nio.file.Files.isRegularFile(out)) return null;
      String first = dev.llamasweep.io.InputFiles.text(out, dev.llamasweep.io.InputFiles.Kind.RAW_OUTPUT).lines().filter(l -> !l.isBlank()).findFirst().orElse(null);
      if (first == null) return null;
      com.fasterxml.jackson.databind.JsonNode n = new com.fasterxml.jackson.databind.ObjectMapper().readTree(first);
      if (!n.has("n_prompt")) return null;
      Map<String, String> f = new LinkedHashMap<>();
      for (String k : PARAMETERS) {
        if (!n.hasNonNull(k)) continue;
        String v = n.get(k).asText();
        if (k.equals("flash_attn")) v = flashAttn(v);
        // an older llama-bench's use_mmap is today's load_mode
        if (k.equals("use_mmap") || k.equals("load_mode")) {
          if (f.containsKey("load_mode")) continue;
          k = "load_mode";
          v = dev.llamasweep.llamacpp.BenchFields.loadMode(n);
        }
        f.put(k, v);
      }
      return f;
    } catch (java.io.IOException e) {
      return null;
    }
  }

  private CompareReport() {}

  record Side(Map<String, Estimate> byKey, Map<String, String> labels, Map<String, String> cellLabels, Map<String, Map<String, String>> fields, java.util.Set<String> builds) {}

  /** The rendered comparison and how many tests matched (none is an error for the command). */
  public record Result(String markdown, int matched) {}

  static Side read(Path dataDir) {
    List<SampleRow> samples = new ArrayList<>();
    ResultFiles.readSamples(dataDir.resolve("samples.csv"), samples::add);
    Map<String, String> keyOfCell = new LinkedHashMap<>();
    Map<String, String> labelOfCell = new LinkedHashMap<>();
    Map<String, Map<String, String>> fieldsOfCell = new LinkedHashMap<>();
    for (SampleRow row : samples) {
      keyOfCell.computeIfAbsent(row.cell(), c -> {
        List<String> parts = new ArrayList<>();
        List<String> label = new ArrayList<>();
        Map<String, String> fields = new LinkedHashMap<>();
        Map<String, String> raw = rawParameters(dataDir, c);
        if (raw != null) {
          // our sweeps and ingested results alike: every parameter field of the record, plus our own axes
          raw.forEach((k, v) -> {
            parts.add(k + "=" + v);
            fields.put(k, v);
          });
          label.add(raw.getOrDefault("model_filename", ""));
          label.add(raw.getOrDefault("backends", ""));
          for (String col : List.of("profile", "draft", "draft_max", "prompt_file")) {
            String v = row.column(col);
            parts.add(col + "=" + v);
            fields.put(col, v);
            if (!v.isEmpty()) label.add(col + "=" + v);
          }
          for (String k : List.of("n_threads", "n_gpu_layers", "flash_attn", "type_k")) {
            if (raw.containsKey(k)) label.add(k + "=" + raw.get(k));
          }
          labelOfCell.put(c, String.join(" · ", label));
          fieldsOfCell.put(c, fields);
          return String.join(",", parts);
        }
        for (String col : MATCHED_ON) {
          String v = row.column(col);
          if (col.equals("record_flash_attn")) v = flashAttn(v);
          parts.add(col + "=" + v);
          fields.put(col, v);
          if (!v.isEmpty() && !v.equals("-1") && !col.equals("config")) {
            label.add(col.equals("model_file") || col.equals("backends") ? v : col.replace("record_", "") + "=" + v);
          }
        }
        labelOfCell.put(c, String.join(" · ", label));
        fieldsOfCell.put(c, fields);
        return String.join(",", parts);
      });
    }
    Map<String, Estimate> byKey = new TreeMap<>();
    Map<String, String> labels = new LinkedHashMap<>();
    Map<String, String> cellLabels = new LinkedHashMap<>();
    Map<String, Map<String, String>> fields = new LinkedHashMap<>();
    ReportData.estimates(dataDir).forEach((k, est) -> {
      String key = keyOfCell.get(k.cell()) + " " + k.test();
      byKey.put(key, est);
      labels.put(key, labelOfCell.get(k.cell()) + " | " + k.test());
      cellLabels.put(key, labelOfCell.get(k.cell()));
      Map<String, String> f = new LinkedHashMap<>(fieldsOfCell.get(k.cell()));
      f.put("test", k.test());
      fields.put(key, f);
    });
    return new Side(byKey, labels, cellLabels, fields, builds(dataDir, samples));
  }

  /**
   * The llama.cpp builds of a data directory: each built backend's release from host.json ("v0.5.0
   * (de3ff81, 2026-09-28; node-llama-cpp 3.22.1)"), else the commits the samples name ("80fb11a (build 1)",
   * for ingested results and backends given as binaries).
   */
  static java.util.Set<String> builds(Path dataDir, List<SampleRow> samples) {
    java.util.Set<String> out = new java.util.TreeSet<>();
    dev.llamasweep.host.HostRecord host = dev.llamasweep.host.HostRecord.read(dataDir.resolve("host.json"));
    java.util.Set<String> commits = new java.util.TreeSet<>();
    for (SampleRow row : samples) commits.add(row.buildCommit());
    if (host != null) {
      for (dev.llamasweep.build.BuildRecord b : host.builds().values()) {
        if (commits.remove(b.release().shortCommit())) out.add(b.release().describe());
      }
    }
    for (String c : commits) out.add(c);
    return out;
  }

  /** llama-bench wrote flash attention as 1/0, true/false, enabled/disabled or auto over the years. */
  static String flashAttn(String v) {
    return switch (v.toLowerCase(java.util.Locale.ROOT)) {
      case "1", "true", "enabled", "on" -> "1";
      case "0", "false", "disabled", "off" -> "0";
      default -> v;
    };
  }

  /** "flash_attn 0 vs 1; type_k f16 vs q8_0" against the counterpart with the fewest differences. */
  static String nearest(Map<String, String> mine, Map<String, Map<String, String>> others) {
    String best = null;
    int fewest = Integer.MAX_VALUE;
    for (Map<String, String> o : others.values()) {
      List<String> diff = new ArrayList<>();
      for (var e : mine.entrySet()) {
        String ov = o.getOrDefault(e.getKey(), "");
        if (!ov.equals(e.getValue())) diff.add(e.getKey().replace("record_", "") + " " + show(e.getValue()) + " vs " + show(ov));
      }
      if (diff.size() < fewest) {
        fewest = diff.size();
        best = String.join("; ", diff);
      }
    }
    return best == null ? "the other side has no results" : "differs from its nearest counterpart in: " + best;
  }

  private static String show(String v) {
    return v.isEmpty() ? "(none)" : v.length() > 60 ? v.substring(0, 60) + "…" : v;
  }

  public static String render(String nameA, Path dirA, String nameB, Path dirB) {
    return compare(nameA, dirA, nameB, dirB, dev.llamasweep.spec.Spec.DEFAULT_THRESHOLD).markdown();
  }

  /** @param threshold the verdict rule's practical threshold (0.01 = 1%) */
  public static Result compare(String nameA, Path dirA, String nameB, Path dirB, double threshold) {
    Side a = read(dirA);
    Side b = read(dirB);
    StringBuilder md = new StringBuilder();
    java.util.Set<String> buildsA = a.builds();
    java.util.Set<String> buildsB = b.builds();
    boolean versions = !buildsA.isEmpty() && !buildsB.isEmpty() && !buildsA.equals(buildsB);
    md.append("# llama-sweep compare: ").append(MarkdownText.escape(nameB)).append(" against ").append(MarkdownText.escape(nameA))
        .append(versions ? " (different llama.cpp builds)" : "").append("\n\n");
    if (versions) {
      md.append("A was measured with llama.cpp ").append(MarkdownText.escape(String.join(", ", buildsA))).append("; B with llama.cpp ")
          .append(MarkdownText.escape(String.join(", ", buildsB))).append(": every change below mixes the release with whatever else differs between the two runs.\n\n");
    }
    md.append("Baseline A = `").append(dirA).append("`, candidate B = `").append(dirB).append("`. Per matching cell and test: mean ± sample sd ")
        .append("of each side, the change B / A − 1 with its 95% confidence interval, and a verdict. ")
        .append(ComparisonSection.verdictRule(threshold)).append(" With one sample on a side (or a source's sd without its n) the verdict is **cannot tell**.\n\n");
    dev.llamasweep.table.Table rows = dev.llamasweep.table.Table.ofText("cell", "test", "A (t/s)", "B (t/s)", "B / A", "change (95% CI)", "verdict");
    int faster = 0;
    int slower = 0;
    int noise = 0;
    for (Map.Entry<String, Estimate> e : a.byKey().entrySet()) {
      Estimate eb = b.byKey().get(e.getKey());
      if (eb == null) continue;
      Comparison c = new Comparison(eb, e.getValue(), threshold);
      String verdict = switch (c.verdict()) {
        case FASTER -> { faster++; yield "**faster**"; }
        case SLOWER -> { slower++; yield "**slower**"; }
        case WITHIN_NOISE -> { noise++; yield "within noise"; }
        case UNKNOWN -> "cannot tell";
      };
      rows.row(MarkdownText.escape(a.cellLabels().get(e.getKey())), MarkdownText.escape(a.fields().get(e.getKey()).get("test")), e.getValue().format(),
          eb.format(), String.format(java.util.Locale.ROOT, "%.3f", c.ratio()), c.formatChange(), verdict);
    }
    List<String> onlyA = a.byKey().keySet().stream().filter(k -> !b.byKey().containsKey(k)).toList();
    List<String> onlyB = b.byKey().keySet().stream().filter(k -> !a.byKey().containsKey(k)).toList();
    md.append(rows.size()).append(" matching tests: ").append(faster).append(" faster, ").append(slower).append(" slower, ")
        .append(noise).append(" within noise. Only in A: ").append(onlyA.size()).append("; only in B: ").append(onlyB.size()).append(".\n\n");
    if (!rows.isEmpty()) {
      md.append(rows.markdown()).append('\n');
    }
    for (Object[] side : new Object[][] {{"A", onlyA, a, b}, {"B", onlyB, b, a}}) {
      @SuppressWarnings("unchecked") List<String> keys = (List<String>) side[1];
      if (keys.isEmpty()) continue;
      Side mine = (Side) side[2];
      Side other = (Side) side[3];
      md.append("Only in ").append(side[0]).append(" (no cell with the same configuration on the other side):\n\n");
      for (String k : keys) {
        md.append("- ").append(MarkdownText.escape(mine.labels().get(k))).append(": ")
            .append(MarkdownText.escape(nearest(mine.fields().get(k), other.fields()))).append('\n');
      }
      md.append('\n');
    }
    return new Result(md.toString(), rows.size());
  }
}
