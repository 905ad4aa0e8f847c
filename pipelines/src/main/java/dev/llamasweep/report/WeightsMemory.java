package dev.llamasweep.report;

/**
 * Where a cell's weights live, which decides the walls its bandwidth is held against: system RAM
 * (CPU cells, integrated GPUs sharing memory, CPU-type Vulkan devices), a discrete GPU's own memory,
 * a partial offload split between the two (no single wall), or system RAM in a dataset whose given
 * wall is a GPU's (an ingested CPU record beside offloaded ones).
 */
public sealed interface WeightsMemory {
  WeightsMemory SYSTEM_RAM = new SystemRam();

  /** The memory in words, as the report names it. */
  String describe();

  record SystemRam() implements WeightsMemory {
    public String describe() {
      return "system RAM";
    }
  }

  /** System RAM, in a dataset whose one given wall is a GPU's: no wall of its own here. */
  record SystemRamApart() implements WeightsMemory {
    public String describe() {
      return "system RAM";
    }
  }

  /**
   * A discrete GPU's memory, as llama-bench lists the device ("CUDA0: NVIDIA H100 80GB HBM3").
   *
   * @param wallKey the walls/ directory of its probe ("cuda0"), or null when no probe covers it
   */
  record Gpu(String device, String wallKey) implements WeightsMemory {
    /** The device as llama-bench's --list-devices names it; a CUDA device's probe is walls/cuda&lt;n&gt;. */
    static Gpu of(String device) {
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("^CUDA(\\d+)\\b").matcher(device);
      return new Gpu(device, m.find() ? "cuda" + m.group(1) : null);
    }

    public String describe() {
      return device;
    }
  }

  /**
   * Not known: the host record that says which devices a backend used is missing or unreadable, and the
   * cell offloaded layers, so no wall (least of all system RAM's) may be held against it.
   */
  record Unknown(String why) implements WeightsMemory {
    public String describe() {
      return "an unknown memory (" + why + ")";
    }
  }

  /** Some layers on a GPU, the rest in system RAM: a token reads from both, so neither wall bounds it alone. */
  record Split(long layers, long of, String device) implements WeightsMemory {
    /** "20 of 33 layers on CUDA0: NVIDIA H100 80GB HBM3". */
    public String what() {
      return layers + " of " + of + " layers on " + device;
    }

    public String describe() {
      return "split: " + what();
    }
  }
}
