package dev.llamasweep.bench;

import dev.llamasweep.stats.Comparison;
import dev.llamasweep.stats.Estimate;
import dev.llamasweep.stats.Summaries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * make bench, the A/A test of the verdict rule: two arms with identical configurations (two names for
 * one model), a CPU hog started and stopped in the middle of each run, many trials; interleaved order
 * should call the arms "within noise" in at least 19 of 20, and sequential order's false-positive rate
 * is printed beside it. Arguments: WORK_DIR JAR CACHE_DIR TRIALS
 */
public final class AaBench {
  public static void main(String[] args) throws Exception {
    Path work = Path.of(args[0]);
    String jar = args[1];
    String cache = args[2];
    int trials = Integer.parseInt(args[3]);
    Random random = new Random(20261125);
    for (String order : List.of("interleaved", "sequential")) {
      Path spec = Files.writeString(work.resolve("aa-" + order + ".yaml"), """
          name: aa
          backends: {cpu: {build: cpu, threads: auto, gpu_layers: 0}}
          models: {a: {synthetic: target, quant: Q4_K_M}, b: {synthetic: target, quant: Q4_K_M}}
          defaults: {prompt: 0, generate: 32, repetitions: 6}
          experiments:
            - {name: aa, order: ORDER, rounds: 3, grid: {model: [a, b], backend: cpu}}
          """.replace("ORDER", order));
      double duration = run(jar, spec, work.resolve("calibrate-" + order), cache, -1, 0);
      int noise = 0;
      List<String> verdicts = new ArrayList<>();
      for (int t = 0; t < trials; t++) {
        double hogAt = duration * (0.35 + 0.2 * random.nextDouble());
        Path dir = work.resolve(order + "-" + t);
        run(jar, spec, dir, cache, hogAt, duration * 0.25);
        Map<Summaries.Key, Estimate> est = new java.util.LinkedHashMap<>();
        for (var row : dev.llamasweep.results.SummaryRow.read(dir.resolve("data/aa/aggregate.csv"))) est.put(new Summaries.Key(row.cell(), row.test()), row.estimate());
        List<Estimate> arms = new ArrayList<>(est.values());
        Comparison c = new Comparison(arms.get(1), arms.get(0));
        verdicts.add(c.verdictWord() + " " + c.formatChange());
        if (c.verdict() == Comparison.Verdict.WITHIN_NOISE) noise++;
      }
      System.out.printf("A/A %s order, CPU hog for a quarter of each run: within noise in %d of %d trials (false-positive rate %.0f%%); "
          + "run %.1f s without the hog%n", order, noise, trials, 100.0 * (trials - noise) / trials, duration);
      System.out.println("  verdicts: " + String.join("; ", verdicts));
    }
  }

  /** Runs the sweep; a hog (one busy loop per core) starts hogAt seconds in and runs hogFor seconds. Returns the wall time. */
  static double run(String jar, Path spec, Path dir, String cache, double hogAt, double hogFor) throws Exception {
    Files.createDirectories(dir);
    long t0 = System.nanoTime();
    Process p = new ProcessBuilder(List.of("java", "-jar", jar, "run", spec.toString(), "--force", "--data-root", dir.resolve("data").toString(),
        "--reports-root", dir.resolve("reports").toString(), "--cache", cache)).redirectErrorStream(true)
        .redirectOutput(dir.resolve("sweep.log").toFile()).start();
    List<Process> hogs = new ArrayList<>();
    if (hogAt >= 0) {
      if (!p.waitFor((long) (hogAt * 1000), TimeUnit.MILLISECONDS)) {
        for (int i = 0; i < Runtime.getRuntime().availableProcessors(); i++) {
          hogs.add(new ProcessBuilder("sh", "-c", "while :; do :; done").start());
        }
        p.waitFor((long) (hogFor * 1000), TimeUnit.MILLISECONDS);
        hogs.forEach(Process::destroyForcibly);
      }
    }
    p.waitFor(600, TimeUnit.SECONDS);
    for (Process h : hogs) h.waitFor(5, TimeUnit.SECONDS);
    return (System.nanoTime() - t0) / 1e9;
  }
}
