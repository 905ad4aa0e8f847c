package dev.llamasweep.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.regex.Pattern;

/**
 * What a job sends to a Flink cluster: llama-sweep's own code and the libraries the aggregation runs on
 * (Beam, its vendored gRPC and Guava, Jackson, Commons CSV, …), not Flink's own jars (the cluster has
 * them, in its own version) nor the libraries only the reports and the command line use
 * (JFreeChart, SQLite, picocli, YAML). A library
 * not named here is staged, so a new dependency can cost upload time, never a failed job. Checked on a
 * standalone cluster whose classpath holds Flink and nothing of Beam (FlinkClusterIT).
 */
final class FlinkStaging {
  private FlinkStaging() {}

  /** Jar names (without version) that stay home. */
  static final Pattern STAYS = Pattern.compile("^(flink-|fastutil|icu4j|sqlite-jdbc|jfreechart|org\\.jfree|tablesaw|picocli|snakeyaml"
      + "|RoaringBitmap|univocity|commonmark|commons-math3|beam-runners-direct-java|beam-sdks-java-extensions-google-cloud-platform-core"
      + "|beam-sdks-java-transform-service-launcher|google-|gax|gcsio|gapic-|grpc-|opencensus|proto-google|conscrypt|perfmark|re2j|flogger"
      + "|threetenbp|shared-resourcemapping|detector-resources|exporter-metrics|api-common|httpclient|httpcore|gson|util-|annotations-"
      + "|animal-sniffer|args4j|async-profiler|disruptor|protobuf-java-util|javax\\.annotation|opentelemetry-(?!api|context))");

  /** What is staged of these classpath entries, in their order. */
  static List<Path> select(List<Path> classpath) {
    List<Path> out = new ArrayList<>();
    for (Path p : classpath) if (!STAYS.matcher(p.getFileName().toString()).find()) out.add(p);
    return out;
  }

  /**
   * This JVM's classpath as files: the jar it runs from with the jars its manifest lists (java -jar), or
   * java.class.path's entries (a test, an IDE).
   */
  static List<Path> classpath() {
    List<Path> out = new ArrayList<>();
    for (String e : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      if (e.isEmpty()) continue;
      Path p = Path.of(e).toAbsolutePath();
      out.add(p);
      if (!p.toString().endsWith(".jar") || !Files.isRegularFile(p)) continue;
      try (JarFile jar = new JarFile(p.toFile())) {
        String cp = jar.getManifest() == null ? null : jar.getManifest().getMainAttributes().getValue("Class-Path");
        if (cp == null) continue;
        for (String rel : cp.trim().split("\\s+")) {
          Path lib = p.getParent().resolve(rel).normalize();
          if (Files.exists(lib)) out.add(lib);
        }
      } catch (IOException ex) {
        // a jar that cannot be opened lists nothing more; Beam stages what it finds itself
      }
    }
    return out;
  }

  static long bytes(List<Path> files) {
    long n = 0;
    for (Path f : files) {
      try {
        n += Files.isRegularFile(f) ? Files.size(f) : 0;
      } catch (IOException e) {
        // counted as nothing
      }
    }
    return n;
  }
}
