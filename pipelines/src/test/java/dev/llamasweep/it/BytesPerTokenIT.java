package dev.llamasweep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On the real llama-bench: the MoE and GQA models written directly as GGUF load and run, a model
 * shaped like a header-only copy of another runs too, each header's tensor bytes equal llama-bench's
 * model_size to the byte, and the report holds every tg row against the measured wall without
 * ever printing a utilisation above 100%.
 */
class BytesPerTokenIT {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path work;

  @Test
  void moeGqaAndLikeModelsRunAndTheirBytesAreChecked() throws IOException {
    LlamaCpp.target();
    // a header-only copy of the synthetic MoE: the file cut after its tensor-info table
    Path moe = new dev.llamasweep.models.SyntheticModels(LlamaCpp.toolchain(), System.err, dev.llamasweep.models.SyntheticModels.Shape.DEFAULT)
        .ensure("moe", "Q4_0");
    long offset = dev.llamasweep.gguf.GgufInfo.read(moe).dataOffset();
    Path header = work.resolve("moe-header.gguf");
    try (var in = Files.newInputStream(moe)) {
      Files.write(header, in.readNBytes((int) offset));
    }
    Path spec = work.resolve("bytes.yaml");
    Files.writeString(spec, """
        name: bytes
        backends: {cpu: {build: cpu, gpu_layers: 0, threads: auto}}
        models: {moe: {synthetic: moe}, gqa: {synthetic: gqa}, shaped: {synthetic: {like: HEADER}}}
        defaults: {repetitions: 2, prompt: 0, generate: 16}
        experiments:
          - name: bytes
            grid: {model: [moe, gqa, shaped], backend: [cpu], depth: [0, 256]}
        """.replace("HEADER", header.toString()));
    assertEquals(0, LlamaCpp.sweep(work, "run", spec));
    Path data = work.resolve("data/bytes");
    JsonNode models = JSON.readTree(data.resolve("models.json").toFile());
    int checked = 0;
    try (var dirs = Files.list(data.resolve("raw"))) {
      for (Path cell : dirs.toList()) {
        JsonNode params = JSON.readTree(cell.resolve("cell.json").toFile());
        String model = params.path("model").asText(params.path("params").path("model").asText());
        for (String line : Files.readAllLines(cell.resolve("stdout.jsonl"))) {
          if (line.isBlank()) continue;
          long modelSize = JSON.readTree(line).path("model_size").asLong();
          assertTrue(models.has(model), model + " in models.json");
          assertEquals(models.get(model).path("tensor_bytes").asLong(), modelSize, model + ": header bytes = llama-bench model_size");
          checked++;
        }
      }
    }
    assertEquals(12, checked, "6 cells, interleaved by default in 2 rounds of 1 repetition: 2 records each");
    assertEquals(models.get("moe").path("tensor_bytes"), models.get("shaped").path("tensor_bytes"), "shaped like the MoE, to the byte");
    assertTrue(models.get("shaped").path("file").asText().contains("like-"), "kept in the cache by the header's hash");

    String md = Files.readString(work.resolve("reports/bytes/report.md"));
    assertTrue(md.contains("experts 226.49 MB × 4/32 = 28.31 MB"), md);
    assertTrue(md.contains("Measured wall: **"), md);
    assertTrue(md.contains("of the measured wall"), md);
    Matcher m = Pattern.compile("= (\\d+(?:\\.\\d+)?)%").matcher(md);
    while (m.find()) assertTrue(Double.parseDouble(m.group(1)) <= 100.0, "no utilisation above 100%: " + m.group());
    assertFalse(md.contains("NaN"), md);
    // this VM exposes no power sensor: every cell says so, and so does the report
    try (var dirs = Files.list(data.resolve("raw"))) {
      for (Path cell : dirs.toList()) {
        JsonNode result = JSON.readTree(cell.resolve("result.json").toFile());
        // interleaved cells record power per round
        List<JsonNode> powers = new java.util.ArrayList<>();
        if (result.has("power")) powers.add(result.get("power"));
        result.path("order").path("round").forEach(r -> powers.add(r.path("power")));
        assertTrue(!powers.isEmpty(), cell + ": " + result);
        for (JsonNode power : powers) assertTrue(power.has("unknown") || power.has("j_per_token"), cell + ": " + power);
      }
    }
    assertTrue(md.contains("Power and heat: unknown: ") || md.contains("### Energy and heat"), md);
    // summary.csv carries the same figures
    List<String> summary = Files.readAllLines(work.resolve("reports/bytes/summary.csv"));
    assertTrue(summary.get(0).contains("bytes_per_token") && summary.get(0).contains("utilisation_measured"), summary.get(0));
  }
}
