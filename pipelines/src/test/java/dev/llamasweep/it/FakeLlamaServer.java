package dev.llamasweep.it;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A stand-in for llama-server that speaks its HTTP and its stream format (tools/server: /health, /props, a
 * streamed /completion of {@code data: {…}} events, the last with {@code "stop": true}) on a raw socket, so it
 * can fail the ways a real one can: {@code FAKE_SERVER_MODE} = ok (every token at once), stall (two tokens,
 * then nothing), drop (two tokens, then the connection is cut mid-chunk), malformed (an event that is not
 * JSON) or die (two tokens, then the process exits with 3). Only a test and the load generator's own
 * benchmark start it: no result of it is ever a measurement of llama.cpp. It needs nothing but the JDK, so
 * {@code java -cp <test classes>} starts it.
 */
public final class FakeLlamaServer {
  private static final java.util.regex.Pattern N_PREDICT = java.util.regex.Pattern.compile("\"n_predict\"\\s*:\\s*(\\d+)");

  private FakeLlamaServer() {}

  /** A directory holding an executable {@code llama-server} that starts this class: a backend's {@code bin:}. */
  public static java.nio.file.Path binDir(java.nio.file.Path dir) throws IOException {
    java.nio.file.Files.createDirectories(dir);
    String classes;
    try {
      classes = java.nio.file.Path.of(FakeLlamaServer.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (java.net.URISyntaxException e) {
      throw new IOException(e);
    }
    String javaBin = java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString();
    java.nio.file.Path script = dir.resolve("llama-server");
    java.nio.file.Files.writeString(script, "#!/bin/sh\nexec '" + javaBin + "' -Xshare:auto -XX:TieredStopAtLevel=1 -cp '" + classes + "' "
        + FakeLlamaServer.class.getName() + " \"$@\"\n");
    script.toFile().setExecutable(true);
    return dir;
  }

  public static void main(String[] args) throws IOException {
    int port = 0;
    for (int i = 0; i + 1 < args.length; i++) if (args[i].equals("--port")) port = Integer.parseInt(args[i + 1]);
    String mode = System.getenv().getOrDefault("FAKE_SERVER_MODE", "ok").toLowerCase(Locale.ROOT);
    try (ServerSocket server = new ServerSocket(port, 512, InetAddress.getLoopbackAddress())) {
      System.out.println("fake llama-server (" + mode + ") listening on " + server.getLocalPort());
      System.out.flush();
      while (true) {
        Socket s = server.accept();
        Thread t = new Thread(() -> serve(s, mode));
        t.setDaemon(true);
        t.start();
      }
    }
  }

  /** Serves one connection's requests (the JDK client keeps connections alive) until it closes. */
  static void serve(Socket s, String mode) {
    try (s; InputStream in = new BufferedInputStream(s.getInputStream()); OutputStream out = s.getOutputStream()) {
      s.setTcpNoDelay(true);
      while (true) {
        String head = readHead(in);
        if (head == null) return;
        String[] first = head.split("\r\n", 2)[0].split(" ");
        int length = 0;
        for (String h : head.split("\r\n")) {
          if (h.toLowerCase(Locale.ROOT).startsWith("content-length:")) length = Integer.parseInt(h.substring(15).trim());
        }
        byte[] body = in.readNBytes(length);
        String path = first.length > 1 ? first[1] : "/";
        if (path.equals("/health")) {
          plain(out, "{\"status\":\"ok\"}");
        } else if (path.equals("/props")) {
          plain(out, "{\"build_info\":\"b0-fake\"}");
        } else if (path.equals("/completion")) {
          java.util.regex.Matcher m = N_PREDICT.matcher(new String(body, StandardCharsets.UTF_8));
          stream(out, s, mode, m.find() ? Integer.parseInt(m.group(1)) : 16);
        } else {
          out.write("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.flush();
      }
    } catch (IOException e) {
      // the client went away
    }
  }

  private static void stream(OutputStream out, Socket s, String mode, int n) throws IOException {
    out.write("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    for (int i = 1; i <= n; i++) {
      if (i == 3) {
        switch (mode) {
          case "stall" -> {
            out.flush();
            try {
              Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
              return;
            }
          }
          case "drop" -> {
            out.write("2a\r\ndata: {\"tokens_pre".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            s.setSoLinger(true, 0);
            s.close();
            return;
          }
          case "die" -> {
            out.flush();
            Runtime.getRuntime().halt(3);
          }
          case "malformed" -> chunk(out, "data: {\"content\": \"x\", \"tokens_predicted\": " + "\n\n");
          default -> { }
        }
      }
      chunk(out, "data: {\"index\":0,\"content\":\"x\",\"tokens\":[1],\"stop\":false,\"tokens_predicted\":" + i + ",\"tokens_evaluated\":8}\n\n");
    }
    chunk(out, "data: {\"index\":0,\"content\":\"\",\"tokens\":[],\"stop\":true,\"tokens_predicted\":" + n + ",\"tokens_evaluated\":8,"
        + "\"timings\":{\"prompt_n\":8,\"predicted_n\":" + n + "}}\n\n");
    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  private static void chunk(OutputStream out, String text) throws IOException {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    out.write((Integer.toHexString(b.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.write(b);
    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  private static void plain(OutputStream out, String json) throws IOException {
    byte[] b = json.getBytes(StandardCharsets.UTF_8);
    out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + b.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    out.write(b);
  }

  /** The request line and headers, or null when the connection closed before one. */
  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while ((c = in.read()) != -1) {
      b.write(c);
      matched = c == end[matched] ? matched + 1 : c == '\r' ? 1 : 0;
      if (matched == 4) return b.toString(StandardCharsets.US_ASCII);
    }
    return null;
  }
}
