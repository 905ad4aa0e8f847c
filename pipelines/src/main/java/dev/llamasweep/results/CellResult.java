package dev.llamasweep.results;

import dev.llamasweep.host.PowerRecord;
import dev.llamasweep.spec.QuietPolicy;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A cell's result.json, typed: how the run ended and everything recorded about it (its command, the
 * machine before it, power and heat, the rounds of an interleaved cell). Made once by the executor,
 * written and read back by {@link ResultJson} only; every other reader takes this record.
 *
 * Its parts are records of their own (how it ended, when, the command, what llama-bench reported, the
 * profiles); the accessors below read through them, so a reader never reaches into the parts.
 *
 * @param modelSize the model's bytes as the plan knew them (-1: from llama-bench's own record)
 * @param ingested where an ingested cell's records came from (null for a cell that ran here)
 */
public record CellResult(String id, Ending ending, Timing timing, Invocation invocation, Reported reported, long modelSize,
    Profiles profiles, PowerRecord power, CooldownWait cooldown, Machine machine, Order order, Ingested ingested) {

  /** @param exitCode the benchmark's exit code (null when it did not exit by itself) */
  public record Ending(CellStatus status, String reason, Integer exitCode) {}

  /**
   * @param timeoutS the timeout it ran under (null for a cell that was ingested, not run)
   * @param harnessCpuS CPU the orchestrating JVM used while the benchmark ran (near 0; large means it competed)
   */
  public record Timing(Instant started, Instant ended, double durationS, Long timeoutS, double harnessCpuS) {
    public static final Timing NOT_RUN = new Timing(null, null, 0, null, 0);
  }

  /** The command as it ran: argv, environment overrides, and the flag spellings the binary's --help gave. */
  public record Invocation(List<String> argv, Map<String, String> env, Map<String, String> flagDialect) {
    public static final Invocation NONE = new Invocation(List.of(), Map.of(), Map.of());

    public Invocation {
      argv = argv == null ? List.of() : List.copyOf(argv);
      env = env == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(env));
      flagDialect = flagDialect == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(flagDialect));
    }
  }

  /** @param build the build commit llama-bench reported ("" when unknown) */
  public record Reported(String build, String buildCommit, Long buildNumber, String backends) {
    public static final Reported NONE = new Reported(null, null, null, null);

    public Reported {
      build = build == null ? "" : build;
    }
  }

  /** The power profile the cell asked for and the one observed while it ran. */
  public record Profiles(String requested, String observed) {
    public static final Profiles NONE = new Profiles(null, null);
  }

  public CellStatus status() { return ending.status(); }
  public String reason() { return ending.reason(); }
  public Integer exitCode() { return ending.exitCode(); }
  public Instant started() { return timing.started(); }
  public Instant ended() { return timing.ended(); }
  public double durationS() { return timing.durationS(); }
  public Long timeoutS() { return timing.timeoutS(); }
  public double harnessCpuS() { return timing.harnessCpuS(); }
  public List<String> argv() { return invocation.argv(); }
  public Map<String, String> env() { return invocation.env(); }
  public Map<String, String> flagDialect() { return invocation.flagDialect(); }
  public String build() { return reported.build(); }
  public String buildCommit() { return reported.buildCommit(); }
  public Long buildNumber() { return reported.buildNumber(); }
  public String backends() { return reported.backends(); }
  public String requestedProfile() { return profiles.requested(); }
  public String observedProfile() { return profiles.observed(); }

  /** The machine's quiet check before the cell, with the note shown when it was not quiet (null when quiet). */
  public String machineNote() {
    return machine == null ? null : machine.note();
  }

  /** The cool-down before a cell: the limit, and what the hottest sensor did while the sweep waited. */
  public record CooldownWait(double maxTempC, String unknown, Double startTempC, Double waitedS, Double endTempC, Boolean reached) {}

  /** Whether the machine was quiet before the cell: CPU busy share, other llama.cpp processes, the busiest processes. */
  public record Machine(boolean quiet, double cpuBusy, List<String> llamaProcesses, List<String> busiest, double waitedS, QuietPolicy policy,
      String note) {}

  /**
   * How a cell run in rounds was ordered: interleaved with other arms or adaptive, its rounds, the time
   * between its measurements (overhead_s) and, for an adaptive cell, why it stopped adding rounds.
   */
  public record Order(String kind, String group, int rounds, double overheadS, String stopped, List<Round> round) {
    public Order {
      round = round == null ? List.of() : List.copyOf(round);
    }
  }

  /** One round of a cell run in rounds: one llama-bench invocation of a block of repetitions. */
  public record Round(int round, int repetitions, CellStatus status, String reason, Instant started, double wallS, double measuredS,
      PowerRecord power, CooldownWait cooldown) {}

  /** Where an ingested cell's records came from: the source file, each record's place in it, and a note on what it lacks. */
  public record Ingested(String source, List<String> records, String note) {}
}
