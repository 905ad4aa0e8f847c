package dev.llamasweep.cli;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import picocli.CommandLine.Option;

/**
 * The Beam runner, plus any other Beam pipeline options (--name=value) a command collected as
 * unmatched arguments (picocli keeps @Unmatched on the command itself, not in a mixin).
 */
final class BeamArgs {
  @Option(names = "--runner", paramLabel = "RUNNER", description = "Beam runner (default: ${DEFAULT-VALUE}); other --beamOption=value arguments pass through")
  String runner = "DirectRunner";

  /** Whether nothing about Beam was asked: the default runner and no other option. */
  boolean isDefault(List<String> rest) {
    return rest.isEmpty() && runner.equals("DirectRunner");
  }

  /**
   * Beam runs only the aggregation, after every benchmark has finished (the benchmarks run in plain
   * Java in sweep.Sweep: the DirectRunner's monitor thread once spun a core beside a running cell,
   * apache/beam#18070), so the runner may use every core it likes.
   */
  PipelineOptions options(List<String> rest) {
    List<String> args = new ArrayList<>(rest);
    args.add("--runner=" + runner);
    if (runner.equals("FlinkRunner")) {
      String master = null;
      for (String a : rest) if (a.startsWith("--flinkMaster=")) master = a.substring("--flinkMaster=".length());
      if (master != null) checkFlinkCluster(master);
      // a cluster gets what the aggregation needs (64 of 216 MB, a third of the upload), unless --filesToStage says otherwise
      if (master != null && !master.startsWith("[") && rest.stream().noneMatch(a -> a.startsWith("--filesToStage="))) {
        List<java.nio.file.Path> all = FlinkStaging.classpath();
        List<java.nio.file.Path> staged = FlinkStaging.select(all);
        System.err.printf(java.util.Locale.ROOT, "llama-sweep: staging %d of %d jars (%d of %d MB) to the Flink cluster at %s: "
            + "llama-sweep and the aggregation's libraries; Flink's own and the report libraries stay home%n",
            staged.size(), all.size(), FlinkStaging.bytes(staged) >> 20, FlinkStaging.bytes(all) >> 20, master);
        args.add("--filesToStage=" + String.join(",", staged.stream().map(java.nio.file.Path::toString).toList()));
      }
    }
    return PipelineOptionsFactory.fromArgs(args.toArray(String[]::new)).withValidation().create();
  }

  /** The Flink minor version Beam's runner on our classpath speaks (beam-runners-flink-1.19): a cluster must run the same. */
  static final String FLINK_VERSION = "1.19";

  /**
   * A real cluster (host:port, not [local] or [auto]) is asked its version on its REST API before any job
   * is sent: another minor version fails later with a deserialisation error and a 166-line trace.
   */
  static void checkFlinkCluster(String master) {
    if (master.startsWith("[")) return;
    String version = flinkVersion(master);
    if (version == null) return; // unreachable or no REST API here: Flink's own error follows, with the address
    if (!version.equals(FLINK_VERSION) && !version.startsWith(FLINK_VERSION + ".")) {
      throw new IllegalArgumentException("the Flink cluster at " + master + " runs Flink " + version + ", but llama-sweep's Beam runner speaks Flink "
          + FLINK_VERSION + ".x (beam-runners-flink-" + FLINK_VERSION + "); start a " + FLINK_VERSION + ".x cluster or use --flinkMaster=[local].");
    }
  }

  /** "1.19.1" from http://master/config's "flink-version", or null when it cannot be asked. */
  static String flinkVersion(String master) {
    try {
      java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder().connectTimeout(java.time.Duration.ofSeconds(5)).build();
      java.net.http.HttpResponse<String> r = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://" + master + "/config"))
          .timeout(java.time.Duration.ofSeconds(5)).GET().build(), java.net.http.HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) return null;
      com.fasterxml.jackson.databind.JsonNode n = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body());
      return n.hasNonNull("flink-version") ? n.get("flink-version").asText() : null;
    } catch (java.io.IOException | IllegalArgumentException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
