package dev.llamasweep.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The one codec of a drift anchor's anchor.json (data/&lt;spec&gt;/drift/&lt;time&gt;-&lt;cell&gt;/): which cell was
 * measured again, why then, how it ended, when, under which power profile and with which command.
 */
public final class AnchorJson {
  public static final String FILE = "anchor.json";

  private AnchorJson() {}

  /** One measurement of the anchor cell, as recorded; its samples are in stdout.jsonl beside it. */
  public record Anchor(String anchor, String why, CellStatus status, String reason, Instant started, Instant ended, String observedProfile,
      List<String> argv) {
    public Anchor {
      argv = argv == null ? List.of() : List.copyOf(argv);
    }
  }

  public static void write(Path dir, Anchor a) throws IOException {
    ObjectNode n = RawStore.JSON.createObjectNode();
    n.put("anchor", a.anchor());
    n.put("why", a.why());
    n.put("status", a.status().word);
    if (a.reason() != null) n.put("reason", a.reason());
    n.put("started", a.started().toString());
    n.put("ended", a.ended().toString());
    n.put("observed_profile", a.observedProfile());
    ArrayNode argv = n.putArray("argv");
    a.argv().forEach(argv::add);
    RawStore.JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(FILE).toFile(), n);
  }

  public static Anchor read(Path dir) throws IOException {
    JsonNode n = dev.llamasweep.io.InputFiles.json(dir.resolve(FILE), dev.llamasweep.io.InputFiles.Kind.RECORD);
    List<String> argv = new ArrayList<>();
    n.path("argv").forEach(x -> argv.add(x.asText()));
    return new Anchor(n.path("anchor").asText(), n.path("why").asText(), CellStatus.of(n.path("status").asText()),
        n.hasNonNull("reason") ? n.get("reason").asText() : null, Instant.parse(n.path("started").asText()), Instant.parse(n.path("ended").asText()),
        n.hasNonNull("observed_profile") ? n.get("observed_profile").asText() : null, argv);
  }
}
