package dev.llamasweep.host;

import dev.llamasweep.llamacpp.BenchRecord;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/** Something that watches the machine while a cell runs (power, heat) and says what it saw. */
public interface CellSensor {
  /** Starts watching, just before the benchmark starts. */
  Watch start();

  /** The hottest temperature sensor now, in °C, or null when the machine exposes none. */
  default Double hottestC() {
    return null;
  }

  /** A running watch. */
  interface Watch {
    /** Stops, writes its trace into the cell's directory and returns what it saw (null when nothing was watched). */
    PowerRecord stop(Path cellDir, List<BenchRecord> records, Instant start, Instant end);
  }

  /** No sensor: nothing is watched (tests, ingest). */
  CellSensor NONE = () -> (dir, records, start, end) -> null;
}
