package dev.llamasweep.report;

import dev.llamasweep.results.CellEntry;
import dev.llamasweep.host.BackendDevices;
import dev.llamasweep.host.Fact;
import dev.llamasweep.host.MemoryWall;
import dev.llamasweep.gguf.GgmlType;
import dev.llamasweep.results.ModelHeaders;
import dev.llamasweep.spec.Spec;
import dev.llamasweep.stats.Bandwidth;
import dev.llamasweep.stats.BytesPerToken;
import dev.llamasweep.stats.Estimate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The bandwidth figures of every token-generation estimate, computed once and read by the Markdown
 * report, summary.csv and the charts: bytes actually read per token (from the model's GGUF header),
 * the memory the weights live in and its walls (theoretical and measured), utilisation of each, and
 * the seed's file-size figure beside them. A utilisation above 100% is never returned as a number:
 * {@link Judged#refusal} says why instead.
 */
public final class TokenBandwidth {
  /** Models whose llama-bench type names an MoE ("qwen3moe 30B.A3B", "gpt-oss 20B MXFP4 MoE", "llama 8x7B"). */
  private static final Pattern MOE_TYPE = Pattern.compile("(?i)(moe|\\bA\\d+(\\.\\d+)?B\\b|\\d+x\\d+(\\.\\d+)?B)");

  /** The memory of a partial offload: some layers in a GPU's memory, the rest in system RAM. */

  /** The memory of a CPU-only record in a dataset whose given wall is a GPU's. */

  private TokenBandwidth() {}

  /** One wall: theoretical (a sticker: rate × width) or measured (the probe), in GB/s, and how it was found. */
  public record Wall(String kind, double gbs, String how, boolean fromSpec) {}

  /** The walls of system RAM for this report, each known or unknown with a reason. */
  public record Walls(Wall theoretical, String theoreticalUnknown, Wall measured, String measuredUnknown, MemoryWall.Measured probe,
      long llcBytes, Map<String, dev.llamasweep.host.GpuWall.Wall> gpus) {
    /** The wall record of a discrete GPU's memory (CUDA0 → walls/cuda0), or null. */
    public dev.llamasweep.host.GpuWall.Wall gpu(WeightsMemory memory) {
      return memory instanceof WeightsMemory.Gpu g && g.wallKey() != null ? gpus.get(g.wallKey()) : null;
    }

    /** The wall ceilings are computed against: the theoretical one (as the seed does), else the measured one. */
    public Wall ceilingWall() {
      return theoretical != null ? theoretical : measured;
    }
  }

  /** A utilisation, or why none is printed. */
  public record Judged(Double value, String refusal) {
    public String format(double effective, Wall wall) {
      if (wall == null) return "—";
      if (value == null) return "— (" + MarkdownText.escape(refusal) + ")";
      return String.format(Locale.ROOT, "%.2f / %s = %s", effective, MarkdownText.trim(wall.gbs()), Estimate.percent(value, 1));
    }
  }

  /** One tg estimate of one cell with everything derived from it. */
  public record Row(CellEntry cell, String test, Estimate tg, long fileBytes, BytesPerToken.Breakdown bytes, String bytesUnknown,
      WeightsMemory memory, Walls walls, boolean moeLikely, ModelHeaders.Entry model) {

    public boolean onSystemRam() {
      return memory instanceof WeightsMemory.SystemRam;
    }

    /** GB/s actually read: bytes per token × t/s; NaN when the bytes are unknown. */
    public double effectiveGBs() {
      return bytes == null ? Double.NaN : Bandwidth.effectiveGBs(bytes.total(), tg.mean());
    }

    /** The seed's method: llama-bench's model_size × t/s. */
    public double fileGBs() {
      return Bandwidth.effectiveGBs(fileBytes, tg.mean());
    }

    public Wall theoretical() {
      if (onSystemRam()) return walls.theoretical();
      dev.llamasweep.host.GpuWall.Wall g = walls.gpu(memory);
      return g == null || g.theoreticalGBs() == null ? null : new Wall("theoretical", g.theoreticalGBs(), g.theoreticalHow(), false);
    }

    public Wall measured() {
      return measuredWall(memory, walls);
    }

    /** The wall ceilings use for this row: its memory's theoretical wall, else its measured one. */
    public Wall ceilingWall() {
      return theoretical() != null ? theoretical() : measured();
    }

    public Judged utilisation(Wall wall) {
      if (wall == null || bytes == null) return new Judged(null, bytes == null ? bytesUnknown : "wall unknown");
      double u = Bandwidth.utilisation(effectiveGBs(), wall.gbs());
      if (u <= 1.0) return new Judged(u, null);
      return new Judged(null, overWall(wall, u));
    }

    /** The file-size utilisation, printed only where it is physically possible and the model is not an MoE. */
    public Judged fileUtilisation(Wall wall) {
      if (wall == null) return new Judged(null, "wall unknown");
      boolean moe = model != null ? model.shape().isMoe() : moeLikely;
      if (moe) return new Judged(null, (bytes == null ? bytesUnknown + "; " : "") + "an MoE reads only its used experts, far less than its file");
      double u = Bandwidth.utilisation(fileGBs(), wall.gbs());
      if (u > 1.0) return new Judged(null, "file bytes overstate what a token reads: " + Estimate.percent(u, 0) + " of the wall is impossible");
      return new Judged(u, null);
    }

    /** Bytes per token the ceilings use: bytes read when known, else the file (the seed's method) for a dense model. */
    public Double ceilingBytes() {
      if (bytes != null) return bytes.total();
      return moeLikely ? null : (double) fileBytes;
    }

    private String overWall(Wall wall, double u) {
      String pct = Estimate.percent(u, 0);
      if (walls.llcBytes() > 0 && bytes.total() <= walls.llcBytes()) {
        return String.format(Locale.ROOT, "%s of the %s wall: the %s a token reads fit in the %d MiB last-level cache, so it is bounded by the cache, not by DRAM",
            pct, wall.kind(), BytesPerToken.mb(bytes.total()), walls.llcBytes() >> 20);
      }
      if (wall.fromSpec()) {
        return pct + " of the spec's host.memory wall: the run beat it, so the spec's memory figures are wrong for this machine";
      }
      String arch = model == null ? "this model" : model.shape().architecture();
      return pct + " of the " + wall.kind() + " wall: impossible, so either the bytes model over-counts what " + arch
          + " reads or the wall is wrong (" + wall.how().replace("**", "") + ")";
    }
  }

  /** The measured wall of the memory the weights are in (system RAM's probe, or the GPU's), or null when not measured. */
  static Wall measuredWall(WeightsMemory memory, Walls walls) {
    if (memory instanceof WeightsMemory.SystemRam) return walls.measured();
    dev.llamasweep.host.GpuWall.Wall g = walls.gpu(memory);
    return g == null || g.readGBs() == null ? null : new Wall("measured", g.readGBs(), g.readHow(), false);
  }

  public static Walls walls(Spec spec, ReportData data) {
    return walls(spec.memory(), data);
  }

  /** The walls with the theoretical one from {@code memory} when given (a spec's host.memory), else from the host probe. */
  public static Walls walls(Spec.HostMemory memory, ReportData data) {
    Wall theoretical = null;
    String theoreticalUnknown = null;
    if (memory != null) {
      Spec.HostMemory m = memory;
      theoretical = new Wall("theoretical", m.gbs(), m.arithmetic() + " (" + (m.note() != null && m.note().startsWith("given ")
          ? m.note() : "from the spec's host.memory" + (m.note() == null ? "" : "; " + m.note())) + ")", true);
    } else if (data.host() != null && data.host().peakGBs() != null) {
      theoretical = new Wall("theoretical", data.host().peakGBs(), data.host().peakHow(), false);
    } else {
      theoreticalUnknown = data.host() == null ? "no host probe recorded" : data.host().peakHow().replaceFirst("^unknown: ", "");
    }
    MemoryWall.Measured probe = data.measuredWall();
    Wall measured = probe != null && probe.isKnown()
        ? new Wall("measured", probe.readGBs(), "read kernel of `" + probe.command() + "`, best of " + probe.runs(), false) : null;
    String measuredUnknown = probe == null ? "not measured here; the probe runs with llama-sweep run on the measuring host" : probe.isKnown() ? null : probe.unknownBecause();
    return new Walls(theoretical, theoreticalUnknown, measured, measuredUnknown, probe, llcBytes(data), data.gpuWalls());
  }

  static long llcBytes(ReportData data) {
    if (data.host() == null) return 0;
    for (Fact f : data.host().facts()) {
      if (f.name().equals(dev.llamasweep.host.HostRecord.LAST_LEVEL_CACHE) && f.number() != null) return f.number().longValue();
    }
    return 0;
  }

  /** Every tg estimate of these cells, in plan order. */
  public static List<Row> rows(List<CellEntry> cells, ReportData data, Walls walls) {
    List<Row> out = new ArrayList<>();
    for (CellEntry c : cells) {
      Long size = data.modelSize().get(c.id());
      if (size == null) continue;
      String modelName = String.valueOf(c.params().model());
      ModelHeaders.Entry model = data.models().get(modelName);
      ReportData.RunFacts facts = data.runFacts().getOrDefault(c.id(), new ReportData.RunFacts("f16", "f16", ""));
      for (Map.Entry<String, Estimate> e : data.testsOf(c.id()).entrySet()) {
        dev.llamasweep.llamacpp.TestShape shape = data.shape(c.id(), e.getKey());
        if (shape.kind() != dev.llamasweep.llamacpp.TestShape.Kind.TG) continue;
        long depth = shape.nDepth();
        long gen = shape.nGen();
        BytesPerToken.Breakdown bytes = null;
        String unknown = null;
        if (model == null) {
          unknown = "bytes per token unknown: no GGUF header for " + modelName;
        } else {
          GgmlType k = GgmlType.byName(facts.typeK());
          GgmlType v = GgmlType.byName(facts.typeV());
          if (k == null || v == null) {
            unknown = "bytes per token unknown: KV cache type " + facts.typeK() + "/" + facts.typeV() + " is not a ggml type";
          } else {
            bytes = BytesPerToken.of(model.shape(), k.bytesPerValue(), v.bytesPerValue(), k.ggmlName() + "/" + v.ggmlName(),
                BytesPerToken.meanContext(depth, gen));
          }
        }
        out.add(new Row(c, e.getKey(), e.getValue(), size, bytes, unknown, memoryOf(c, data, walls), walls,
            MOE_TYPE.matcher(facts.modelType()).find(), model));
      }
    }
    return out;
  }

  /**
   * Where a cell's weights live: system RAM (CPU cells, integrated GPUs sharing memory, CPU-type Vulkan
   * devices such as lavapipe), a discrete GPU whose memory has its own wall, or a split between them.
   */
  static WeightsMemory memoryOf(CellEntry c, ReportData data, Walls walls) {
    String backend = String.valueOf(c.params().backend());
    // an ingested record that ran on the CPU beside GPU-offloaded ones: the given wall is the GPU's
    if (backend.startsWith("cpu (") && data.cells().values().stream().anyMatch(r -> r.params().gpuLayers().orElse(0) != 0)) {
      return new WeightsMemory.SystemRamApart();
    }
    boolean cpuOnly = c.params().cpuOnly();
    if (data.host() == null || !data.host().readable()) {
      // no record of the backend's devices: only a CPU-only cell, or a dataset whose one wall was given
      // (ingested, or a spec's host.memory), is known to read what that wall bounds; never fall back to RAM
      if (cpuOnly) return WeightsMemory.SYSTEM_RAM;
      if (data.host() == null && walls != null && walls.theoretical() != null && walls.theoretical().fromSpec()) return WeightsMemory.SYSTEM_RAM;
      return new WeightsMemory.Unknown(data.host() == null
          ? "host.json is missing from the data directory, so which device backend " + backend + " used is not recorded"
          : data.host().problem() + ", so which device backend " + backend + " used is not known");
    }
    BackendDevices b = data.host().backends().get(backend);
    if (b == null || !b.gpuIntended() || b.devices().isEmpty()) return WeightsMemory.SYSTEM_RAM;
    if (cpuOnly) return WeightsMemory.SYSTEM_RAM;
    String out = b.output() == null ? "" : b.output();
    for (String d : b.devices()) {
      String low = d.toLowerCase(Locale.ROOT);
      if (low.contains("llvmpipe") || low.contains("lavapipe") || low.startsWith("cpu")) continue;
      if (out.contains("uma: 1")) continue;  // Vulkan reports an integrated GPU sharing system memory
      String device = d.replaceAll("\\s*\\(.*$", "");
      // llama.cpp offloads the repeating layers and then the output layer: all of it needs n_layer + 1
      ModelHeaders.Entry model = data.models().get(String.valueOf(c.params().model()));
      java.util.OptionalLong layers = c.params().gpuLayers();
      if (layers.isPresent() && model != null && layers.getAsLong() < model.shape().layers() + 1L) {
        return new WeightsMemory.Split(layers.getAsLong(), model.shape().layers() + 1, device);
      }
      return WeightsMemory.Gpu.of(device);
    }
    return WeightsMemory.SYSTEM_RAM;
  }


}
