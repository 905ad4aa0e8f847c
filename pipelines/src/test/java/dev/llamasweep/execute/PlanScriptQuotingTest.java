package dev.llamasweep.execute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llamasweep.TestSpecs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code plan --script} of every repository spec and of a hostile one: bash parses each script, every
 * command line splits into exactly the words of its argv, and running the whole script (whose binaries
 * do not exist here) creates none of the files its values try to create.
 */
class PlanScriptQuotingTest {
  @TempDir Path dir;

  /** Values that try every way out of a shell word or a comment line that a spec still allows. */
  static final String HOSTILE = """
      name: hostile
      models:
        "m'; touch SENT_MODEL; echo '": {path: "DIR/we ird$(touch SENT_PATH)/model `touch SENT_TICK`.gguf"}
        "d \\\\ \\" $(touch SENT_DRAFT)": {path: "DIR/we ird$(touch SENT_PATH)/draft.gguf"}
      backends:
        "b": {bin: "DIR/we ird$(touch SENT_PATH)", env: {FOO: "$(touch SENT_ENV)'\\"", BAR: "a;b|c&d > SENT_REDIRECT"},
              args: ["--x", "$HOME", "'", "-", "*", "~", "!!", "#", "{a,b}"]}
      experiments:
        - {name: "x", grid: {model: "m'; touch SENT_MODEL; echo '", backend: b, profile: "$(touch SENT_PROFILE)", threads: [1, 2]}}
        - {name: s, bench: speculative, grid: {model: "m'; touch SENT_MODEL; echo '", draft: "d \\\\ \\" $(touch SENT_DRAFT)", backend: b,
            draft_max: [0, 2], prompt_file: "DIR/prompt; touch SENT_PROMPT.txt"}}
      """;

  static Stream<Path> repositorySpecs() throws IOException {
    try (Stream<Path> s = Files.list(Path.of("experiments"))) {
      // strix-point.yaml names files on the seed's laptop: it cannot be planned here
      return s.filter(p -> p.toString().endsWith(".yaml") && !p.getFileName().toString().equals("strix-point.yaml")).sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("repositorySpecs")
  void everyRepositorySpecsScriptParsesAndSplitsIntoItsArgv(Path spec) throws Exception {
    TestSpecs.Planned p = TestSpecs.plan(spec, dir.resolve("data"), Path.of("").toAbsolutePath());
    check(PlanScript.of(spec.toString(), p.plans()), p.plans());
  }

  @Test
  void aHostileSpecsValuesStayInsideTheirQuotes() throws Exception {
    Path weird = dir.resolve("we ird$(touch SENT_PATH)");
    Files.createDirectories(weird);
    Files.writeString(weird.resolve("model `touch SENT_TICK`.gguf"), "");
    Files.writeString(weird.resolve("draft.gguf"), "");
    Files.writeString(dir.resolve("prompt; touch SENT_PROMPT.txt"), "hello\nLLAMA_SWEEP_REQUEST\n'; touch SENT_BODY; '\n");
    Path spec = dir.resolve("hostile $(touch SENT_SPEC) 'x'.yaml");
    Files.writeString(spec, HOSTILE.replace("DIR", dir.toString()));
    TestSpecs.Planned p = TestSpecs.plan(spec, dir.resolve("data"), dir);
    assertEquals(4, p.plans().size());
    String script = PlanScript.of(spec.toString(), p.plans());
    check(script, p.plans());
    // run it for real: its binaries are missing, so nothing but the quoting is exercised
    Path file = dir.resolve("plan.sh");
    Files.writeString(file, script);
    run(List.of("sh", file.toString()), null);
    try (Stream<Path> s = Files.walk(dir)) {
      List<String> made = s.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("SENT")).toList();
      assertTrue(made.isEmpty(), "a value ran as a command and made " + made + "\n" + script);
    }
  }

  @Test
  void aCommentCannotEndItsLine() {
    String c = dev.llamasweep.io.Shell.comment("a\nrm -rf ~\r\u2028\u001b[2J\tb");
    assertFalse(c.chars().anyMatch(ch -> ch < 0x20 || ch == 0x2028), c);
    assertEquals("a\\nrm -rf ~\\r\\u2028\\u001b[2J\\tb", c);
  }

  private static final String RPC = "127.0.0.1:50052,127.0.0.1:50053";

  private void check(String script, List<CellPlan> plans) throws Exception {
    Path file = dir.resolve("check.sh");
    Files.writeString(file, script);
    String syntax = run(List.of("bash", "-n", file.toString()), null);
    assertEquals("", syntax, "bash -n: " + syntax + "\n" + script);
    for (String line : script.split("\n")) {
      // outside the request heredoc, a line is a comment or code; a comment may not hold what would end it
      if (line.startsWith("#")) assertFalse(line.contains("\r"), line);
    }
    for (CellPlan plan : plans) {
      List<String> expected = new ArrayList<>();
      if (!plan.env().isEmpty()) {
        expected.add("env");
        plan.env().forEach((k, v) -> expected.add(k + "=" + v));
      }
      // command.sh takes the server's port and the rpc-servers' endpoints from $PORT and $RPC
      for (String a : plan.argv()) expected.add(a.equals("{port}") ? "8080" : a.equals(CellPlan.Rpc.ENDPOINTS) ? RPC : a);
      String words = run(List.of("bash", "-c", "printf '%s\\0' " + plan.shellCommand()), "8080");
      List<String> got = List.of(words.split("\0", -1)).subList(0, expected.size() == 0 ? 0 : words.split("\0", -1).length - 1);
      assertEquals(expected, got, "the shell splits " + plan.id() + "'s line into other words: " + plan.shellCommand());
    }
  }

  private String run(List<String> argv, String port) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(false);
    if (port != null) pb.environment().put("PORT", port);
    pb.environment().put("RPC", RPC);
    pb.environment().put("HOME", "/nonexistent-home");
    Process proc = pb.start();
    proc.getOutputStream().close();
    byte[] out = proc.getInputStream().readAllBytes();
    byte[] err = proc.getErrorStream().readAllBytes();
    assertTrue(proc.waitFor(60, TimeUnit.SECONDS), "bash did not finish: " + argv);
    if (argv.contains("-n")) return new String(err, StandardCharsets.UTF_8);
    return new String(out, StandardCharsets.UTF_8);
  }
}
