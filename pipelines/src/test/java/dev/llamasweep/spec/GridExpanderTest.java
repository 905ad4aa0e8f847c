package dev.llamasweep.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GridExpanderTest {
  @TempDir Path dir;

  List<Cell> cells(String grid, String exclude) throws IOException {
    Path f = dir.resolve("s.yaml");
    Files.writeString(f, """
        name: t
        models: {a: {path: /a.gguf}, b: {path: /b.gguf}, c: {path: /c.gguf}}
        backends: {cpu: {bin: /x}, vk: {bin: /y}}
        experiments:
          - name: e
            grid: %s
            exclude: %s
        """.formatted(grid, exclude));
    return GridExpander.cells(new SpecLoader(dir).load(f));
  }

  static Set<String> ids(List<Cell> cells) {
    return cells.stream().map(Cell::id).collect(Collectors.toSet());
  }

  @Test
  void cartesianProductFirstAxisOutermost() throws IOException {
    List<Cell> cs = cells("{model: [a, b], backend: [cpu, vk], mmap: [true, false]}", "[]");
    assertEquals(8, cs.size());
    assertEquals("a", cs.get(0).model());
    assertEquals("a", cs.get(3).model());
    assertEquals("b", cs.get(4).model());
    assertEquals(8, ids(cs).size(), "ids are distinct");
  }

  @Test
  void sameSpecSameIds() throws IOException {
    assertEquals(cells("{model: [a, b], backend: [cpu]}", "[]").stream().map(Cell::id).toList(),
        cells("{model: [a, b], backend: [cpu]}", "[]").stream().map(Cell::id).toList());
  }

  @Test
  void addingAnAxisValueKeepsExistingIds() throws IOException {
    Set<String> before = ids(cells("{model: [a, b], backend: [cpu], threads: [1, 2]}", "[]"));
    Set<String> after = ids(cells("{model: [a, b, c], backend: [cpu, vk], threads: [1, 2, 4]}", "[]"));
    assertTrue(after.containsAll(before), "old cells keep their ids");
    assertEquals(18, after.size());
  }

  @Test
  void axisOrderInTheSpecDoesNotChangeIds() throws IOException {
    assertEquals(ids(cells("{model: [a], backend: [cpu], mmap: [true]}", "[]")),
        ids(cells("{mmap: [true], backend: [cpu], model: [a]}", "[]")));
  }

  @Test
  void idsDependOnEveryParameter() {
    // one value per axis, then each axis changed alone (and removed alone): every change is a new id
    Map<Axis, Object> base = new java.util.EnumMap<>(Axis.class);
    Map<Axis, Object> other = new java.util.EnumMap<>(Axis.class);
    for (Axis a : Axis.values()) {
      switch (a.type) {
        case MODEL, BACKEND, WORD -> { base.put(a, "x"); other.put(a, "y"); }
        case COUNT, POSITIVE -> { base.put(a, 1L); other.put(a, 2L); }
        case BOOL -> { base.put(a, true); other.put(a, false); }
        case THREADS -> { base.put(a, 4L); other.put(a, "auto"); }
      }
    }
    java.util.Set<String> ids = new java.util.HashSet<>();
    ids.add(Cell.of(Bench.LLAMA_BENCH, base).id());
    ids.add(Cell.of(Bench.SPECULATIVE, base).id());
    for (Axis a : Axis.values()) {
      Map<Axis, Object> changed = new java.util.EnumMap<>(base);
      changed.put(a, other.get(a));
      assertTrue(ids.add(Cell.of(Bench.LLAMA_BENCH, changed).id()), a.key + " changed keeps the id");
      changed.remove(a);
      assertTrue(ids.add(Cell.of(Bench.LLAMA_BENCH, changed).id()), a.key + " removed keeps the id");
    }
    assertEquals(2 + 2 * Axis.values().length, ids.size());
  }

  @Test
  void excludeRemovesMatchingPoints() throws IOException {
    List<Cell> cs = cells("{model: [a, b], backend: [cpu, vk]}", "[{model: b, backend: vk}]");
    assertEquals(3, cs.size());
    assertTrue(cs.stream().noneMatch(c -> c.model().equals("b") && c.backend().equals("vk")));
  }

  @Test
  void cellSharedByTwoExperimentsRunsOnce() throws IOException {
    Path f = dir.resolve("two.yaml");
    Files.writeString(f, """
        name: t
        models: {a: {path: /a.gguf}}
        backends: {cpu: {bin: /x}}
        experiments:
          - {name: one, grid: {model: a, backend: cpu, mmap: [true, false]}}
          - {name: two, grid: {model: a, backend: cpu, mmap: [true]}}
        """);
    List<Cell> cs = GridExpander.cells(new SpecLoader(dir).load(f));
    assertEquals(2, cs.size());
    assertEquals(List.of("one", "two"), cs.get(0).experiments());
  }

  @Test
  void selectByPrefixAndWhere() throws IOException {
    List<Cell> cs = cells("{model: [a, b], backend: [cpu, vk], mmap: [true, false]}", "[]");
    Cell one = cs.get(5);
    assertEquals(List.of(one), CellSelector.byIdPrefixes(cs, List.of(one.id().substring(0, 8))));
    List<Cell> w = CellSelector.where(cs, CellSelector.parseWhere("model=b,mmap=false"));
    assertEquals(2, w.size());
    assertTrue(w.stream().allMatch(c -> c.model().equals("b") && Boolean.FALSE.equals(c.get(Axis.MMAP))));
    assertEquals(4, CellSelector.where(cs, Map.of("experiment", "e", "backend", "vk")).size());
    assertThrows(IllegalArgumentException.class, () -> CellSelector.byIdPrefixes(cs, List.of("zzzz")));
    assertThrows(IllegalArgumentException.class, () -> CellSelector.byIdPrefixes(cs, List.of("")));
    assertThrows(IllegalArgumentException.class, () -> CellSelector.parseWhere("nonsense=1"));
  }

  /**
   * Resuming and `make cell` depend on ids never changing: these two were computed by the code that made
   * every data directory so far (before the bench became a type), and must stay what they are.
   */
  @Test
  void knownCellIdsArePinned() {
    Map<Axis, Object> v = new java.util.EnumMap<>(Axis.class);
    v.put(Axis.MODEL, "target");
    v.put(Axis.BACKEND, "cpu");
    v.put(Axis.PROMPT, 512L);
    v.put(Axis.GENERATE, 128L);
    v.put(Axis.REPETITIONS, 5L);
    v.put(Axis.MMAP, true);
    assertEquals("a151ae81f1eb", Cell.of(Bench.LLAMA_BENCH, v).id());
    Map<Axis, Object> s = new java.util.EnumMap<>(Axis.class);
    s.put(Axis.MODEL, "target");
    s.put(Axis.BACKEND, "cpu");
    s.put(Axis.DRAFT, "draft");
    s.put(Axis.DRAFT_MAX, 8L);
    s.put(Axis.GENERATE, 128L);
    assertEquals("b5a2be777cbe", Cell.of(Bench.SPECULATIVE, s).id());
  }
}
