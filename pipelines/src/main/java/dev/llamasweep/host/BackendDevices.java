package dev.llamasweep.host;

import dev.llamasweep.io.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a backend's llama-bench says it can run on ({@code --list-devices}). A GPU backend that
 * lists no device runs on the CPU while still calling itself "Vulkan" (seen with lavapipe when
 * GGML_VK_VISIBLE_DEVICES is unset), so its cells must be flagged, never labelled GPU results.
 */
public record BackendDevices(String backend, String command, String output, List<String> devices, boolean gpuIntended, String flag) {

  public static BackendDevices probe(String backend, Path bin, Map<String, String> env, boolean gpuIntended) {
    Path exe = bin.resolve("llama-bench");
    String command = (env.isEmpty() ? "" : "env " + String.join(" ", env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList()) + " ")
        + exe + " --list-devices";
    if (!Files.isExecutable(exe)) return new BackendDevices(backend, command, null, List.of(), gpuIntended, "llama-bench not found");
    Processes.Captured c = Processes.captureWithExit(List.of(exe.toString(), "--list-devices"), env, 60);
    String out = c == null ? "" : c.output();
    return of(backend, command, out, gpuIntended);
  }

  public static BackendDevices of(String backend, String command, String output, boolean gpuIntended) {
    List<String> devices = parse(output);
    String flag = null;
    if (gpuIntended && devices.isEmpty()) {
      flag = "lists no device: it runs on the CPU whatever it calls itself";
    }
    return new BackendDevices(backend, command, output, devices, gpuIntended, flag);
  }

  /**
   * Why llama.cpp cannot load a model with this split mode and main GPU on these devices, or null: with
   * split_mode none it keeps only the main GPU, and one past the devices it lists is "invalid value for
   * main_gpu" (src/llama.cpp), a load failure llama-bench reports only as "failed to load model". Other
   * split modes ignore main_gpu; a backend that lists no device has no GPU to choose.
   */
  public String mainGpuRefusal(Object splitMode, Object mainGpu) {
    if (!"none".equals(splitMode) || !(mainGpu instanceof Long g) || devices.isEmpty() || g < devices.size()) return null;
    return "main_gpu " + g + " names no device of " + backend + ", which lists " + devices.size() + " (" + String.join("; ", devices)
        + "; llama-bench --list-devices), numbered from 0: with split_mode none llama.cpp would not load the model (invalid value for main_gpu)";
  }

  /** Device lines after "Available devices:", e.g. "Vulkan0: llvmpipe (LLVM 15.0.6, 256 bits) (23849 MiB, 23849 MiB free)". */
  static List<String> parse(String output) {
    List<String> out = new ArrayList<>();
    boolean in = false;
    for (String line : output.split("\n")) {
      if (line.startsWith("Available devices:")) {
        in = true;
        continue;
      }
      String t = line.trim();
      if (in && !t.isEmpty() && !t.equals("(none)")) out.add(t);
    }
    return out;
  }

  /** A backend meant for a GPU: offloads layers, or is named or built for a GPU API. */
  public static boolean gpuIntended(String name, String build, Object gpuLayers) {
    String n = (name + " " + (build == null ? "" : build)).toLowerCase(Locale.ROOT);
    boolean named = n.matches(".*(vulkan|rocm|hip|cuda|metal|sycl|opencl|gpu).*");
    boolean offloads = gpuLayers instanceof Number num && num.longValue() > 0;
    return named || offloads;
  }
}
