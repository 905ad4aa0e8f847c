package dev.llamasweep.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llamasweep.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** A result's identity is its whole configuration: records that differ in any one llama-bench field are never one cell. */
class IdentityTest {
  @TempDir Path dir;

  @ParameterizedTest(name = "{0}: {1} vs {2}")
  @CsvSource(delimiter = '|', value = {
      "type_k|\"f16\"|\"q8_0\"", "type_v|\"f16\"|\"q8_0\"", "n_batch|2048|512", "n_ubatch|512|256", "load_mode|\"auto\"|\"dio\"",
      "flash_attn|1|0", "n_threads|16|8", "n_gpu_layers|99|20", "n_cpu_moe|0|8", "devices|\"auto\"|\"CUDA0\"", "split_mode|\"layer\"|\"row\"",
      "main_gpu|0|1", "no_kv_offload|false|true", "cpu_mask|\"0x0\"|\"0xff\"", "poll|50|0", "tensor_split|\"0.00\"|\"0.50\"",
      "tensor_buft_overrides|\"none\"|\"exps=CPU\"", "embeddings|false|true", "lazy_mode|\"auto\"|\"on\"", "build_commit|\"unknown\"|\"80fb11a\"",
      "n_depth|0|4096", "model_filename|\"m/mha7b.gguf\"|\"m/other.gguf\""})
  void recordsDifferingInOneFieldAreTwoCells(String field, String a, String b) throws IOException {
    String base = IngestUxTest.h100();
    String other = base.replaceFirst("\"" + field + "\": [^,]*,", "\"" + field + "\": " + b + ",");
    String first = base.replaceFirst("\"" + field + "\": [^,]*,", "\"" + field + "\": " + a + ",");
    assertNotEquals(first, other, field + " is in the fixture");
    Ingest.Result r = Ingest.read(Files.writeString(dir.resolve("r.jsonl"), first + "\n" + other + "\n"));
    assertEquals(2, r.records().size(), r.problems().toString());
    assertNotEquals(Ingest.cellOf(r.records().get(0).json()).id(), Ingest.cellOf(r.records().get(1).json()).id(), field);
  }

  @Test
  void theOldUseMmapFieldIsPartOfTheIdentityToo() throws IOException {
    String base = IngestUxTest.h100().replace("\"load_mode\": \"auto\", ", "");
    Ingest.Result r = Ingest.read(Files.writeString(dir.resolve("old.jsonl"),
        base.replace("\"lazy_mode\"", "\"use_mmap\": true, \"lazy_mode\"") + "\n" + base.replace("\"lazy_mode\"", "\"use_mmap\": false, \"lazy_mode\"") + "\n"));
    assertNotEquals(Ingest.cellOf(r.records().get(0).json()).id(), Ingest.cellOf(r.records().get(1).json()).id());
  }

  @Test
  void aFileConcatenatedWithItselfIsCountedOnce() throws IOException {
    String rec = IngestUxTest.h100();
    Path twice = Files.writeString(dir.resolve("twice.jsonl"), rec + "\n" + rec + "\n");
    PrintStream old = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      assertEquals(0, Main.execute("ingest", twice.toString(), "--name", "twice", "--data-root", dir.resolve("data").toString(),
          "--reports-root", dir.resolve("reports").toString()));
    } finally {
      System.setErr(old);
    }
    assertTrue(err.toString(StandardCharsets.UTF_8).contains(twice + ":2: the same record as " + twice + ":1"), err.toString(StandardCharsets.UTF_8));
    List<String> samples = Files.readAllLines(dir.resolve("data/twice/samples.csv"));
    assertEquals(1 + 3, samples.size(), "n stays 3, the sd is not shrunk by a copy");
  }
}
