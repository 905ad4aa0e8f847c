package dev.llamasweep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llamasweep.results.ModelHeaders;
import dev.llamasweep.results.RpcFile;
import dev.llamasweep.stats.LayerSplit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * llama.cpp's RPC backend for real: the pinned build's ggml-rpc-server started by the harness on loopback
 * for each cell, the synthetic target local, on one server and split over two (and by a tensor split);
 * the RPC path's cost recomputed from the samples, each layer's device checked against what llama.cpp
 * itself says it assigned (llama-bench -v), a server killed mid-run and an endpoint nobody serves each a
 * named failure, and no rpc-server left behind.
 */
class RpcIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Pattern ASSIGNED = Pattern.compile("layer +(\\d+) assigned to device (\\S+),");

  @TempDir Path work;

  @AfterEach
  void noServerOutlivesTheHarness() {
    List<String> left = rpcServers().stream().map(p -> p.pid() + ": " + p.info().commandLine().orElse("")).toList();
    assertTrue(left.isEmpty(), "rpc-servers still running: " + left);
  }

  static List<ProcessHandle> rpcServers() {
    return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
        .filter(p -> p.info().command().orElse("").endsWith(dev.llamasweep.build.Toolchain.RPC_SERVER)).toList();
  }

  @Test
  void aModelSplitOverTwoLocalServersCostsWhatItsSamplesSayAndItsLayersLandWhereLlamaCppPutsThem() throws Exception {
    LlamaCpp.target();
    // -v: llama-bench then logs each layer's device ("load_tensors: layer 9 assigned to device RPC1")
    Path spec = Files.writeString(work.resolve("spec.yaml"), """
        name: rpc-it
        backends:
          cpu:  {build: cpu, threads: auto, gpu_layers: 0}
          rpc2: {build: cpu, threads: auto, gpu_layers: 99, rpc: {local: 2}, args: [-v]}
        models:
          target: {synthetic: target, quant: Q4_K_M}
        defaults: {repetitions: 3, prompt: 16, generate: 16}
        timeout_s: 300
        experiments:
          - name: rpc
            grid: {model: target, backend: [cpu, rpc2]}
          - name: ts
            grid: {model: target, backend: rpc2, tensor_split: "3/1", generate: 0}
        """);
    assertEquals(0, LlamaCpp.sweep(work, "run", spec));
    Path data = work.resolve("data/rpc-it");

    Map<String, List<Double>> tg = new HashMap<>();
    Map<String, String> backendOf = new HashMap<>();
    try (var r = Files.newBufferedReader(data.resolve("samples.csv"))) {
      for (CSVRecord rec : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(r)) {
        backendOf.put(rec.get("cell"), rec.get("backend"));
        if (rec.get("test").equals("tg16")) tg.computeIfAbsent(rec.get("cell"), k -> new ArrayList<>()).add(Double.parseDouble(rec.get("tokens_per_s")));
      }
    }
    Map<String, List<RpcFile.Server>> servers = RpcFile.read(data);
    assertEquals(2, servers.size(), "both cells on rpc2 have their servers in rpc.csv: " + servers.keySet());
    String split = null;
    String local = null;
    for (String cell : tg.keySet()) {
      if (backendOf.get(cell).equals("rpc2")) split = cell;
      else local = cell;
    }
    assertNotNull(split);
    assertNotNull(local);
    Path raw = data.resolve("raw").resolve(split);
    List<String> argv = new ArrayList<>();
    JSON.readTree(raw.resolve("result.json").toFile()).path("argv").forEach(a -> argv.add(a.asText()));
    // the endpoints are picked when the servers run (each round its own ports): the argv keeps their place, rpc.jsonl has them
    assertEquals("{rpc}", argv.get(argv.indexOf("--rpc") + 1));
    assertEquals(2, servers.get(split).size());
    for (RpcFile.Server s : servers.get(split)) {
      assertTrue(s.endpoint().matches("127\\.0\\.0\\.1:\\d+"), "a loopback server: " + s.endpoint());
      assertTrue(s.started(), "started by the harness");
      assertEquals("6.0.0", s.version());
      assertEquals(1, s.freeBytes().size(), "a CPU-only rpc-server serves one CPU device");
      assertTrue(s.deviceLines().get(0).startsWith("CPU: "), s.deviceLines().toString());
      assertTrue(s.roundTrips() >= 32 && s.medianMicros() > 0 && s.minMicros() <= s.medianMicros(), s.toString());
    }

    // the RPC path: 1000 / split mean − 1000 / local mean, as the report prints it
    double path = 1000 / mean(tg.get(split)) - 1000 / mean(tg.get(local));
    String report = Files.readString(work.resolve("reports/rpc-it/report.md"));
    assertTrue(report.contains("### The RPC path"), report);
    assertTrue(report.contains(String.format(Locale.ROOT, "%+.3f", path)), "the path of " + path + " ms in the report");
    // the corpus (Beam's aggregate, cells.csv and rpc.csv) prints the same row for the same cells, with its host
    assertEquals(0, dev.llamasweep.cli.Main.execute(new String[] {"corpus", data.toString(), "--out", work.resolve("corpus").toString()}));
    String corpus = Files.readString(work.resolve("corpus/corpus.md"));
    String pair = "`" + split + "` vs `" + local + "`";
    String row = report.lines().filter(l -> l.contains(pair) && l.contains("| tg16 |")).findFirst()
        .orElseThrow(() -> new AssertionError(report));
    assertTrue(corpus.contains("## The RPC path on every host"), corpus);
    assertTrue(corpus.lines().anyMatch(l -> l.endsWith(row.substring(1)) && l.contains(" · rpc-it |")), "report.md's row " + row + " in:\n" + corpus);

    // each layer where llama.cpp put it, by the servers' free memory (default) and by a 3/1 tensor split
    ModelHeaders.Entry header = ModelHeaders.read(data.resolve("models.json")).get("target");
    for (String cell : servers.keySet()) {
      JsonNode params = JSON.readTree(data.resolve("raw").resolve(cell).resolve("cell.json").toFile()).path("params");
      List<Double> proportions = new ArrayList<>();
      if (params.hasNonNull("tensor_split")) {
        for (String p : params.path("tensor_split").asText().split("/")) proportions.add(Double.parseDouble(p));
      } else {
        for (RpcFile.Server s : servers.get(cell)) proportions.add((double) s.freeBytes().get(0));
      }
      LayerSplit expected = LayerSplit.of(header.shape(), List.of("RPC0", "RPC1"), proportions, 99);
      Map<Integer, String> llamaCpp = new HashMap<>();
      Matcher m = ASSIGNED.matcher(Files.readString(data.resolve("raw").resolve(cell).resolve("stderr.log")));
      while (m.find()) llamaCpp.putIfAbsent(Integer.parseInt(m.group(1)), m.group(2));
      assertEquals(header.shape().layers() + 1, llamaCpp.size(), "every layer and the output layer logged: " + llamaCpp);
      for (LayerSplit.Device d : expected.devices()) {
        for (int il : d.layers()) assertEquals(llamaCpp.get(il), d.name(), "layer " + il + " of " + cell + " (" + proportions + ")");
      }
      assertFalse(expected.devices().get(0).layers().isEmpty());
      assertFalse(expected.devices().get(1).layers().isEmpty());
    }
  }

  @Test
  void aServerKilledMidRunFailsItsCellByNameAndLeavesNoServer() throws Exception {
    LlamaCpp.target();
    Path spec = Files.writeString(work.resolve("spec.yaml"), """
        name: rpc-kill
        backends:
          rpc2: {build: cpu, threads: auto, gpu_layers: 99, rpc: {local: 2}}
        models:
          target: {synthetic: target, quant: Q4_K_M}
        timeout_s: 300
        experiments:
          - name: long
            grid: {model: target, backend: rpc2, prompt: 512, generate: 0, repetitions: 20}
        """);
    // kill -9 a server once it has worked half a second of CPU: llama-bench is then mid-run on it
    Thread killer = new Thread(() -> {
      long until = System.nanoTime() + Duration.ofMinutes(4).toNanos();
      while (System.nanoTime() < until) {
        for (ProcessHandle p : rpcServers()) {
          if (p.info().totalCpuDuration().orElse(Duration.ZERO).compareTo(Duration.ofMillis(500)) > 0) {
            p.destroyForcibly();
            return;
          }
        }
        Thread.onSpinWait();
      }
    });
    killer.setDaemon(true);
    killer.start();
    LlamaCpp.sweep(work, "run", spec);
    killer.join(1000);
    Path data = work.resolve("data/rpc-kill");
    List<CSVRecord> cells = new ArrayList<>();
    try (var r = Files.newBufferedReader(data.resolve("cells.csv"))) {
      CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(r).forEach(cells::add);
    }
    assertEquals(1, cells.size());
    assertEquals("failed", cells.get(0).get("status"));
    assertTrue(cells.get(0).get("reason").matches("rpc-server [01] at 127\\.0\\.0\\.1:\\d+ vanished during the run \\(.*SIGKILL.*\\).*"),
        cells.get(0).get("reason"));
    try (var r = Files.newBufferedReader(data.resolve("samples.csv"))) {
      assertEquals(0, CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(r).getRecords().size(), "nothing of it is a sample");
    }
  }

  @Test
  void anEndpointNobodyServesFailsItsCellByNameAndNothingRuns() throws Exception {
    LlamaCpp.target();
    int port;
    try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Path spec = Files.writeString(work.resolve("spec.yaml"), """
        name: rpc-gone
        backends:
          remote: {build: cpu, gpu_layers: 99, rpc: ["127.0.0.1:PORT"]}
        models:
          target: {synthetic: target, quant: Q4_K_M}
        timeout_s: 3
        experiments:
          - name: gone
            grid: {model: target, backend: remote, prompt: 0, generate: 16, repetitions: 2}
        """.replace("PORT", String.valueOf(port)));
    LlamaCpp.sweep(work, "run", spec);
    Path data = work.resolve("data/rpc-gone");
    List<CSVRecord> cells = new ArrayList<>();
    try (var r = Files.newBufferedReader(data.resolve("cells.csv"))) {
      CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(r).forEach(c -> {
        if (c.get("experiments").equals("gone")) cells.add(c);
      });
    }
    assertEquals(1, cells.size());
    assertEquals("failed", cells.get(0).get("status"));
    assertTrue(cells.get(0).get("reason").startsWith("rpc-server 127.0.0.1:" + port + " did not answer"), cells.get(0).get("reason"));
    String stderr = Files.readString(data.resolve("raw").resolve(cells.get(0).get("cell")).resolve("stderr.log"));
    assertTrue(stderr.startsWith("not run: "), "llama-bench never started: " + stderr);
  }

  static double mean(List<Double> v) {
    return v.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
  }
}
