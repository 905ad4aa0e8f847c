package dev.llamasweep.bench;

import dev.llamasweep.gguf.GgufInfo;
import dev.llamasweep.gguf.GgufWriter;
import dev.llamasweep.aggregation.AggregatePipeline;
import dev.llamasweep.report.CorpusReport;
import dev.llamasweep.results.ModelHeaders;
import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * make bench, issue 10: a synthetic corpus (hosts × cells × {pp512, tg128} × repetitions, each host
 * with host.json, a measured wall, models.json and cells.csv) aggregated and rendered as the
 * `corpus` command does it, on the DirectRunner at 100k and 1M samples (linear growth), and on the
 * embedded Flink cluster at 1M. Run with -Xmx2g: the heap limit is part of the target.
 */
public final class CorpusBench {
  static final String[] MODELS = {"llama-2-7b-q4_0", "qwen3-8b-q4_k_m", "gemma-3-4b-q4_0", "mistral-7b-q4_0", "phi-4-q4_0"};

  public static void main(String[] args) throws Exception {
    Path work = Path.of(args[0]);
    Path header = work.resolve("llama7b-header.gguf");
    GgufWriter w = new GgufWriter().string("general.architecture", "llama").u32("llama.block_count", 32)
        .u32("llama.embedding_length", 4096).u32("llama.attention.head_count", 32).u32("llama.attention.head_count_kv", 32);
    dev.llamasweep.gguf.GgufTestFiles.llama7bTensors(w, 32000);
    w.writeHeaderOnly(header);
    String modelsJson = "{\"" + MODELS[0] + "\": " + ModelHeaders.toJson(MODELS[0], header, GgufInfo.read(header)).toString() + "}";

    System.out.printf(Locale.ROOT, "corpus bench: max heap %d MiB, %d cores%n", Runtime.getRuntime().maxMemory() >> 20,
        Runtime.getRuntime().availableProcessors());
    // first in this JVM, as a user's `corpus` command meets it: class loading and Beam's start-up included
    double cold = run(work.resolve("c1m"), 20, 500, 50, modelsJson, "DirectRunner");
    System.out.printf(Locale.ROOT, "DirectRunner, cold JVM: 1,000,000 samples aggregated and rendered in %.2f s (target ≤ 30 s)%n", cold);
    if (System.getProperty("bench.only1m") != null) return;
    // then warm, to show how the cost grows with the corpus
    double small = run(work.resolve("c100k"), 20, 50, 50, modelsJson, "DirectRunner");
    double big = run(work.resolve("c1m"), 20, 500, 50, modelsJson, "DirectRunner");
    System.out.printf(Locale.ROOT, "DirectRunner, warm: 100,000 samples %.2f s, 1,000,000 samples %.2f s: %.1f× the time for 10× the samples; "
        + "%.1f µs per added sample%n", small, big, big / small, (big - small) / 900_000 * 1e6);
    double flink = run(work.resolve("c1m"), 20, 500, 50, modelsJson, "FlinkRunner");
    System.out.printf(Locale.ROOT, "FlinkRunner (embedded [local] cluster, parallelism 2): 1,000,000 samples %.2f s%n", flink);
    boolean same = java.util.Arrays.equals(Files.readAllBytes(work.resolve("c1m/out-DirectRunner/aggregate.csv")),
        Files.readAllBytes(work.resolve("c1m/out-FlinkRunner/aggregate.csv")))
        && java.util.Arrays.equals(Files.readAllBytes(work.resolve("c1m/out-DirectRunner/corpus.md")),
        Files.readAllBytes(work.resolve("c1m/out-FlinkRunner/corpus.md")));
    System.out.println("Flink and Direct aggregate.csv and corpus.md byte-identical: " + same);
    if (!same) System.exit(1);
  }

  /** Generates the corpus once, then aggregates and renders it; returns the seconds of aggregation + rendering. */
  static double run(Path root, int hosts, int cellsPerHost, int reps, String modelsJson, String runner) throws Exception {
    List<Path> dirs = new ArrayList<>();
    long samples = 0;
    Random rnd = new Random(1);
    for (int h = 0; h < hosts; h++) {
      Path d = root.resolve(String.format("host-%02d", h));
      dirs.add(d);
      samples += (long) cellsPerHost * 2 * reps;
      if (Files.isRegularFile(d.resolve("samples.csv"))) continue;
      Files.createDirectories(d.resolve("walls/system-ram"));
      double wall = 40 + 10 * h;
      Files.writeString(d.resolve("host.json"), String.format(Locale.ROOT, """
          {"host": {"id": "%012x", "label": "bench-%02d (Synthetic CPU %d, %d cores, %d GiB)", "basis": "synthetic"},
           "facts": [{"name": "cpu_model", "value": "Synthetic CPU %d", "source": "bench"},
                     {"name": "logical_cores", "value": "%d", "source": "bench"},
                     {"name": "memory_total", "value": "%d GiB", "source": "bench"}],
           "peak_gb_s": %.1f, "peak_how": "synthetic", "backends": {}}
          """, 0xabc000 + h, h, h, 8 + h, 16 + h, h, 8 + h, 16 + h, wall * 1.3));
      Files.writeString(d.resolve("walls/system-ram/result.json"), String.format(Locale.ROOT,
          "{\"memory\": \"system-ram\", \"read_gb_s\": %.1f, \"triad_gb_s\": %.1f, \"threads\": 8, \"array_bytes\": 268435456, \"runs\": 10}", wall, wall * 0.9));
      Files.writeString(d.resolve("models.json"), modelsJson);
      try (BufferedWriter s = Files.newBufferedWriter(d.resolve("samples.csv")); BufferedWriter c = Files.newBufferedWriter(d.resolve("cells.csv"))) {
        s.write("cell,experiments,bench,model,backend,threads,test,rep,tokens_per_s\n");
        c.write("cell,experiments,bench,model,backend,threads,status,model_file,type_k,type_v\n");
        for (int i = 0; i < cellsPerHost; i++) {
          String cell = String.format("%06x%06x", h, i);
          String model = MODELS[i % MODELS.length];
          int threads = 1 + i / MODELS.length % 16;
          c.write(cell + ",grid,llama-bench," + model + ",cpu," + threads + ",ok," + model + ",f16,f16\n");
          for (String test : new String[] {"pp512", "tg128"}) {
            // tg reads ~3.7 GB per token: a host of W GB/s gets about 0.6 W / 3.7 t/s
            double base = test.equals("tg128") ? 0.6 * wall / 3.7 * Math.min(1, threads / 8.0) : 40.0 * threads;
            for (int r = 1; r <= reps; r++) {
              s.write(cell + ",grid,llama-bench," + model + ",cpu," + threads + "," + test + "," + r + ","
                  + Double.toString(base * (1 + rnd.nextGaussian() * 0.02)) + "\n");
            }
          }
        }
      }
    }
    Path out = root.resolve("out-" + runner);
    List<String> args = new ArrayList<>(List.of("--runner=" + runner));
    if (runner.equals("FlinkRunner")) args.addAll(List.of("--flinkMaster=[local]", "--parallelism=2"));
    long t0 = System.nanoTime();
    AggregatePipeline.run(PipelineOptionsFactory.fromArgs(args.toArray(String[]::new)).create(), dirs.stream().map(Path::toString).toList(),
        out.resolve("aggregate.csv").toString());
    long t1 = System.nanoTime();
    String md = CorpusReport.render(dirs, out.resolve("aggregate.csv"));
    Files.writeString(out.resolve("corpus.md"), md);
    long t2 = System.nanoTime();
    Runtime rt = Runtime.getRuntime();
    System.out.printf(Locale.ROOT, "%s: %,d samples, %d hosts × %d cells × 2 tests: aggregate %.2f s + render %.2f s = %.2f s (heap in use %d MiB)%n",
        runner, samples, hosts, cellsPerHost, (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t2 - t0) / 1e9, (rt.totalMemory() - rt.freeMemory()) >> 20);
    return (t2 - t0) / 1e9;
  }
}
