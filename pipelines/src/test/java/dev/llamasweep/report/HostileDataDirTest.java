package dev.llamasweep.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llamasweep.TestSpecs;
import dev.llamasweep.execute.CellPlan;
import dev.llamasweep.results.CellData;
import dev.llamasweep.results.CellStatus;
import dev.llamasweep.results.RawReader;
import dev.llamasweep.results.ResultFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Data directories damaged as a careless or hostile user would: raw files that are devices, FIFOs or
 * link loops, impossible numbers, tables cut mid-line. A raw cell becomes invalid with its file and
 * reason while the rest renders; a damaged table is one sentence naming its file and line. Nothing
 * hangs, nothing fills memory, nothing impossible is averaged.
 */
class HostileDataDirTest {
  @TempDir Path dir;

  static final String RECORD = "{\"build_commit\":\"80fb11a\",\"build_number\":1,\"backends\":\"CPU\",\"model_size\":1000,\"model_n_params\":10,"
      + "\"n_prompt\":0,\"n_gen\":16,\"n_depth\":0,\"samples_ns\":[1,1,1],\"samples_ts\":SAMPLES}";
  static final String GOOD = RECORD.replace("SAMPLES", "[10,11,12]");
  static final String OK = "{\"status\":\"ok\"}";

  /** One raw cell's damage: what to do to its directory and the phrase its invalid reason must hold. */
  record Damage(String name, Consumer<Path> apply, String reason) {
    @Override
    public String toString() {
      return name;
    }
  }

  static void write(Path p, String s) {
    try {
      Files.writeString(p, s);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static void link(Path p, String target) {
    try {
      Files.deleteIfExists(p);
      Files.createSymbolicLink(p, Path.of(target));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static void fifo(Path p) {
    try {
      Files.deleteIfExists(p);
      Process mk = new ProcessBuilder("mkfifo", p.toString()).inheritIO().start();
      assertEquals(0, mk.waitFor());
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  static String power(String fields) {
    return "{\"status\":\"ok\",\"power\":{\"samples\":40,\"source\":\"nvml\",\"test\":\"tg16\",\"window_s\":2.0," + fields + "}}";
  }

  static List<Damage> rawDamages() {
    return List.of(
        new Damage("stdout is a link to /dev/zero", d -> { write(d.resolve("result.json"), OK); link(d.resolve("stdout.jsonl"), "/dev/zero"); },
            "is a FIFO, socket or device"),
        new Damage("stdout is a FIFO", d -> { write(d.resolve("result.json"), OK); fifo(d.resolve("stdout.jsonl")); }, "is a FIFO, socket or device"),
        new Damage("stdout is a link loop", d -> { write(d.resolve("result.json"), OK); link(d.resolve("stdout.jsonl"), "stdout.jsonl"); },
            "chain of more than 8 symbolic links"),
        new Damage("result.json is a link to /dev/zero", d -> { link(d.resolve("result.json"), "/dev/zero"); write(d.resolve("stdout.jsonl"), GOOD); },
            "is a FIFO, socket or device"),
        new Damage("result.json is a FIFO", d -> { fifo(d.resolve("result.json")); write(d.resolve("stdout.jsonl"), GOOD); },
            "is a FIFO, socket or device"),
        new Damage("samples of 1e308 t/s", d -> { write(d.resolve("result.json"), OK); write(d.resolve("stdout.jsonl"), RECORD.replace("SAMPLES", "[1e308,1e308,1e308]")); },
            "faster than any machine runs llama.cpp"),
        new Damage("negative joules", d -> { write(d.resolve("result.json"), power("\"energy_j\":-1.8,\"tokens\":1,\"j_per_token\":-1.8,\"avg_w\":10"));
            write(d.resolve("stdout.jsonl"), GOOD); }, "energy_j is -1.8 J"),
        new Damage("1e308 watts", d -> { write(d.resolve("result.json"), power("\"energy_j\":1.8,\"tokens\":1,\"j_per_token\":1.8,\"avg_w\":1e308"));
            write(d.resolve("stdout.jsonl"), GOOD); }, "avg_w is 1.00e+308 W, above anything a machine draws"),
        new Damage("per-repetition joules of Infinity", d -> { write(d.resolve("result.json"), power("\"j_per_token_per_rep\":[1.0,1e400]"));
            write(d.resolve("stdout.jsonl"), GOOD); }, "j_per_token_per_rep is Infinity"),
        new Damage("result.json cut", d -> { write(d.resolve("result.json"), "{\"status\":\"ok\",\"pow"); write(d.resolve("stdout.jsonl"), GOOD); },
            "is not complete JSON"));
  }

  @Test
  void damagedRawCellsAreInvalidWithTheirReasonAndTheRestRenders() throws Exception {
    List<Damage> damages = rawDamages();
    Path spec = dir.resolve("h.yaml");
    StringBuilder threads = new StringBuilder();
    for (int i = 1; i <= damages.size() + 1; i++) threads.append(i == 1 ? "" : ", ").append(i);
    Files.writeString(spec, """
        name: hostile
        backends: {cpu: {bin: /tmp, gpu_layers: 0}}
        models: {m: {path: /m/x.gguf}}
        defaults: {prompt: 0, generate: 16, repetitions: 3}
        experiments:
          - name: x
            grid: {model: m, backend: cpu, threads: [THREADS]}
        """.replace("THREADS", threads));
    Path data = dir.resolve("data/hostile");
    TestSpecs.Planned planned = TestSpecs.plan(spec, data);
    List<CellPlan> plans = planned.plans();
    List<CellData> read = new ArrayList<>();
    for (int i = 0; i < plans.size(); i++) {
      Path raw = Path.of(plans.get(i).rawDir());
      Files.createDirectories(raw);
      if (i < damages.size()) {
        damages.get(i).apply().accept(raw);
      } else {
        write(raw.resolve("result.json"), OK);
        write(raw.resolve("stdout.jsonl"), GOOD);
      }
      read.add(RawReader.read(plans.get(i).entry()));
    }
    for (int i = 0; i < damages.size(); i++) {
      CellData c = read.get(i);
      assertEquals(CellStatus.INVALID, c.status(), damages.get(i) + ": " + c.reason());
      assertTrue(c.reason().contains(damages.get(i).reason()), damages.get(i) + ": " + c.reason());
      assertTrue(c.reason().startsWith(plans.get(i).rawDir()), "names the file: " + c.reason());
      assertFalse(c.reason().contains("\n"), "one line: " + c.reason());
    }
    assertEquals(CellStatus.OK, read.get(damages.size()).status(), "the intact cell");
    ResultFiles.write(data, read);
    TestSpecs.report(planned.spec(), plans, data, dir.resolve("reports/hostile"));
    String md = Files.readString(dir.resolve("reports/hostile/report.md"));
    for (CellData c : read.subList(0, damages.size())) {
      assertTrue(md.contains("**invalid: " + MarkdownText.escape(c.reason()).substring(0, 40)), c.reason() + "\n" + md);
    }
    assertTrue(md.contains("11.00"), "the intact cell's mean of 10, 11, 12 is rendered: " + md);
    String summary = Files.readString(dir.resolve("reports/hostile/summary.csv"));
    assertFalse(summary.contains("NaN") || summary.contains("Infinity") || summary.contains("E308"), summary);
  }

  static final String HEADER;
  static {
    try {
      HEADER = Files.readAllLines(Path.of("pipelines/src/test/resources/h100/gpu-run/samples.csv")).get(0);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** A samples.csv whose third line is damaged, and the located sentence reading it must give. */
  static Stream<Arguments> damagedTables() throws IOException {
    List<String> lines = Files.readAllLines(Path.of("pipelines/src/test/resources/h100/gpu-run/samples.csv"));
    List<String> cols = List.of(HEADER.split(","));
    int t = cols.indexOf("tokens_per_s");
    java.util.function.Function<String, String> third = v -> {
      List<String> l = new ArrayList<>(lines);
      String[] f = l.get(2).split(",", -1);
      f[t] = v;
      l.set(2, String.join(",", f));
      return String.join("\n", l) + "\n";
    };
    String all = String.join("\n", lines) + "\n";
    return Stream.of(
        Arguments.of("huge throughput", third.apply("1e308"), ":3: field 'tokens_per_s' holds 1.00e+308 t/s, faster than any machine"),
        Arguments.of("NaN throughput", third.apply("NaN"), ":3: field 'tokens_per_s' holds NaN, not a positive finite throughput"),
        Arguments.of("Infinity", third.apply("Infinity"), ":3: field 'tokens_per_s' holds Infinity, not a positive finite throughput"),
        Arguments.of("negative throughput", third.apply("-5"), ":3: field 'tokens_per_s' holds -5, not a positive finite throughput"),
        Arguments.of("cut mid-line", all.substring(0, all.length() - 7), "ends in the middle of a line (the file was cut)"),
        Arguments.of("a row short of fields", String.join("\n", lines.subList(0, 2)) + "\n" + lines.get(2).substring(0, lines.get(2).lastIndexOf(','))
            + "\n", ":3: holds " + (cols.size() - 1) + " fields where the header names " + cols.size()),
        Arguments.of("not UTF-8", HEADER + "\n\u00ff\u00fe,x\n", "is not UTF-8 text"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("damagedTables")
  void aDamagedSamplesCsvIsOneLocatedSentence(String name, String content, String sentence) throws IOException {
    Path file = dir.resolve("samples.csv");
    Files.write(file, name.equals("not UTF-8") ? (HEADER + "\n").concat("x,\u0000").getBytes(StandardCharsets.UTF_8) : content.getBytes(StandardCharsets.UTF_8));
    if (name.equals("not UTF-8")) Files.write(file, new byte[] {(byte) 0xff, (byte) 0xfe, 'x', '\n'}, java.nio.file.StandardOpenOption.APPEND);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ResultFiles.readSamples(file, r -> { }));
    assertTrue(e.getMessage().contains(sentence), e.getMessage());
    assertTrue(e.getMessage().startsWith(file.toString()), "names the file: " + e.getMessage());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
  }

  @Test
  void aSamplesCsvThatIsAFifoOrALoopIsASentenceNotAHang() throws IOException {
    Path fifo = dir.resolve("fifo/samples.csv");
    Files.createDirectories(fifo.getParent());
    fifo(fifo);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ResultFiles.readSamples(fifo, r -> { }));
    assertTrue(e.getMessage().equals(fifo + " is a FIFO, socket or device, not a table; llama-sweep reads only regular files."), e.getMessage());
    Path loop = dir.resolve("loop/samples.csv");
    Files.createDirectories(loop.getParent());
    link(loop, "samples.csv");
    e = assertThrows(IllegalArgumentException.class, () -> ResultFiles.readSamples(loop, r -> { }));
    assertTrue(e.getMessage().contains("is a chain of more than 8 symbolic links"), e.getMessage());
    // the corpus names such a directory instead of silently leaving it out
    e = assertThrows(IllegalArgumentException.class, () -> CorpusReport.dataDirs(List.of(dir.resolve("fifo"))));
    assertTrue(e.getMessage().contains("is a FIFO, socket or device"), e.getMessage());
  }

  @Test
  void aLinkedAliasOfADataDirectoryCountsOnce() throws IOException {
    Path all = dir.resolve("all");
    Path real = all.resolve("gpu");
    Files.createDirectories(real);
    Files.writeString(real.resolve("samples.csv"), HEADER + "\n");
    Files.createSymbolicLink(all.resolve("gpu-alias"), real);
    assertEquals(List.of(real.toAbsolutePath().normalize()), CorpusReport.dataDirs(List.of(all)));
    assertEquals(1, CorpusReport.dataDirs(List.of(real, all.resolve("gpu-alias"))).size());
  }

  @Test
  void aCellsCsvOfRandomBytesNamesItsFile() throws IOException {
    byte[] junk = new byte[512];
    new java.util.Random(3).nextBytes(junk);
    Files.write(dir.resolve("cells.csv"), junk);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ResultFiles.readCells(dir));
    assertTrue(e.getMessage().startsWith(dir.resolve("cells.csv").toString()), e.getMessage());
    assertTrue(e.getMessage().contains("is not UTF-8 text") || e.getMessage().contains("cannot be read as CSV"), e.getMessage());
  }
}
