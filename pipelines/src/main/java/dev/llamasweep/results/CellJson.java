package dev.llamasweep.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llamasweep.spec.Bench;
import dev.llamasweep.spec.Cell;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one codec of a raw directory's cell.json: which grid cell it holds (id, bench, parameters,
 * experiments) and the spec it came from. Parameters read back typed: whole numbers as Long, other
 * numbers as Double, booleans as Boolean, the rest as text, as the grid made them.
 */
public final class CellJson {
  public static final String FILE = "cell.json";

  private CellJson() {}

  /** A cell.json's content. */
  public record Stored(String spec, Cell cell) {}

  public static void write(Path cellDir, String spec, Cell cell) throws IOException {
    ObjectNode n = RawStore.JSON.createObjectNode();
    n.put("id", cell.id());
    n.put("spec", spec);
    n.put("bench", cell.bench().word);
    n.set("params", RawStore.JSON.valueToTree(cell.params().asMap()));
    n.set("experiments", RawStore.JSON.valueToTree(cell.experiments()));
    RawStore.JSON.writerWithDefaultPrettyPrinter().writeValue(cellDir.resolve(FILE).toFile(), n);
  }

  public static Stored read(Path cellDir) throws IOException {
    JsonNode n = dev.llamasweep.io.InputFiles.json(cellDir.resolve(FILE), dev.llamasweep.io.InputFiles.Kind.RECORD);
    Map<String, Object> stored = new TreeMap<>();
    n.path("params").fields().forEachRemaining(e -> stored.put(e.getKey(), e.getValue().isIntegralNumber() ? (Object) e.getValue().asLong()
        : e.getValue().isNumber() ? (Object) e.getValue().asDouble() : e.getValue().isBoolean() ? (Object) e.getValue().asBoolean() : e.getValue().asText()));
    dev.llamasweep.spec.Params params = dev.llamasweep.spec.Params.read(stored, cellDir.resolve(FILE).toString());
    List<String> experiments = new ArrayList<>();
    n.path("experiments").forEach(x -> experiments.add(x.asText()));
    Bench bench = n.hasNonNull("bench") ? Bench.of(n.get("bench").asText()) : Bench.LLAMA_BENCH;
    return new Stored(n.path("spec").asText(""), new Cell(n.path("id").asText(cellDir.getFileName().toString()), bench, params, List.copyOf(experiments)));
  }
}
