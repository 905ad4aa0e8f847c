package dev.llamasweep.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Debian's Chromium, headless, driven over the DevTools protocol: open a page, collect console
 * errors, exceptions, dialogs and every network request, evaluate expressions, take a screenshot.
 * Started with the flags that keep it off this machine's closed network.
 */
final class HeadlessChromium implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  private final Process process;
  private final WebSocket ws;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  final List<String> problems = new CopyOnWriteArrayList<>();
  final List<String> requests = new CopyOnWriteArrayList<>();
  private final CompletableFuture<Void> loaded = new CompletableFuture<>();

  HeadlessChromium(Path profile) throws Exception {
    if (!Files.isExecutable(Path.of("/usr/bin/chromium"))) {
      throw new IllegalStateException("/usr/bin/chromium is missing: `make test` installs Debian's chromium (pipelines/scripts/test-deps.sh)");
    }
    process = new ProcessBuilder("/usr/bin/chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-default-apps",
        "--user-data-dir=" + profile, "--remote-debugging-port=0", "--window-size=1200,1600", "about:blank")
        .redirectErrorStream(true).start();
    String endpoint = null;
    BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream()));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    String line;
    while (System.nanoTime() < deadline && (line = r.readLine()) != null) {
      int at = line.indexOf("DevTools listening on ");
      if (at >= 0) {
        endpoint = line.substring(at + "DevTools listening on ".length()).trim();
        break;
      }
    }
    if (endpoint == null) throw new IllegalStateException("chromium did not open its DevTools endpoint");
    Thread drain = new Thread(() -> {
      try {
        while (r.readLine() != null) { /* keep the pipe empty */ }
      } catch (IOException e) {
        // chromium exited
      }
    });
    drain.setDaemon(true);
    drain.start();
    URI browser = URI.create(endpoint);
    HttpClient http = HttpClient.newHttpClient();
    JsonNode targets = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create("http://" + browser.getAuthority() + "/json/list")).build(),
        HttpResponse.BodyHandlers.ofString()).body());
    String pageWs = null;
    for (JsonNode t : targets) if (t.path("type").asText().equals("page")) pageWs = t.path("webSocketDebuggerUrl").asText();
    ws = http.newWebSocketBuilder().buildAsync(URI.create(pageWs), new Listener()).get(10, TimeUnit.SECONDS);
    for (String domain : List.of("Runtime", "Log", "Network", "Page")) call(domain + ".enable", JSON.createObjectNode());
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder buf = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
      buf.append(data);
      if (last) {
        try {
          handle(JSON.readTree(buf.toString()));
        } catch (IOException e) {
          problems.add("unreadable DevTools message: " + e.getMessage());
        }
        buf.setLength(0);
      }
      w.request(1);
      return null;
    }
  }

  private void handle(JsonNode m) {
    if (m.has("id")) {
      CompletableFuture<JsonNode> f = pending.remove(m.get("id").asInt());
      if (f != null) f.complete(m);
      return;
    }
    String method = m.path("method").asText();
    JsonNode p = m.path("params");
    switch (method) {
      case "Runtime.consoleAPICalled" -> {
        String type = p.path("type").asText();
        if (type.equals("error") || type.equals("assert") || type.equals("warning")) problems.add("console." + type + ": " + p.path("args"));
      }
      case "Runtime.exceptionThrown" -> problems.add("exception: " + p.path("exceptionDetails"));
      case "Log.entryAdded" -> {
        if (p.path("entry").path("level").asText().equals("error")) problems.add("log error: " + p.path("entry").path("text").asText());
      }
      case "Page.javascriptDialogOpening" -> problems.add("a dialog opened: " + p.path("message").asText());
      case "Network.requestWillBeSent" -> requests.add(p.path("request").path("url").asText());
      case "Page.loadEventFired" -> loaded.complete(null);
      default -> { }
    }
  }

  JsonNode call(String method, ObjectNode params) throws Exception {
    int id = ids.incrementAndGet();
    CompletableFuture<JsonNode> f = new CompletableFuture<>();
    pending.put(id, f);
    ObjectNode msg = JSON.createObjectNode().put("id", id).put("method", method);
    msg.set("params", params);
    ws.sendText(JSON.writeValueAsString(msg), true).get(10, TimeUnit.SECONDS);
    JsonNode r = f.get(60, TimeUnit.SECONDS);
    if (r.has("error")) throw new IllegalStateException(method + ": " + r.get("error"));
    return r.path("result");
  }

  void open(Path file) throws Exception {
    call("Page.navigate", JSON.createObjectNode().put("url", file.toUri().toString()));
    loaded.get(60, TimeUnit.SECONDS);
  }

  JsonNode eval(String expression) throws Exception {
    JsonNode r = call("Runtime.evaluate", JSON.createObjectNode().put("expression", expression).put("returnByValue", true));
    return r.path("result").path("value");
  }

  void screenshot(Path png) throws Exception {
    JsonNode r = call("Page.captureScreenshot", JSON.createObjectNode().put("format", "png").put("captureBeyondViewport", true));
    Files.write(png, Base64.getDecoder().decode(r.path("data").asText()));
  }

  /** Requests for anything but the page itself and its inline data. */
  List<String> externalRequests() {
    List<String> out = new ArrayList<>();
    for (String u : requests) if (!u.startsWith("file:") && !u.startsWith("data:") && !u.equals("about:blank")) out.add(u);
    return out;
  }

  @Override
  public void close() throws Exception {
    try {
      ws.abort();
    } finally {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
    }
  }
}
