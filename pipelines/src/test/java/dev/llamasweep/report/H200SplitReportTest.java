package dev.llamasweep.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llamasweep.TestSpecs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real run of a split spec on one H200 (pipelines/scripts/gpu-run.sh, one call; kept as a tar.gz of 90 KB):
 * where the report says each layer lands over an rpc-server's CUDA device and the machine's own is where
 * llama.cpp's verbose log put them ("layer N assigned to device X"), and the bytes it gives each device are
 * the model buffers llama.cpp allocated there; the split arms on one device say that a split needs two.
 */
class H200SplitReportTest {
  @TempDir Path dir;

  @Test
  void theLayersEachDeviceHoldsAreTheOnesLlamaCppAssigned() throws Exception {
    Path run = TestSpecs.renderRecorded("pipelines/src/test/resources/h200/gpu-split-data.tar.gz", "gpu-split-2", null, dir);
    String md = Files.readString(dir.resolve("reports/gpu-split-2/report.md"));

    // llama.cpp's own account, from the cell's stderr: the device of each layer and each device's model buffer
    String log = Files.readString(run.resolve("raw/953be00c8e5f/stderr.log"));
    Map<String, List<Integer>> layers = new LinkedHashMap<>();
    Matcher a = Pattern.compile("layer +(\\d+) assigned to device (\\S+?),").matcher(log);
    while (a.find()) layers.computeIfAbsent(a.group(2), k -> new ArrayList<>()).add(Integer.parseInt(a.group(1)));
    Map<String, Double> bufferMb = new LinkedHashMap<>();
    Matcher b = Pattern.compile("load_tensors: +(\\S+?)(?:\\[[^\\]]*\\])? model buffer size = +([0-9.]+) MiB").matcher(log);
    while (b.find()) bufferMb.put(b.group(1), Double.parseDouble(b.group(2)) * 1048576 / 1e6);
    assertEquals(List.of("RPC0", "CUDA0"), List.copyOf(layers.keySet()), "llama.cpp puts the rpc-server's device first");

    String line = md.lines().filter(l -> l.startsWith("`953be00c8e5f` (dense7b on cuda-rpc-v")).findFirst().orElseThrow(() -> new AssertionError(md));
    // llama.cpp logs n_layer + 1 entries: the last (il = n_layer) is the output layer
    int output = layers.values().stream().flatMap(List::stream).max(Integer::compare).orElseThrow();
    assertEquals(32, output, "LLaMA-2-7B has 32 blocks");
    for (Map.Entry<String, List<Integer>> d : layers.entrySet()) {
      List<Integer> l = d.getValue();
      boolean out = l.get(l.size() - 1) == output;
      String range = "layers " + l.get(0) + "–" + (out ? output - 1 : l.get(l.size() - 1)) + (out ? " + output" : "");
      Matcher m = Pattern.compile(Pattern.quote(range) + " on " + d.getKey() + "[^,]*, ([0-9,.]+) MB per token").matcher(line);
      assertTrue(m.find(), range + " on " + d.getKey() + " in: " + line);
      double mb = Double.parseDouble(m.group(1).replace(",", ""));
      // a device reads every weight it holds once a token: its model buffer (printed to 0.01 MiB)
      assertEquals(bufferMb.get(d.getKey()), mb, 0.02, d.getKey() + ": " + line);
    }
    // the embedding table stays on the CPU (its mapped buffer), and a token reads one row of it
    assertTrue(bufferMb.containsKey("CPU_Mapped") && line.contains("the CPU reads the embedding row"), line);
    assertTrue(line.contains("split by each device's free memory"), line);

    // split_mode layer against tensor on the machine's one GPU: the arms ran, and the report says they split nothing
    assertTrue(md.contains("**A split needs two devices**: `cuda` lists one device (CUDA0: NVIDIA H200"), md);
    assertTrue(md.contains("| model | test | split_mode=layer | split_mode=tensor | tensor vs layer | verdict |"), md);
  }
}
