package dev.llamasweep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * hf: models for real: a local HTTP server answers the requests llama.cpp's downloader makes
 * (common/hf-cache.cpp: the repository's refs, its file tree at the commit; download.cpp: HEAD and GET of
 * {repo}/resolve/{commit}/{file}) for a small GGUF, and the jar runs as a user would with MODEL_ENDPOINT
 * pointing at it: the first run downloads into llama.cpp's cache, the second reuses it, --offline with an
 * empty cache is one sentence and runs nothing, and the file resolved is the one llama-bench -hf loads.
 */
class HfModelsIT {
  static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";
  static final String REPO = "test-org/Tiny-GGUF";
  static final String FILE = "Tiny-Q8_0.gguf";

  @TempDir Path work;
  HttpServer server;
  final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
  byte[] model;
  String sha256;

  @BeforeEach
  void serve() throws Exception {
    model = Files.readAllBytes(LlamaCpp.draft());
    sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(model));
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::answer);
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private void answer(HttpExchange x) throws java.io.IOException {
    String path = x.getRequestURI().getPath();
    String query = x.getRequestURI().getQuery();
    requests.computeIfAbsent(x.getRequestMethod() + " " + path, k -> new AtomicInteger()).incrementAndGet();
    byte[] body;
    String type = "application/json";
    if (path.equals("/api/models/" + REPO + "/refs")) {
      body = ("{\"branches\":[{\"name\":\"main\",\"ref\":\"refs/heads/main\",\"targetCommit\":\"" + COMMIT + "\"}],\"tags\":[]}").getBytes(StandardCharsets.UTF_8);
    } else if (path.equals("/api/models/" + REPO + "/tree/" + COMMIT) && "recursive=true".equals(query)) {
      body = ("[{\"type\":\"file\",\"path\":\"README.md\",\"oid\":\"" + "e".repeat(40) + "\",\"size\":5},"
          + "{\"type\":\"file\",\"path\":\"" + FILE + "\",\"oid\":\"" + "b".repeat(40) + "\",\"size\":" + model.length
          + ",\"lfs\":{\"oid\":\"" + sha256 + "\",\"size\":" + model.length + ",\"pointerSize\":135}}]").getBytes(StandardCharsets.UTF_8);
    } else if (path.equals("/" + REPO + "/resolve/" + COMMIT + "/" + FILE)) {
      body = model;
      type = "application/octet-stream";
      x.getResponseHeaders().add("ETag", "\"" + sha256 + "\"");
    } else {
      body = "{\"error\":\"Entry not found\"}".getBytes(StandardCharsets.UTF_8);
      x.getResponseHeaders().add("Content-Type", type);
      x.sendResponseHeaders(404, x.getRequestMethod().equals("HEAD") ? -1 : body.length);
      if (!x.getRequestMethod().equals("HEAD")) x.getResponseBody().write(body);
      x.close();
      return;
    }
    x.getResponseHeaders().add("Content-Type", type);
    if (x.getRequestMethod().equals("HEAD")) {
      x.getResponseHeaders().add("Content-Length", String.valueOf(body.length));
      x.sendResponseHeaders(200, -1);
    } else {
      x.sendResponseHeaders(200, body.length);
      x.getResponseBody().write(body);
    }
    x.close();
  }

  int count(String request) {
    AtomicInteger n = requests.get(request);
    return n == null ? 0 : n.get();
  }

  /** The jar as a user runs it, with MODEL_ENDPOINT at the local server and llama.cpp's cache in {@code hfCache}. */
  Result jar(Path hfCache, String... args) throws Exception {
    List<String> argv = new ArrayList<>(List.of("java", "-jar", Path.of("target/llama-sweep.jar").toAbsolutePath().toString()));
    argv.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
    pb.environment().put("MODEL_ENDPOINT", "http://127.0.0.1:" + server.getAddress().getPort() + "/");
    pb.environment().put("LLAMA_CACHE", hfCache.toString());
    pb.environment().remove("HF_TOKEN");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(300, TimeUnit.SECONDS), out);
    return new Result(p.exitValue(), out);
  }

  record Result(int exit, String output) {}

  @Test
  void downloadsThenReusesThenRefusesOfflineWithAnEmptyCache() throws Exception {
    Path spec = Files.writeString(work.resolve("hf.yaml"), """
        name: hf
        backends: {cpu: {build: cpu, threads: auto, gpu_layers: 0}}
        models: {tiny: {hf: test-org/Tiny-GGUF:Q8_0}}
        defaults: {prompt: 0, generate: 8, repetitions: 2}
        experiments:
          - {name: tg, grid: {model: tiny, backend: cpu}}
        """);
    Path cache = work.resolve("hf-cache");
    String[] run = {"run", spec.toString(), "--data-root", work.resolve("data").toString(), "--reports-root", work.resolve("reports").toString(),
        "--cache", LlamaCpp.cache().toString()};
    String get = "GET /" + REPO + "/resolve/" + COMMIT + "/" + FILE;

    Result first = jar(cache, run);
    assertEquals(0, first.exit(), first.output());
    assertEquals(1, count(get), "downloaded once: " + requests);
    Path snapshot = cache.resolve("models--test-org--Tiny-GGUF/snapshots/" + COMMIT + "/" + FILE);
    assertTrue(Files.isRegularFile(snapshot), "in llama.cpp's cache layout: " + snapshot);
    JsonNode origin = new ObjectMapper().readTree(work.resolve("data/hf/models.json").toFile()).path("tiny").path("origin");
    assertEquals("hf", origin.path("kind").asText(), origin.toString());
    assertEquals("test-org/Tiny-GGUF:Q8_0", origin.path("reference").asText());
    assertEquals(COMMIT, origin.path("commit").asText());
    assertEquals(snapshot.toString(), origin.path("file").asText());
    assertEquals(model.length, origin.path("bytes").asLong());
    assertEquals(sha256, origin.path("sha256").asText(), "the content's hash");
    String command = Files.readString(work.resolve("data/hf/raw").resolve(onlyCell(work.resolve("data/hf/raw"))).resolve("command.sh"));
    assertTrue(command.contains("-m " + snapshot), "a cell names the resolved file, no network in a benchmark: " + command);
    assertTrue(Files.readString(work.resolve("reports/hf/report.md")).contains("tg8"), "the cell ran");

    Result second = jar(cache, run[0], run[1], run[2], run[3], run[4], run[5], run[6], run[7], "--force");
    assertEquals(0, second.exit(), second.output());
    assertEquals(1, count(get), "the second run reuses the cached file: " + requests);
    assertEquals(2, count("GET /api/models/" + REPO + "/refs"), "each online run asks for the current commit: " + requests);

    // llama.cpp itself, offline, loads the very file resolved
    Path bench = LlamaCpp.toolchain().binDir("cpu").resolve("llama-bench");
    ProcessBuilder pb = new ProcessBuilder(bench.toString(), "-hf", REPO + ":Q8_0", "--offline", "-p", "0", "-n", "1", "-r", "1", "-o", "jsonl");
    pb.environment().put("LLAMA_CACHE", cache.toString());
    Process p = pb.redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String jsonl = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor());
    assertEquals(snapshot.toString(), new ObjectMapper().readTree(jsonl.lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow())
        .path("model_filename").asText());

    int before = requests.values().stream().mapToInt(AtomicInteger::get).sum();
    Path empty = work.resolve("empty-cache");
    Result offline = jar(empty, "run", spec.toString(), "--data-root", work.resolve("data-offline").toString(), "--reports-root",
        work.resolve("reports-offline").toString(), "--cache", LlamaCpp.cache().toString(), "--offline");
    assertEquals(2, offline.exit(), offline.output());
    List<String> said = offline.output().lines().filter(l -> l.startsWith("llama-sweep:")).toList();
    assertEquals(1, said.size(), offline.output());
    assertTrue(said.get(0).contains("hf.yaml:3:") && said.get(0).contains("hf: test-org/Tiny-GGUF:Q8_0 is not in llama.cpp's cache")
        && said.get(0).contains("--offline"), said.get(0));
    assertFalse(offline.output().contains("\tat "), offline.output());
    assertEquals(before, requests.values().stream().mapToInt(AtomicInteger::get).sum(), "offline asks the network nothing");
    assertFalse(Files.exists(work.resolve("data-offline/hf/raw")), "nothing ran");
  }

  static String onlyCell(Path raw) throws Exception {
    try (var s = Files.list(raw)) {
      return s.map(f -> f.getFileName().toString()).filter(n -> !n.startsWith(".")).findFirst().orElseThrow();
    }
  }
}
