package dev.llamasweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The packages form a graph without cycles, the leaves stay leaves, and the domain code knows nothing of Beam. */
class ArchitectureTest {
  static final Path MAIN = Path.of("pipelines/src/main/java/dev/llamasweep");
  static final Pattern REF = Pattern.compile("dev\\.llamasweep\\.([a-z]+)\\.[A-Z*]");

  static Map<String, Set<String>> graph() throws Exception {
    Map<String, Set<String>> g = new TreeMap<>();
    try (var pkgs = Files.list(MAIN)) {
      for (Path p : pkgs.filter(Files::isDirectory).toList()) {
        String name = p.getFileName().toString();
        Set<String> deps = new TreeSet<>();
        try (var files = Files.walk(p)) {
          for (Path f : files.filter(x -> x.toString().endsWith(".java")).toList()) {
            Matcher m = REF.matcher(Files.readString(f));
            while (m.find()) if (!m.group(1).equals(name)) deps.add(m.group(1));
          }
        }
        g.put(name, deps);
      }
    }
    return g;
  }

  @Test
  void noPackageCycles() throws Exception {
    Map<String, Set<String>> g = graph();
    List<String> cycles = new ArrayList<>();
    for (String start : g.keySet()) {
      // depth-first search from each package back to itself
      List<List<String>> stack = new ArrayList<>(List.of(List.of(start)));
      Set<String> seen = new TreeSet<>();
      while (!stack.isEmpty()) {
        List<String> path = stack.remove(stack.size() - 1);
        for (String d : g.getOrDefault(path.get(path.size() - 1), Set.of())) {
          if (d.equals(start)) cycles.add(String.join(" → ", path) + " → " + start);
          else if (seen.add(d)) {
            List<String> next = new ArrayList<>(path);
            next.add(d);
            stack.add(next);
          }
        }
      }
    }
    assertTrue(cycles.isEmpty(), "package cycles:\n" + String.join("\n", cycles) + "\ngraph: " + g);
  }

  /** Readers and renderers of a data directory take its typed rows, never an execution plan: a report renders on any machine. */
  @Test
  void renderersAndTheDataDirectoryKnowNothingOfExecution() throws Exception {
    Map<String, Set<String>> g = graph();
    for (String pkg : List.of("report", "results")) {
      Set<String> bad = new TreeSet<>(g.get(pkg));
      bad.retainAll(Set.of("execute", "benchhost", "sweep", "cli", "aggregation"));
      assertEquals(Set.of(), bad, pkg + " must not depend on execution or the command line");
    }
  }

  @Test
  void leavesAndDomainStayFreeOfTheRest() throws Exception {
    Map<String, Set<String>> g = graph();
    assertEquals(Set.of(), g.get("io"), "io is the leaf everything uses");
    assertEquals(Set.of(), g.get("stats"), "statistics are pure");
    for (String domain : List.of("io", "spec", "stats", "llamacpp", "gguf", "build", "models", "host", "execute", "sweep", "results", "benchhost")) {
      try (var files = Files.walk(MAIN.resolve(domain))) {
        for (Path f : files.filter(x -> x.toString().endsWith(".java")).toList()) {
          String s = Files.readString(f);
          assertTrue(!s.contains("org.apache.beam") && !s.contains("tech.tablesaw"), f + " is domain code: no Beam, no Tablesaw");
        }
      }
    }
  }
}
