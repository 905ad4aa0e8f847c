package dev.llamasweep.llamacpp;

import dev.llamasweep.gguf.GgufInfo;
import dev.llamasweep.gguf.GgufTestFiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llamasweep.spec.Axis;
import dev.llamasweep.spec.Cell;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Draft flags from captured llama-server --help texts of the pinned build and a late-2025 one. */
class SpeculativeFlagsTest {
  static String help(String name) throws IOException {
    return Files.readString(Path.of("pipelines/src/test/resources/llamacpp", name));
  }

  @Test
  void pinnedServerUsesSpecDraftNMaxEvenThoughItStillListsDraftMax() throws IOException {
    String h = help("llama-server-help-80fb11a.txt");
    assertTrue(h.contains("--draft-max"), "the pinned help lists --draft-max as removed");
    Flags.SpecDialect d = Flags.serverSpecDialect(h);
    assertEquals(Flags.SpecDialect.SPEC_DRAFT_N_MAX, d);
    assertEquals(List.of("-md", "/d.gguf", "--spec-type", "draft-simple", "--spec-draft-n-max", "16", "--spec-draft-n-min", "0"),
        Flags.serverDraft(d, "/d.gguf", 16));
  }

  @Test
  void olderServerUsesDraftMax() throws IOException {
    Flags.SpecDialect d = Flags.serverSpecDialect(help("llama-server-help-2025-10.txt"));
    assertEquals(Flags.SpecDialect.DRAFT_MAX, d);
    assertEquals(List.of("-md", "/d.gguf", "--draft-max", "16", "--draft-min", "0"), Flags.serverDraft(d, "/d.gguf", 16));
  }

  @Test
  void unknownServerRefuses() {
    assertThrows(IllegalArgumentException.class, () -> Flags.serverDraft(Flags.serverSpecDialect("-m FNAME"), "/d", 4));
  }

  static Cell cell(long draftMax) {
    Map<Axis, Object> v = new EnumMap<>(Axis.class);
    v.putAll(Map.of(Axis.MODEL, "t", Axis.BACKEND, "vulkan", Axis.DRAFT_MAX, draftMax, Axis.GENERATE, 256L,
        Axis.REPETITIONS, 5L, Axis.GPU_LAYERS, 99L, Axis.FLASH_ATTN, true, Axis.PROMPT_FILE, "p.txt"));
    if (draftMax > 0) v.put(Axis.DRAFT, "d");
    return Cell.of(dev.llamasweep.spec.Bench.SPECULATIVE, v);
  }

  @Test
  void seedCommandGpuLayersApplyToTargetAndDraft() {
    // the seed: --draft-max 16 -ngl 99 -ngld 99 -fa 1
    List<String> argv = ServerCommand.argv(cell(16), Path.of("/vk"), Path.of("/m/8b.gguf"), Path.of("/m/0.6b.gguf"),
        Flags.SpecDialect.DRAFT_MAX, null, 4096, List.of());
    assertEquals(List.of("/vk/llama-server", "-m", "/m/8b.gguf", "-md", "/m/0.6b.gguf", "--draft-max", "16", "--draft-min", "0",
        "-ngl", "99", "-ngld", "99", "-fa", "on", "-c", "4096", "-np", "1", "--no-webui", "--host", "127.0.0.1", "--port", "{port}"), argv);
  }

  @Test
  void baselineRunsTheTargetAlone() {
    List<String> argv = ServerCommand.argv(cell(0), Path.of("/vk"), Path.of("/m/8b.gguf"), null,
        Flags.SpecDialect.SPEC_DRAFT_N_MAX, 8, 4096, List.of());
    assertEquals(List.of("/vk/llama-server", "-m", "/m/8b.gguf", "-t", "8", "-ngl", "99", "-fa", "on",
        "-c", "4096", "-np", "1", "--no-webui", "--host", "127.0.0.1", "--port", "{port}"), argv);
  }

  @Test
  void requestIsGreedySeededAndFixedLength() {
    Map<String, Object> r = ServerCommand.request("hello", 256);
    assertEquals(256L, r.get("n_predict"));
    assertEquals(0, r.get("temperature"));
    assertEquals(1, r.get("top_k"));
    assertEquals(42L, r.get("seed"));
    assertEquals(true, r.get("ignore_eos"));
    assertEquals(false, r.get("cache_prompt"));
    assertEquals(4096, ServerCommand.contextSize(100, 256));
    assertEquals(11264, ServerCommand.contextSize(10000, 1024));
  }

  @Test
  void parsesRecordedServerResponse() throws IOException {
    String response = Files.readString(Path.of("pipelines/src/test/resources/llamacpp/llama-server-80fb11a-completion-draft.json"));
    String lines = "{\"rep\":1,\"response\":" + response.trim() + "}\n{\"rep\":2,\"response\":" + response.trim() + "}\n";
    BenchRecord r = ServerCompletion.parse(lines, "stdout.jsonl", 32, 169_162_752L, "b1-80fb11a");
    assertEquals("80fb11a", r.buildCommit());
    assertEquals(1, r.buildNumber());
    assertEquals("tg32 @ d7", r.test());
    assertEquals(List.of(187.37684505748237, 187.37684505748237), r.samplesTs());
    assertEquals(List.of(27L, 27L), r.samplesDrafted());
    assertEquals(List.of(27L, 27L), r.samplesAccepted());
    assertEquals(165_442_000L, r.samplesNs().get(0));
    BenchJsonl.MalformedOutput e = assertThrows(BenchJsonl.MalformedOutput.class,
        () -> ServerCompletion.parse(lines, "stdout.jsonl", 64, 1, "b1-x"));
    assertTrue(e.getMessage().contains("generated 32 tokens, not the 64"), e.getMessage());
  }

  @TempDir Path dir;

  @Test
  void ggufHeaderGivesVocabularyAndWeightBytes() throws IOException {
    Path a = GgufTestFiles.write(dir.resolve("a.gguf"), List.of("<s>", "</s>", "hello"), 4096);
    Path b = GgufTestFiles.write(dir.resolve("b.gguf"), List.of("<s>", "</s>", "hullo"), 1024);
    GgufInfo ia = GgufInfo.read(a);
    GgufInfo ib = GgufInfo.read(b);
    assertEquals("llama", ia.architecture());
    assertEquals(3, ia.vocabSize());
    assertEquals(4096, ia.tensorBytes());
    assertTrue(!ia.vocabHash().equals(ib.vocabHash()), "one token differs, so the vocabularies differ");
    GgufInfo.patchUint32(a, "llama.context_length", 4096);
    assertEquals(4096, GgufInfo.readUint32(a, "llama.context_length"));
    Files.writeString(dir.resolve("text.gguf"), "not gguf");
    assertThrows(GgufInfo.NotGguf.class, () -> GgufInfo.read(dir.resolve("text.gguf")));
  }
}
