package dev.llamasweep.report;

import dev.llamasweep.results.CellEntry;
import dev.llamasweep.results.ModelHeaders;
import dev.llamasweep.results.RpcFile;
import dev.llamasweep.spec.Axis;
import dev.llamasweep.stats.LayerSplit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where llama.cpp put each layer of a cell's model over several devices, and the bytes a token reads on
 * each ({@link LayerSplit}): the devices of its rpc-servers first (llama.cpp puts them at the front of the
 * list), then the backend's own (`llama-bench --list-devices`), shared by the cell's tensor_split or else
 * by each device's free memory, as llama.cpp does. Only a layer split (the default) places whole layers;
 * a row or tensor split divides each matrix instead, and split_mode none keeps the model on one device.
 */
final class DeviceSplit {
  private DeviceSplit() {}

  /** "CUDA0: NVIDIA H200 (143156 MiB, 142525 MiB free)": the free MiB. */
  private static final Pattern FREE = Pattern.compile("\\((\\d+) MiB, (\\d+) MiB free\\)");

  /** The line, or null when the cell's model is not spread over two or more devices by layers (or what it needs is unknown). */
  static String line(CellEntry c, ReportData data) {
    Object mode = c.params().get(Axis.SPLIT_MODE);
    if (mode != null && !"layer".equals(mode)) return null;
    ModelHeaders.Entry header = data.models().get(c.params().model());
    if (header == null || header.shape() == null) return null;
    List<String> names = new ArrayList<>();
    List<Double> free = new ArrayList<>();
    int k = 0;
    List<RpcFile.Server> servers = data.rpc().getOrDefault(c.id(), List.of());
    for (RpcFile.Server s : servers) {
      for (int d = 0; d < s.freeBytes().size(); d++) {
        names.add("RPC" + k++ + " (" + s.endpoint() + ")");
        free.add((double) s.freeBytes().get(d));
      }
    }
    Map<String, dev.llamasweep.host.BackendDevices> backends = data.host() == null || !data.host().readable() ? Map.of() : data.host().backends();
    var local = backends.get(c.params().backend());
    if (local != null) {
      for (String device : local.devices()) {
        Matcher m = FREE.matcher(device);
        if (!m.find()) return null;  // a device whose free memory is not known: the default split cannot be worked out
        names.add(device.substring(0, Math.max(0, device.indexOf(':'))).trim());
        free.add(Long.parseLong(m.group(2)) * 1024.0 * 1024.0);
      }
    }
    if (names.size() < 2) return null;
    Object ts = c.params().get(Axis.TENSOR_SPLIT);
    List<Double> proportions = free;
    String by = "each device's free memory (llama.cpp's split when no tensor_split is given)";
    if (ts != null) {
      List<Double> given = new ArrayList<>();
      for (String part : ((String) ts).split("/")) given.add(Double.parseDouble(part));
      while (given.size() < names.size()) given.add(0.0);
      proportions = given.subList(0, names.size());
      by = "the tensor split " + ts;
    }
    long ngl = c.params().gpuLayers().isPresent() ? c.params().gpuLayers().getAsLong() : 99;  // llama-bench offloads 99 layers unless told
    LayerSplit split = LayerSplit.of(header.shape(), names, proportions, ngl);
    List<String> parts = new ArrayList<>();
    for (LayerSplit.Device d : split.devices()) {
      parts.add("layers " + d.layerRange(split.layers()) + " on " + MarkdownText.escape(d.name()) + ", " + size(d.bytesPerToken()) + " per token");
    }
    String cpu = split.cpu().layers().isEmpty() ? "the CPU reads the embedding row (" + size(split.cpu().bytesPerToken()) + ")"
        : "layers " + split.cpu().layerRange(split.layers()) + " stay on the CPU with the embedding row, " + size(split.cpu().bytesPerToken());
    return "`" + c.id() + "` (" + MarkdownText.escape(c.params().model()) + " on " + MarkdownText.escape(c.params().backend()) + ", gpu_layers " + ngl
        + "): split by " + by + ": " + String.join("; ", parts) + "; " + cpu + ". In a layer split the devices take their turns within each token, "
        + "so each adds its own time; the one reading the most is " + MarkdownText.escape(split.busiest().name()) + ".";
  }

  /** Bytes as a reader takes them: "576 B", "12.3 KB", "69.16 MB". */
  static String size(double bytes) {
    if (bytes < 1e3) return String.format(Locale.ROOT, "%.0f B", bytes);
    if (bytes < 1e6) return String.format(Locale.ROOT, "%.1f KB", bytes / 1e3);
    return dev.llamasweep.stats.BytesPerToken.mb(bytes);
  }
}
