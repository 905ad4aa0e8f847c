package dev.llamasweep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The corpus aggregation on a real standalone Flink 1.19 session cluster, as a user runs one: a
 * JobManager and a TaskManager in their own JVMs, started from the Flink jars Maven Central has
 * (flink-dist is not there; flink-runtime, flink-clients and their dependencies are), with nothing of
 * Beam or llama-sweep on their classpath. The job stages only what the aggregation needs, writes the
 * same aggregate.csv byte for byte as the DirectRunner, shows in Flink under its own name, and bad
 * input is the one located sentence. In make flink (about two minutes), not in make test.
 */
@Tag("flink-cluster")
class FlinkClusterIT {
  /** What a Flink distribution's lib/ holds, taken from target/lib: Flink's jars and their dependencies (not Commons CSV, which is ours). */
  static final Pattern FLINK_DIST = Pattern.compile("^(flink-|commons-(?!csv)|javassist|snappy-java|lz4-java|kryo|minlog|objenesis|chill-java"
      + "|slf4j-|jsr305|async-profiler|snakeyaml-engine)");

  @TempDir Path work;

  @Test
  void theAggregationRunsOnAStandaloneClusterAsOnTheDirectRunner() throws Exception {
    Path data = work.resolve("data/gpu");
    FlinkErrorsIT.copy(Path.of("pipelines/src/test/resources/h100/gpu-run"), data);
    List<Process> cluster = new ArrayList<>();
    int rest = freePort();
    try {
      String master = "localhost:" + rest;
      start(cluster, rest);

      Run direct = corpus(data, work.resolve("direct"));
      assertEquals(0, direct.exit(), direct.output());
      Run flink = corpus(data, work.resolve("flink"), "--runner=FlinkRunner", "--flinkMaster=" + master);
      assertEquals(0, flink.exit(), flink.output());
      assertEquals(Files.readString(work.resolve("direct/aggregate.csv")), Files.readString(work.resolve("flink/aggregate.csv")),
          "the cluster aggregates byte for byte as the DirectRunner");
      var staged = Pattern.compile("staging (\\d+) of (\\d+) jars \\((\\d+) of (\\d+) MB\\)").matcher(flink.output());
      assertTrue(staged.find(), flink.output());
      assertTrue(Integer.parseInt(staged.group(3)) * 2 < Integer.parseInt(staged.group(4)), "less than half of the jars' bytes go: " + staged.group());
      String jobs = get("http://" + master + "/jobs/overview");
      assertTrue(jobs.contains("\"name\":\"llama-sweep-aggregate-gpu\"") && jobs.contains("\"state\":\"FINISHED\""), jobs);

      // bad input on the cluster: the staging line, then the same one sentence as everywhere
      String sentence = FlinkErrorsIT.breakThroughput(data);
      Run bad = corpus(data, work.resolve("bad"), "--runner=FlinkRunner", "--flinkMaster=" + master);
      assertEquals(2, bad.exit(), bad.output());
      List<String> said = bad.output().lines().filter(l -> !l.isBlank() && !l.startsWith("llama-sweep: staging ")).toList();
      assertEquals(List.of(sentence), said, bad.output());
    } finally {
      for (Process p : cluster) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  record Run(int exit, String output) {}

  static Run corpus(Path data, Path out, String... runner) throws Exception {
    List<String> argv = new ArrayList<>(List.of(java(), "-jar", "target/llama-sweep.jar", "corpus", data.toString(), "--out=" + out));
    argv.addAll(List.of(runner));
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(300, TimeUnit.SECONDS), "corpus did not end: " + output);
    return new Run(p.exitValue(), output);
  }

  /** A JobManager and a TaskManager (two slots) on free ports, each in its own JVM; returns when the TaskManager has registered. */
  void start(List<Process> cluster, int rest) throws Exception {
    Path conf = Files.createDirectories(work.resolve("flink-conf"));
    Files.writeString(conf.resolve("config.yaml"), String.join("\n",
        "jobmanager.rpc.address: localhost", "jobmanager.bind-host: localhost", "jobmanager.rpc.port: " + freePort(),
        "taskmanager.bind-host: localhost", "taskmanager.host: localhost", "rest.address: localhost", "rest.bind-address: localhost",
        "rest.port: " + rest, "jobmanager.memory.process.size: 1024m", "taskmanager.numberOfTaskSlots: 2", "parallelism.default: 1",
        "taskmanager.cpu.cores: 2", "taskmanager.memory.task.heap.size: 512m", "taskmanager.memory.managed.size: 128m",
        "taskmanager.memory.network.min: 64m", "taskmanager.memory.network.max: 64m", "taskmanager.memory.framework.heap.size: 128m",
        "taskmanager.memory.framework.off-heap.size: 128m", "taskmanager.memory.task.off-heap.size: 0m",
        "taskmanager.memory.jvm-metaspace.size: 256m", "taskmanager.memory.jvm-overhead.min: 192m", "taskmanager.memory.jvm-overhead.max: 192m", ""));
    List<String> jars = new ArrayList<>();
    try (var lib = Files.list(Path.of("target/lib"))) {
      for (Path j : lib.sorted().toList()) if (FLINK_DIST.matcher(j.getFileName().toString()).find()) jars.add(j.toAbsolutePath().toString());
    }
    assertTrue(jars.stream().noneMatch(j -> j.contains("/beam-")), "the cluster has nothing of Beam");
    String cp = String.join(java.io.File.pathSeparator, jars);
    cluster.add(new ProcessBuilder(java(), "-cp", cp, "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint",
        "--configDir", conf.toString()).redirectErrorStream(true).redirectOutput(work.resolve("jobmanager.log").toFile()).start());
    cluster.add(new ProcessBuilder(java(), "-Xmx640m", "-XX:MaxMetaspaceSize=256m", "-XX:MaxDirectMemorySize=400m", "-cp", cp,
        "org.apache.flink.runtime.taskexecutor.TaskManagerRunner", "--configDir", conf.toString())
        .redirectErrorStream(true).redirectOutput(work.resolve("taskmanager.log").toFile()).start());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      String overview = get("http://localhost:" + rest + "/overview");
      if (overview.contains("\"taskmanagers\":1")) return;
      for (Process p : cluster) {
        assertTrue(p.isAlive(), "a cluster JVM ended: " + Files.readString(work.resolve("jobmanager.log")) + Files.readString(work.resolve("taskmanager.log")));
      }
      // polling a process that is starting: nothing to wait on but its REST answer
      Thread.sleep(500);
    }
    throw new AssertionError("the Flink cluster did not come up in 120 s: " + Files.readString(work.resolve("taskmanager.log")));
  }

  static String get(String url) {
    try {
      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).timeout(java.time.Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString());
      return r.body();
    } catch (Exception e) {
      return "";
    }
  }

  static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
