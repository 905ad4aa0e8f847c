package dev.llamasweep.execute;

import dev.llamasweep.host.PowerRecord;
import dev.llamasweep.results.CellResult;
import dev.llamasweep.results.ResultJson;
import dev.llamasweep.host.CellSensor;
import dev.llamasweep.results.RawStore;
import dev.llamasweep.results.CellStatus;

import dev.llamasweep.spec.Bench;
import dev.llamasweep.llamacpp.BenchRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Runs one cell: starts llama.cpp with the plan's argv, waits at most the timeout, and writes the
 * cell's raw directory (cell.json, command.sh, stdout, stderr, result.json) atomically. A crash, a
 * non-zero exit, output that is not a result, or a timeout are recorded, never thrown.
 */
public final class CellExecutor {
  private final RawStore store;
  private final CellSensor sensor;

  /**
   * The store a plan's raw directory belongs to: the sweep's (data/&lt;spec&gt;/raw/) or another one the plan
   * names (a skeleton cell's data/&lt;spec&gt;/fixed-cost/raw/), so one sweep runs both in one order.
   */
  private RawStore storeOf(CellPlan plan) {
    if (plan.rawDir() == null || plan.rawDir().isEmpty()) return store;
    Path raw = Path.of(plan.rawDir()).getParent();
    return raw == null || raw.equals(store.root()) ? store : new RawStore(raw.getParent());
  }

  public CellExecutor(RawStore store) {
    this(store, CellSensor.NONE);
  }

  /** @param sensor watches power and heat while each benchmark runs */
  public CellExecutor(RawStore store, CellSensor sensor) {
    this(store, sensor, Clock.SYSTEM);
  }

  /** @param clock what the cool-down and the quiet check wait by */
  public CellExecutor(RawStore store, CellSensor sensor, Clock clock) {
    this.store = store;
    this.sensor = sensor;
    this.clock = clock;
  }

  private final Clock clock;

  public record Outcome(String id, CellStatus status, String reason, double seconds, List<BenchRecord> records) {}

  /**
   * @param observedProfile the power profile active when the cell starts (or "unknown: why")
   * @param refusal when not null, the cell is recorded with this status and reason and nothing runs
   *     (a profile that could not be set, a backend that is unavailable)
   */
  public Outcome run(CellPlan plan, String observedProfile, CellStatus refusedAs, String refusal) {
    Path dir = storeOf(plan).newStaging(plan.id());
    try {
      writeCell(dir, plan);
      long harnessCpuNanos = 0;
      Run r;
      if (refusal != null) {
        r = new Run();
        r.start = Instant.now();
        r.end = r.start;
        r.status = refusedAs;
        r.reason = refusal;
        Files.createFile(dir.resolve("stdout.jsonl"));
        Files.writeString(dir.resolve("stderr.log"), "not run: " + refusal + "\n");
      } else {
        CellResult.CooldownWait cool = cooldown(plan);
        Quiet.Check quiet = awaitQuiet(plan);
        if (!quiet.quiet() && plan.quietPolicy() == dev.llamasweep.spec.QuietPolicy.REFUSE) {
          r = new Run();
          r.start = Instant.now();
          r.end = r.start;
          r.status = CellStatus.FAILED;
          r.reason = "the machine was not quiet (quiet: refuse): " + quiet.describe();
          Files.createFile(dir.resolve("stdout.jsonl"));
          Files.writeString(dir.resolve("stderr.log"), "not run: " + r.reason + "\n");
        } else {
          CellSensor.Watch watch = sensor.start();
          // the harness's CPU while the benchmark runs: what could compete with it (the sampler included)
          long cpu0 = BenchProcess.harnessCpuNanos();
          r = switch (plan.bench()) {
            case SPECULATIVE -> new ServerRun(plan, dir).run();
            case SERVER -> new ServedRun(plan, dir).run();
            case BATCH -> BenchProcess.runBatch(plan, dir);
            case LLAMA_BENCH -> BenchProcess.run(plan, dir);
          };
          harnessCpuNanos = BenchProcess.harnessCpuNanos() - cpu0;
          r.power = watch.stop(dir, r.records, r.start, r.end);
        }
        r.quiet = quiet;
        r.quietWaited = quietWaited;
        r.cooldown = cool;
      }
      r.observedProfile = observedProfile;
      double harnessCpu = harnessCpuNanos / 1e9;
      double seconds = Duration.between(r.start, r.end).toNanos() / 1e9;
      writeResult(dir, plan, r, seconds, harnessCpu);
      storeOf(plan).publish(dir, plan.id());
      return new Outcome(plan.id(), r.status, r.reason, seconds, r.records);
    } catch (IOException e) {
      throw new UncheckedIOException("writing the raw directory " + dir + " of cell " + plan.id(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running cell " + plan.id(), e);
    }
  }

  private double quietWaited;

  /**
   * Measures the drift anchor once more: the anchor cell's own command, run into
   * data/&lt;spec&gt;/drift/&lt;time&gt;-&lt;cell&gt;/ (stdout.jsonl, stderr.log, anchor.json), staged and renamed
   * like a cell, so a killed sweep never leaves half an anchor to be read. The cell's own result is untouched.
   */
  public Outcome anchor(CellPlan plan, String observedProfile, String why) {
    Path driftDir = store.root().getParent().resolve("drift");
    try {
      Files.createDirectories(driftDir);
      Path staging = Files.createTempDirectory(driftDir, ".staging-");
      Run r = BenchProcess.run(plan, staging);
      dev.llamasweep.results.AnchorJson.write(staging, new dev.llamasweep.results.AnchorJson.Anchor(plan.id(), why, r.status, r.reason, r.start,
          r.end, observedProfile, plan.argv()));
      String name = r.start.toString().replace(":", "").replace("-", "") + "-" + plan.id();
      Files.move(staging, driftDir.resolve(name), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      return new Outcome(plan.id(), r.status, r.reason, Duration.between(r.start, r.end).toNanos() / 1e9, r.records);
    } catch (IOException e) {
      throw new UncheckedIOException("writing a drift anchor under " + driftDir, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while measuring the drift anchor " + plan.id(), e);
    }
  }

  /**
   * With {@code cooldown:} in the spec, waits until the hottest sensor is below the limit (at most
   * max_wait_s) and returns what happened for result.json; null without a cooldown.
   */
  CellResult.CooldownWait cooldown(CellPlan plan) throws InterruptedException {
    if (plan.cooldown() == null) return null;
    double limit = plan.cooldown().maxTempC();
    Double start = sensor.hottestC();
    if (start == null) return new CellResult.CooldownWait(limit, "no temperature sensor on this machine, so no cool-down", null, null, null, null);
    Double t = start;
    long t0 = clock.nanoTime();
    while (t != null && t >= limit && clock.nanoTime() - t0 < plan.cooldown().maxWaitS() * 1_000_000_000L) {
      clock.sleep(1000);
      t = sensor.hottestC();
    }
    return new CellResult.CooldownWait(limit, null, start, Math.round((clock.nanoTime() - t0) / 1e8) / 10.0, t, t != null && t < limit);
  }

  /** The quiet check before a cell; with {@code quiet: wait}, re-checked each second for up to a minute. */
  private Quiet.Check awaitQuiet(CellPlan plan) throws InterruptedException {
    long t0 = clock.nanoTime();
    Quiet.Check q = Quiet.sample(java.util.Set.of());
    while (!q.quiet() && plan.quietPolicy() == dev.llamasweep.spec.QuietPolicy.WAIT && clock.nanoTime() - t0 < 60_000_000_000L) {
      clock.sleep(1000);
      q = Quiet.sample(java.util.Set.of());
    }
    quietWaited = (clock.nanoTime() - t0) / 1e9;
    return q;
  }

  /** A cell being run in rounds: its staging directory and what each round gave. */
  public static final class Staged {
    final CellPlan plan;
    final Path dir;
    final String observedProfile;
    /** The harness's CPU while this cell's rounds ran (not while other arms ran between them). */
    long harnessCpuNanos;
    final List<Run> rounds = new java.util.ArrayList<>();
    final List<Integer> reps = new java.util.ArrayList<>();
    final List<Quiet.Check> quiet = new java.util.ArrayList<>();

    Staged(CellPlan plan, Path dir, String observedProfile) {
      this.plan = plan;
      this.dir = dir;
      this.observedProfile = observedProfile;
    }

    /** Why an adaptive cell stopped adding rounds ("95% interval ±0.8% ≤ 1% after 9 repetitions"), or null. */
    String stopped;

    public CellPlan plan() { return plan; }

    public void stopped(String why) { stopped = why; }

    /** Repetitions run so far. */
    public int repetitions() {
      return reps.stream().mapToInt(Integer::intValue).sum();
    }

    /** The widest 95% interval half-width of any test so far, relative to its mean (NaN before two samples). */
    public double widestRelativeCi() {
      java.util.Map<String, List<Double>> byTest = new java.util.LinkedHashMap<>();
      for (Run r : rounds) for (BenchRecord b : r.records) byTest.computeIfAbsent(b.test(), t -> new java.util.ArrayList<>()).addAll(b.samplesTs());
      double worst = Double.NaN;
      for (List<Double> v : byTest.values()) {
        var e = dev.llamasweep.stats.Summaries.of(v.stream().mapToDouble(Double::doubleValue).toArray());
        double rel = e.ci95() / e.mean();
        if (Double.isNaN(worst) || rel > worst) worst = rel;
      }
      return worst;
    }

    /** Whether a round failed, so that later rounds of this cell are not run. */
    public boolean failed() {
      return rounds.stream().anyMatch(r -> r.status != CellStatus.OK);
    }
  }

  /** Starts a cell that runs in rounds (interleaved with other cells): nothing is published until {@link #finish}. */
  public Staged begin(CellPlan plan, String observedProfile) {
    Path dir = storeOf(plan).newStaging(plan.id());
    try {
      writeCell(dir, plan);
      Files.createDirectories(dir.resolve("rounds"));
    } catch (IOException e) {
      throw new UncheckedIOException("writing the raw directory " + dir + " of cell " + plan.id(), e);
    }
    return new Staged(plan, dir, observedProfile);
  }

  /** Runs one round of a cell: one llama-bench invocation with a block of {@code reps} repetitions, into rounds/&lt;k&gt;/. */
  public Run round(Staged s, int k, int reps) {
    try {
      Path dir = Files.createDirectories(s.dir.resolve("rounds").resolve(String.valueOf(k + 1)));
      CellResult.CooldownWait cool = cooldown(s.plan);
      Quiet.Check quiet = Quiet.sample(java.util.Set.of());
      s.quiet.add(quiet);
      List<String> argv = new java.util.ArrayList<>(s.plan.argv());
      int r = argv.indexOf("-r");
      if (r >= 0 && r + 1 < argv.size()) argv.set(r + 1, String.valueOf(reps));
      CellSensor.Watch watch = sensor.start();
      long cpu0 = BenchProcess.harnessCpuNanos();
      Run run = BenchProcess.run(s.plan, argv, dir);
      s.harnessCpuNanos += BenchProcess.harnessCpuNanos() - cpu0;
      run.power = watch.stop(dir, run.records, run.start, run.end);
      run.cooldown = cool;
      s.rounds.add(run);
      s.reps.add(reps);
      return run;
    } catch (IOException e) {
      throw new UncheckedIOException("writing round " + (k + 1) + " of cell " + s.plan.id() + " in " + s.dir, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running cell " + s.plan.id(), e);
    }
  }

  /** Joins the rounds (stdout.jsonl holds every round's records), writes result.json and publishes the cell. */
  public Outcome finish(Staged s) {
    try {
      Run r = new Run();
      r.start = s.rounds.isEmpty() ? Instant.now() : s.rounds.get(0).start;
      r.end = s.rounds.isEmpty() ? r.start : s.rounds.get(s.rounds.size() - 1).end;
      r.observedProfile = s.observedProfile;
      StringBuilder out = new StringBuilder();
      StringBuilder err = new StringBuilder();
      List<BenchRecord> records = new java.util.ArrayList<>();
      List<CellResult.Round> rounds = new java.util.ArrayList<>();
      double overhead = 0;
      for (int k = 0; k < s.rounds.size(); k++) {
        Run x = s.rounds.get(k);
        Path d = s.dir.resolve("rounds").resolve(String.valueOf(k + 1));
        out.append(Files.readString(d.resolve("stdout.jsonl")));
        // each round probed its own rpc-servers: the cell's rpc.jsonl holds every round's probes, in order
        Path probes = d.resolve(dev.llamasweep.results.RpcProbes.FILE);
        if (Files.isRegularFile(probes)) {
          Files.writeString(s.dir.resolve(dev.llamasweep.results.RpcProbes.FILE), Files.readString(probes), java.nio.file.StandardOpenOption.CREATE,
              java.nio.file.StandardOpenOption.APPEND);
        }
        err.append("=== round ").append(k + 1).append(" ===\n").append(Files.readString(d.resolve("stderr.log")));
        records.addAll(x.records);
        double wall = Duration.between(x.start, x.end).toNanos() / 1e9;
        double measured = x.records.stream().flatMap(b -> b.samplesNs().stream()).mapToLong(Long::longValue).sum() / 1e9;
        rounds.add(new CellResult.Round(k + 1, s.reps.get(k), x.status, x.reason, x.start, millis(wall), millis(measured), x.power, x.cooldown));
        if (x.status == CellStatus.OK) overhead += Math.max(0, wall - measured);
        if (x.status != CellStatus.OK && r.status == null) {
          r.status = x.status;
          r.reason = x.reason + " (in round " + (k + 1) + ")";
          r.exit = x.exit;
        }
      }
      Files.writeString(s.dir.resolve("stdout.jsonl"), out.toString());
      Files.writeString(s.dir.resolve("stderr.log"), err.toString());
      if (r.status == null) {
        r.status = CellStatus.OK;
        r.records = records;
        r.build = records.isEmpty() ? null : records.get(0).buildCommit();
        r.exit = 0;
      }
      Quiet.Check worst = s.quiet.stream().filter(q -> !q.quiet()).findFirst().orElse(s.quiet.isEmpty() ? null : s.quiet.get(0));
      r.quiet = worst;
      r.power = combinedPower(s.rounds);
      r.order = new CellResult.Order(s.plan.orderGroup() != null ? "interleaved" : "adaptive", s.plan.orderGroup(), s.rounds.size(),
          millis(overhead), s.stopped, rounds);
      double harnessCpu = s.harnessCpuNanos / 1e9;
      double seconds = Duration.between(r.start, r.end).toNanos() / 1e9;
      writeResult(s.dir, s.plan, r, seconds, harnessCpu);
      storeOf(s.plan).publish(s.dir, s.plan.id());
      return new Outcome(s.plan.id(), r.status, r.reason, seconds, r.records);
    } catch (IOException e) {
      throw new UncheckedIOException("writing the raw directory " + s.dir + " of cell " + s.plan.id(), e);
    }
  }

  /** The cell's power over all its rounds ({@link PowerRecord#ofRounds}). */
  static PowerRecord combinedPower(List<Run> rounds) {
    return PowerRecord.ofRounds(rounds.stream().map(r -> r.power).toList());
  }

  /** Seconds (or joules, watts) to the thousandth, as result.json holds them. */
  static double millis(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  /** How one cell's process(es) ended. */
  public static final class Run {
    public String statusWord() { return status.word; }
    public String reasonText() { return reason; }
    public List<BenchRecord> recordList() { return records; }

    Quiet.Check quiet;
    double quietWaited;
    PowerRecord power;
    CellResult.CooldownWait cooldown;
    CellResult.Order order;
    CellStatus status;
    String reason;
    Integer exit;
    Instant start;
    Instant end;
    List<BenchRecord> records = List.of();
    String build;
    String observedProfile;
  }

  private static void writeCell(Path dir, CellPlan plan) throws IOException {
    dev.llamasweep.results.CellJson.write(dir, plan.spec(), plan.entry().cell());
    if (plan.bench() == Bench.SPECULATIVE) {
      RawStore.JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("request.json").toFile(), plan.request());
    }
    String sh = "#!/bin/sh\n# llama-sweep cell " + plan.id() + " of spec " + dev.llamasweep.io.Shell.comment(plan.spec())
        + " (" + dev.llamasweep.io.Shell.comment(String.join(", ", plan.experiments())) + ")\n# re-run it: sh command.sh"
        + (plan.bench() == Bench.SPECULATIVE ? " (needs curl)" : "") + "\n" + plan.shellScript();
    Path script = dir.resolve("command.sh");
    Files.writeString(script, sh);
    script.toFile().setExecutable(true);
  }

  private void writeResult(Path dir, CellPlan plan, Run run, double seconds, double harnessCpu) throws IOException {
    BenchRecord first = run.records.isEmpty() ? null : run.records.get(0);
    CellResult.Machine machine = run.quiet == null ? null : new CellResult.Machine(run.quiet.quiet(), millis(run.quiet.busy()),
        run.quiet.llamaProcesses(), run.quiet.busiest(), Math.round(run.quietWaited * 10) / 10.0, plan.quietPolicy(),
        run.quiet.quiet() ? null : run.quiet.describe());
    // harness_cpu_s: CPU the orchestrating JVM itself used while the benchmark process ran (the power
    // sampler included; the checks before it are not): near 0, and a large value means the harness
    // competed with the benchmark for cores
    ResultJson.write(dir, new CellResult(plan.id(), new CellResult.Ending(run.status, run.reason, run.exit),
        new CellResult.Timing(run.start, run.end, millis(seconds), plan.timeoutSeconds(), millis(harnessCpu)),
        new CellResult.Invocation(plan.argv(), plan.env(), plan.dialect()),
        new CellResult.Reported(run.build, first == null ? null : first.buildCommit(), first == null ? null : first.buildNumber(),
            first == null ? null : first.backends()),
        plan.modelBytes(), new CellResult.Profiles(plan.profile(), run.observedProfile), run.power, run.cooldown, machine, run.order, null));
  }

}
