package dev.llamasweep.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llamasweep.gguf.GgufTestFiles;
import dev.llamasweep.execute.Resources;
import dev.llamasweep.models.SyntheticModels;
import dev.llamasweep.build.Toolchain;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A draft must share the target's vocabulary and be smaller; both are checked before anything runs. */
class DraftPairTest {
  @TempDir Path dir;

  SpecException check(List<String> draftTokens, int draftBytes) throws IOException {
    GgufTestFiles.write(dir.resolve("target.gguf"), List.of("<s>", "a", "b"), 8192);
    GgufTestFiles.write(dir.resolve("draft.gguf"), draftTokens, draftBytes);
    Files.createDirectories(dir.resolve("bin"));
    Path bench = Files.writeString(dir.resolve("bin/llama-bench"), "#!/bin/sh\n");
    // its speculative cells run llama-server: a bin: backend must hold it
    Files.writeString(dir.resolve("bin/llama-server"), "#!/bin/sh\n").toFile().setExecutable(true);
    bench.toFile().setExecutable(true);
    Files.writeString(dir.resolve("p.txt"), "hello");
    Path spec = Files.writeString(dir.resolve("s.yaml"), """
        name: s
        models:
          target: {path: target.gguf}
          draft:  {path: draft.gguf}
        backends: {cpu: {bin: bin}}
        experiments:
          - name: x
            bench: speculative
            grid: {model: target, draft: draft, backend: cpu, draft_max: [0, 8], prompt_file: p.txt}
        """);
    Spec s = new SpecLoader(dir).load(spec);
    List<Cell> cells = GridExpander.cells(s);
    assertEquals(2, cells.size());
    PrintStream quiet = new PrintStream(PrintStream.nullOutputStream());
    Toolchain tc = new Toolchain(dir.resolve("cache"), quiet);
    return assertThrows(SpecException.class, () -> Resources.resolve(s, cells, tc,
        new SyntheticModels(tc, quiet, SyntheticModels.Shape.DEFAULT), quiet, Resources.Purpose.VALIDATE));
  }

  @Test
  void differentVocabularyIsRefused() throws IOException {
    SpecException e = check(List.of("<s>", "a", "c"), 1024);
    assertTrue(e.getMessage().startsWith("s.yaml:4:"), e.getMessage());
    assertTrue(e.getMessage().contains("has a different vocabulary"), e.getMessage());
  }

  @Test
  void draftLargerThanTargetIsRefused() throws IOException {
    SpecException e = check(List.of("<s>", "a", "b"), 16384);
    assertTrue(e.getMessage().contains("is not smaller than it"), e.getMessage());
  }

  @Test
  void baselineCellHasNoDraftAndDraftCellsDo() throws IOException {
    Files.writeString(dir.resolve("p.txt"), "hello");
    Path spec = Files.writeString(dir.resolve("t.yaml"), """
        name: t
        models: {t: {path: /t.gguf}, d1: {path: /d1.gguf}, d2: {path: /d2.gguf}}
        backends: {cpu: {bin: /bin}}
        defaults: {prompt: 512, generate: 128}
        experiments:
          - name: x
            bench: speculative
            grid: {model: t, draft: [d1, d2], backend: cpu, draft_max: [0, 4], prompt_file: p.txt}
        """);
    Spec s = new SpecLoader(dir).load(spec);
    List<Cell> cells = GridExpander.cells(s);
    assertEquals(3, cells.size(), "one baseline, whatever the drafts");
    Cell base = cells.stream().filter(c -> c.getLong(Axis.DRAFT_MAX) == 0).findFirst().orElseThrow();
    assertEquals(null, base.get(Axis.DRAFT));
    assertEquals(null, base.get(Axis.PROMPT), "llama-bench defaults do not leak into speculative cells");
    assertEquals(128L, base.get(Axis.GENERATE));
    assertEquals(java.util.Map.of(Axis.DRAFT_MAX, 0L), s.experiments().get(0).baseline(), "draft_max 0 is the default baseline");
  }
}
