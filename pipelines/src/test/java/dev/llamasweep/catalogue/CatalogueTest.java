package dev.llamasweep.catalogue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every catalogue shape holds the parameters its model card publishes, total and per token, to the card's precision. */
class CatalogueTest {
  /** |ours − card| under one unit of the card's last digit: cards round or cut ("3.3B" for 3.35B), nothing more. */
  static void withinCardRounding(double card, double ours, int digits, String what) {
    double unit = Math.pow(10, Math.floor(Math.log10(card)) - digits + 1);
    assertTrue(Math.abs(ours - card) < unit, String.format("%s: %.4g, the card says %s (±%.2g)", what, ours, card, unit));
  }

  @Test
  void everyShapeHasTheCardsParameterCounts() {
    for (CatalogueModel s : Catalogue.ALL) {
      CatalogueModel.Published p = s.published();
      withinCardRounding(p.params(), s.params(), p.digits(), s.name() + " total parameters");
      double active = s.activeParams() + (p.activeCountsEmbedding() && s.tensors().stream().anyMatch(t -> t.name().equals("output.weight"))
          ? s.embeddingParams() : 0);
      withinCardRounding(p.activeParams(), active, p.digits(), s.name() + " active parameters");
    }
  }

  @Test
  void theCatalogueNamesEachShapeOnceAndCoversWhatTheIssueAsks() {
    Set<String> ids = new HashSet<>(Catalogue.ids());
    assertEquals(Catalogue.ALL.size(), ids.size());
    for (String id : new String[] {"qwen3-0.6b", "qwen3-8b", "qwen3-14b", "qwen3-30b-a3b", "llama-3.1-8b", "gpt-oss-20b", "gemma-3-12b", "deepseek-v2-lite"}) {
      assertNotNull(Catalogue.of(id), id);
    }
    for (CatalogueModel s : Catalogue.ALL) {
      assertTrue(s.source().startsWith("https://huggingface.co/") && s.source().endsWith("config.json"), s.source());
      Set<String> names = new HashSet<>();
      s.tensors().forEach(t -> assertTrue(names.add(t.name()), s.id() + " repeats " + t.name()));
    }
  }
}
