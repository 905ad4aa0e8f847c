package dev.llamasweep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llamasweep.cli.Main;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The profile axis applied through the real power-profiles-daemon (fake driver, private bus). */
class PowerProfilesIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static Path cache;
  static PrivateSystemBus bus;

  @TempDir Path work;

  @BeforeAll
  static void setUp() throws Exception {
    cache = LlamaCpp.cache();
    LlamaCpp.target();
    bus = new PrivateSystemBus();
  }

  @AfterAll
  static void tearDown() throws Exception {
    if (bus != null) bus.close();
  }

  int run(String spec) throws Exception {
    Path f = Files.writeString(work.resolve("p.yaml"), spec);
    return LlamaCpp.sweep(work, "run", f);
  }

  List<JsonNode> results() throws Exception {
    List<JsonNode> out = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(work.resolve("data/pp/raw"))) {
      for (Path d : dirs.toList()) out.add(JSON.readTree(d.resolve("result.json").toFile()));
    }
    out.sort(Comparator.comparing(r -> Instant.parse(r.get("started").asText())));
    return out;
  }

  static final String SPEC = """
      name: pp
      backends: {cpu: {build: cpu, threads: auto, gpu_layers: 0}}
      models: {target: {synthetic: target, quant: Q4_K_M}}
      defaults: {prompt: 0, generate: 8, repetitions: 1}
      profile_settle_s: 0
      %s
      experiments:
        - name: profiles
          grid: {model: target, backend: cpu, mmap: [true, false], profile: [%s]}
      """;

  @Test
  void profilesAreSetReadBackGroupedAndRestored() throws Exception {
    assertEquals(0, bus.ctl("set", "balanced").exit());
    long before = switches();
    assertEquals(0, run(SPEC.formatted("", "power-saver, performance")));
    List<JsonNode> r = results();
    assertEquals(4, r.size());
    for (JsonNode n : r) {
      assertEquals("ok", n.get("status").asText(), n.toString());
      assertEquals(n.get("requested_profile").asText(), n.get("observed_profile").asText());
    }
    // grouped: the grid alternates profiles (mmap outer), the run does not
    assertEquals(List.of("power-saver", "power-saver", "performance", "performance"),
        r.stream().map(n -> n.get("observed_profile").asText()).toList());
    assertEquals("balanced", bus.ctl("get").out(), "the profile active before the sweep is restored");
    assertEquals(3, switches() - before, "power-saver, performance, back to balanced: one switch per change");
    String report = Files.readString(work.resolve("reports/pp/report.md"));
    assertTrue(report.contains("| power_profile | balanced |"), report);
  }

  @Test
  void aProfileTheMachineDoesNotOfferFailsItsCellsUnlessRecorded() throws Exception {
    assertEquals(0, bus.ctl("set", "balanced").exit());
    assertEquals(3, run(SPEC.formatted("", "turbo")));
    for (JsonNode n : results()) {
      assertEquals("failed", n.get("status").asText());
      assertEquals("cannot set the power profile 'turbo': this machine offers only performance, balanced, power-saver", n.get("reason").asText());
    }
    assertEquals(0, run(SPEC.formatted("profile_policy: record", "turbo")));
    for (JsonNode n : results()) {
      assertEquals("ok", n.get("status").asText());
      assertEquals("balanced", n.get("observed_profile").asText(), "labelled with the profile actually observed");
    }
    String report = Files.readString(work.resolve("reports/pp/report.md"));
    assertTrue(report.contains("turbo (observed: balanced)"), report);
  }

  @Test
  void withoutTheDaemonCellsFailWithTheReason() throws Exception {
    bus.stopDaemon();
    try {
      assertEquals(3, run(SPEC.formatted("", "performance")));
      for (JsonNode n : results()) {
        assertEquals("failed", n.get("status").asText());
        assertTrue(n.get("reason").asText().startsWith("cannot set the power profile 'performance': powerprofilesctl get said:"), n.toString());
      }
    } finally {
      bus.startDaemon();
    }
  }

  @Test
  void whereAvailableSetsProfilesWhereTheDaemonIsAndSkipsCellsWhereItIsNot() throws Exception {
    assertEquals(0, bus.ctl("set", "balanced").exit());
    assertEquals(0, run(SPEC.formatted("profile_policy: where-available", "power-saver")));
    for (JsonNode n : results()) {
      assertEquals("ok", n.get("status").asText(), n.toString());
      assertEquals("power-saver", n.get("observed_profile").asText(), "set, as apply would");
    }
    bus.stopDaemon();
    try {
      assertEquals(0, run(SPEC.formatted("profile_policy: where-available", "performance")), "skipped cells are no failure of the sweep");
      List<JsonNode> r = results();
      assertEquals(4, r.size(), "the second run's cells join the first's (other profile, other ids)");
      long skipped = 0;
      for (JsonNode n : r) {
        if (!n.path("status").asText().equals("skipped")) continue;
        skipped++;
        String why = n.path("reason").asText();
        assertTrue(why.startsWith("no power profile performance here (profile_policy: where-available): cannot set the power profile"), n.toString());
      }
      assertEquals(2, skipped, r.toString());
      assertTrue(Files.readString(work.resolve("reports/pp/report.md")).contains("skipped"), "the report says so");
    } finally {
      bus.startDaemon();
    }
  }

  /** power-profiles-daemon logs each activation it receives. */
  static long switches() throws Exception {
    return Files.readAllLines(bus.log).stream().filter(l -> l.contains("profile activation for reason 'user'")).count();
  }
}
