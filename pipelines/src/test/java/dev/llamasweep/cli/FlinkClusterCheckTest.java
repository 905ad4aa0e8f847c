package dev.llamasweep.cli;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A Flink cluster of another minor version is refused with one sentence before a job is sent (its REST /config, served here on loopback). */
class FlinkClusterCheckTest {
  static HttpServer serve(String version) throws Exception {
    HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    s.createContext("/config", ex -> {
      byte[] b = ("{\"refresh-interval\":3000,\"timezone-name\":\"UTC\",\"flink-version\":\"" + version + "\",\"flink-revision\":\"x\"}")
          .getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, b.length);
      ex.getResponseBody().write(b);
      ex.close();
    });
    s.start();
    return s;
  }

  @Test
  void anotherMinorVersionIsOneSentenceAndTheSameOnePasses() throws Exception {
    HttpServer wrong = serve("1.20.3");
    HttpServer right = serve("1.19.1");
    try {
      String master = "127.0.0.1:" + wrong.getAddress().getPort();
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BeamArgs.checkFlinkCluster(master));
      assertEquals("the Flink cluster at " + master + " runs Flink 1.20.3, but llama-sweep's Beam runner speaks Flink 1.19.x "
          + "(beam-runners-flink-1.19); start a 1.19.x cluster or use --flinkMaster=[local].", e.getMessage());
      assertDoesNotThrow(() -> BeamArgs.checkFlinkCluster("127.0.0.1:" + right.getAddress().getPort()));
      assertDoesNotThrow(() -> BeamArgs.checkFlinkCluster("[local]"));
      assertEquals("llama-sweep-aggregate-local-h100-run", dev.llamasweep.aggregation.AggregatePipeline.jobName(java.util.List.of("/d/local", "data/H100 run")));
    } finally {
      wrong.stop(0);
      right.stop(0);
    }
  }
}
