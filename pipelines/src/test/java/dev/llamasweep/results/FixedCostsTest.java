package dev.llamasweep.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A damaged skeleton cell is one invalid row, named; it never stops a report. */
class FixedCostsTest {
  @TempDir Path data;

  @Test
  void aDamagedSkeletonCellIsInvalidByName() throws Exception {
    Path d = Files.createDirectories(data.resolve("fixed-cost/raw/abcdef012345"));
    Files.writeString(d.resolve("cell.json"), "{\"params\": ");
    List<FixedCosts.Skeleton> s = FixedCosts.read(data);
    assertEquals(1, s.size());
    assertEquals(CellStatus.INVALID, s.get(0).status());
    assertTrue(s.get(0).reason().startsWith("abcdef012345: "), s.get(0).reason());
    assertEquals(null, s.get(0).tg());
    assertEquals(List.of(), FixedCosts.read(data.resolve("elsewhere")), "no fixed-cost directory: nothing measured");
  }
}
