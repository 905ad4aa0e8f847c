package dev.llamasweep.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llamasweep.execute.Resources;
import dev.llamasweep.models.SyntheticModels;
import dev.llamasweep.build.Toolchain;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each file in bad-specs/ is a spec with one mistake and, on its first line, the phrase the error
 * must contain. Every one must fail with a single sentence naming file, line, column and the
 * problem, before anything could run.
 */
class BadSpecCorpusTest {
  static final Path CORPUS = Path.of("pipelines/src/test/resources/bad-specs");
  static final Pattern LOCATED = Pattern.compile("^(\\S+\\.yaml):(\\d+):(\\d+): .+");

  @TempDir Path cache;

  static Stream<Path> specs() throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(CORPUS)) {
      files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    assertTrue(files.size() >= 60, "the corpus should hold at least 60 bad specs, has " + files.size());
    return files.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("specs")
  void failsWithOneLocatedSentence(Path file) throws IOException {
    String first = Files.readAllLines(file).get(0);
    assertTrue(first.startsWith("# expect: "), file + " must start with '# expect: <phrase>'");
    String expected = first.substring("# expect: ".length()).trim();

    SpecException e = assertThrows(SpecException.class, () -> loadAndCheckFiles(file));
    String msg = e.getMessage();
    assertFalse(msg.contains("\n"), "one sentence, one line: " + msg);
    assertTrue(msg.contains(expected), "expected '" + expected + "' in: " + msg);
    Matcher m = LOCATED.matcher(msg);
    assertTrue(m.matches(), "file:line:column prefix expected in: " + msg);
    assertEquals(file.toString(), m.group(1));
    int line = Integer.parseInt(m.group(2));
    int lines = Math.max(1, Files.readAllLines(file).size());
    assertTrue(line >= 1 && line <= lines + 1, "line " + line + " is inside the file: " + msg);
    assertTrue(msg.endsWith("."), "a sentence ends with a full stop: " + msg);
  }

  /** Bad bytes cannot sit in a text corpus with a "# expect:" line: these are written here. */
  static Stream<org.junit.jupiter.params.provider.Arguments> generated() {
    String spec = "name: bad\nmodels: {m: {path: pom.xml}}\nbackends: {b: {bin: /tmp}}\nexperiments:\n  - {name: x, grid: {model: m, backend: b}}\n";
    byte[] garbage = new byte[4096];
    new java.util.Random(7).nextBytes(garbage);
    garbage[0] = (byte) 0xC3;
    garbage[1] = (byte) 0x28;  // an invalid UTF-8 sequence at the very start
    byte[] big = new byte[50 << 20];
    java.util.Arrays.fill(big, (byte) 'x');
    byte[] head = ("description: ").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    System.arraycopy(head, 0, big, 0, head.length);
    return Stream.of(
        org.junit.jupiter.params.provider.Arguments.of("nul-byte", (spec + "description: a\0b\n").getBytes(java.nio.charset.StandardCharsets.UTF_8), "holds a NUL byte"),
        org.junit.jupiter.params.provider.Arguments.of("latin-1", (spec + "description: caf\u00e9\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), "holds the byte 0xE9, which is not UTF-8"),
        org.junit.jupiter.params.provider.Arguments.of("garbage", garbage, "which is not UTF-8"),
        org.junit.jupiter.params.provider.Arguments.of("50-mb-description", big, "a spec is at most 1,048,576 bytes"),
        // the spec's own name is written into plan --script's first comment line
        org.junit.jupiter.params.provider.Arguments.of("spec\necho-pwned", spec.getBytes(java.nio.charset.StandardCharsets.UTF_8),
            "the spec's file name holds a line break (U+000A)"));
  }

  @TempDir Path generatedDir;

  @ParameterizedTest(name = "{0}")
  @MethodSource("generated")
  void badBytesFailWithOneLocatedSentenceAtOnce(String name, byte[] bytes, String expected) throws IOException {
    Path file = generatedDir.resolve(name + ".yaml");
    Files.write(file, bytes);
    SpecException e = assertThrows(SpecException.class, () -> loadAndCheckFiles(file));
    String msg = e.getMessage();
    assertFalse(msg.contains("\n"), "one sentence, one line: " + msg);
    assertTrue(msg.contains(expected), "expected '" + expected + "' in: " + msg);
    assertTrue(LOCATED.matcher(msg).matches(), "file:line:column prefix expected in: " + msg);
    // how fast: `make bench` (its hostile-inputs part times every refusal), not a timed unit test
  }

  /** A spec that is a FIFO, a link loop or a link to /dev/zero: one sentence at once, never a read that hangs or fills memory. */
  @org.junit.jupiter.api.Test
  void aSpecThatIsNoRegularFileIsOneSentence() throws Exception {
    Path fifo = generatedDir.resolve("fifo.yaml");
    new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor();
    Path loop = generatedDir.resolve("loop.yaml");
    Files.createSymbolicLink(loop, loop.getFileName());
    Path zero = generatedDir.resolve("zero.yaml");
    Files.createSymbolicLink(zero, Path.of("/dev/zero"));
    for (Path p : List.of(fifo, loop, zero)) {
      SpecException e = assertThrows(SpecException.class, () -> loadAndCheckFiles(p));
      assertTrue(LOCATED.matcher(e.getMessage()).matches(), e.getMessage());
      assertTrue(e.getMessage().contains(p == loop ? "is a chain of more than 8 symbolic links" : "is a FIFO, socket or device, not a spec"),
          e.getMessage());
    }
  }

  private void loadAndCheckFiles(Path file) {
    Spec spec = new SpecLoader(Path.of("").toAbsolutePath()).load(file);
    List<Cell> cells = GridExpander.cells(spec);
    PrintStream quiet = new PrintStream(PrintStream.nullOutputStream());
    Toolchain tc = new Toolchain(cache, quiet);
    Resources.resolve(spec, cells, tc, new SyntheticModels(tc, quiet, SyntheticModels.Shape.DEFAULT), quiet, Resources.Purpose.VALIDATE);
  }
}
