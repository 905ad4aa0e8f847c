package dev.llamasweep.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** A cell's parameters as one type: accessors, defaults defined once, and the stored forms typed back. */
class ParamsTest {
  @Test
  void accessorsTypeEachAxisAndDefaultsComeFromTheBench() {
    Map<Axis, Object> v = new EnumMap<>(Axis.class);
    v.put(Axis.MODEL, "target");
    v.put(Axis.BACKEND, "cpu");
    v.put(Axis.GPU_LAYERS, 0L);
    Params p = Params.of(Bench.LLAMA_BENCH, v);
    assertEquals("target", p.model());
    assertEquals(5, p.repetitions(), "llama-bench's default repetitions");
    assertEquals(128, p.generate(), "llama-bench's default tg128");
    assertEquals(0, p.draftMax(), "no drafting unless asked");
    assertTrue(p.cpuOnly());
    assertEquals(null, p.profile(), "no profile: leave it as it is");
    Params s = Params.of(Bench.SPECULATIVE, Map.of(Axis.MODEL, "t", Axis.DRAFT_MAX, 8L, Axis.DRAFT, "d"));
    assertEquals(256, s.generate(), "a speculative run's default: the seed's 256 tokens");
    assertEquals(8, s.draftMax());
    assertFalse(s.gpuLayers().isPresent(), "unset is llama-bench's own default, not 0");
    assertFalse(s.cpuOnly());
  }

  @Test
  void adaptiveRepetitionsAreAType() {
    Params p = Params.of(Bench.LLAMA_BENCH, Map.of(Axis.REPETITIONS, 3L, Axis.ADAPTIVE, new Params.Adaptive(30, 1.5).word()));
    assertEquals(new Params.Adaptive(30, 1.5), p.adaptive().orElseThrow());
    assertEquals(0.015, p.adaptive().get().targetFraction(), 1e-12);
    assertEquals(3, p.repetitions(), "an adaptive cell's repetitions are its minimum");
    assertThrows(IllegalArgumentException.class, () -> Params.read(Map.of("adaptive", "max=;x"), "f").adaptive());
  }

  @Test
  void storedTextReadsBackAsTheValuesTheGridMadeWithTheSameId() {
    Map<Axis, Object> v = new EnumMap<>(Axis.class);
    v.put(Axis.MODEL, "m");
    v.put(Axis.THREADS, "auto");
    v.put(Axis.PROMPT, 512L);
    v.put(Axis.MMAP, false);
    v.put(Axis.PROFILE, "1");
    Params p = Params.of(Bench.LLAMA_BENCH, v);
    Map<String, String> text = new TreeMap<>();
    p.asMap().forEach((k, x) -> text.put(k, String.valueOf(x)));
    Params back = Params.read(text, "cells.csv:2");
    assertEquals(p, back);
    assertEquals(p.id(), back.id());
    assertEquals("1", back.get(Axis.PROFILE), "a profile named 1 stays a name: types come from the axis, not from how the text looks");
    assertEquals(512L, back.get(Axis.PROMPT));
  }

  @Test
  void aStoredValueItsAxisCannotHoldIsOneSentenceNamingWhere() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Params.read(Map.of("prompt", "5x"), "cells.csv:3"));
    assertEquals("cells.csv:3: prompt must be a whole number, not '5x'.", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Params.read(Map.of("mmap", "yes"), "cells.csv:4"));
    assertEquals("cells.csv:4: mmap must be true or false, not 'yes'.", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Params.read(Map.of("colour", "red"), "raw/x/cell.json"));
    assertTrue(e.getMessage().startsWith("raw/x/cell.json: 'colour' is not a parameter llama-sweep knows"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Params.read(Map.of("bench", "llama-bnech"), "raw/x/cell.json"));
    assertEquals("raw/x/cell.json: bench must be one of llama-bench, speculative, batch, server, not 'llama-bnech'.", e.getMessage());
  }

  @Test
  void aSkeletonsFactsTravelBesideTheAxesButAreNotPartOfTheId() {
    Params p = Params.of(Bench.LLAMA_BENCH, Map.of(Axis.MODEL, "m@skeleton-L4"));
    Params s = p.asSkeleton(new Params.Skeleton("m", 4, 1.5e6));
    assertEquals(p.id(), s.id());
    assertEquals(s, Params.read(s.asMap(), "cell.json"));
    assertEquals("m", Params.read(s.asMap(), "cell.json").skeleton().orElseThrow().of());
  }
}
