package dev.llamasweep.stats;

import java.util.ArrayList;
import java.util.List;

/**
 * Which device each layer of a model lands on in a layer split, and the bytes a generated token then
 * reads on each: the rule of llama.cpp's {@code llama_model::load_tensors} (src/llama-model.cpp), in its
 * own float arithmetic so that a layer on a boundary lands where llama.cpp puts it.
 *
 * <ul>
 *   <li>the split points are the devices' proportions (the tensor split, else each device's free memory),
 *       summed and normalised: {@code splits[i] = Σ_{j≤i} p_j / Σ p};
 *   <li>of the n layers plus the output layer (il = n), the last {@code ngl} are offloaded: the first
 *       offloaded is {@code i_gpu_start = max(n + 1 − ngl, 0)}, and {@code act = min(ngl, n + 1)} of them;
 *   <li>offloaded layer il goes to the first device whose split point exceeds
 *       {@code float(il − i_gpu_start) / act} (std::upper_bound); the others, and the input layer
 *       (the token-embedding table), stay on the CPU.
 * </ul>
 *
 * A token reads each layer's tensors where they are (routed experts used/count of them, as {@link BytesPerToken}
 * counts), one row of the embedding table on the CPU, and the output layer (output.weight and output_norm,
 * or the embedding table whole when the output is tied to it) on the output layer's device.
 */
public record LayerSplit(List<Device> devices, Device cpu, int layers) {
  /** One device's share: the layers it holds (the output layer as il = n) and the bytes a token reads there. */
  public record Device(String name, List<Integer> layers, double bytesPerToken) {
    public Device {
      layers = List.copyOf(layers);
    }

    /** "0–8", "9–15 + output", "none". */
    public String layerRange(int n) {
      List<Integer> blocks = layers.stream().filter(l -> l < n).toList();
      boolean output = layers.contains(n);
      String range = blocks.isEmpty() ? "" : blocks.size() == 1 ? String.valueOf(blocks.get(0))
          : blocks.get(0) + "–" + blocks.get(blocks.size() - 1);
      if (range.isEmpty()) return output ? "output" : "none";
      return output ? range + " + output" : range;
    }
  }

  /**
   * @param proportions each device's share as llama.cpp takes it (a tensor split, or free memory in bytes)
   * @param nGpuLayers the layers offloaded (-ngl; llama-bench's default is 99)
   */
  public static LayerSplit of(ModelShape m, List<String> names, List<Double> proportions, long nGpuLayers) {
    int n = m.layers();
    int devices = names.size();
    float[] splits = new float[devices];
    float sum = 0;
    for (int i = 0; i < devices; i++) {
      sum += proportions.get(i).floatValue();
      splits[i] = sum;
    }
    for (int i = 0; i < devices; i++) splits[i] /= sum;
    int ngl = (int) Math.min(Integer.MAX_VALUE, Math.max(0, nGpuLayers));
    int start = Math.max(n + 1 - ngl, 0);
    int act = devices == 0 ? 0 : Math.min(ngl, n + 1);
    int[] deviceOf = new int[n + 1];
    for (int il = 0; il <= n; il++) {
      if (il < start || il - start >= act) {
        deviceOf[il] = -1;
        continue;
      }
      float x = (float) (il - start) / act;
      int d = 0;
      while (d < devices && !(splits[d] > x)) d++;  // std::upper_bound: the first split point above x
      deviceOf[il] = Math.min(d, devices - 1);
    }
    double[] bytes = new double[devices + 1];  // the last slot is the CPU
    boolean tied = m.tensors().stream().noneMatch(t -> t.name().equals("output.weight"));
    int lastLayer = n - m.skippedLayers();
    for (ModelShape.Tensor t : m.tensors()) {
      int layer = BytesPerToken.layerOf(t.name());
      if (layer >= lastLayer) continue;  // multi-token-prediction layers do not run in generation
      double read;
      int where;
      if (BytesPerToken.isEmbedding(t.name())) {
        long row = t.rows() > 0 ? t.bytes() / t.rows() : t.bytes();
        bytes[devices] += row;  // the input layer stays on the CPU: one row per token
        if (!(tied && t.name().equals("token_embd.weight"))) continue;
        read = t.bytes();  // tied: the output layer's copy of the table is read whole
        where = deviceOf[n];
      } else if (layer < 0) {
        read = t.bytes();  // output.weight, output_norm: the output layer
        where = deviceOf[n];
      } else {
        read = m.isMoe() && BytesPerToken.isRoutedExpert(t.name()) ? (double) t.bytes() * m.expertUsed() / m.expertCount() : t.bytes();
        where = deviceOf[layer];
      }
      bytes[where < 0 ? devices : where] += read;
    }
    List<Device> out = new ArrayList<>();
    for (int d = 0; d < devices; d++) {
      List<Integer> held = new ArrayList<>();
      for (int il = 0; il <= n; il++) if (deviceOf[il] == d) held.add(il);
      out.add(new Device(names.get(d), held, bytes[d]));
    }
    List<Integer> onCpu = new ArrayList<>();
    for (int il = 0; il <= n; il++) if (deviceOf[il] < 0) onCpu.add(il);
    return new LayerSplit(out, new Device("CPU", onCpu, bytes[devices]), n);
  }

  /** The device that reads the most per token: in a layer split the devices run one after another, so each adds its own time. */
  public Device busiest() {
    return devices.stream().max(java.util.Comparator.comparingDouble(Device::bytesPerToken)).orElse(cpu);
  }
}
