package dev.llamasweep.benchhost;

import dev.llamasweep.models.SyntheticModels;
import dev.llamasweep.build.Toolchain;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "setup", mixinStandardHelpOptions = true,
    description = {"Build the pinned llama.cpp and the synthetic models into the cache.",
        "The source is " + Toolchain.NPM_PACKAGE + " (llama.cpp commit " + Toolchain.COMMIT + "); does nothing for what is already built."})
public final class SetupCommand implements Callable<Integer> {
  @Option(names = "--cache", paramLabel = "DIR", description = "cache directory (default: $LLAMA_SWEEP_CACHE or ~/.cache/llama-sweep)")
  Path cache;

  @Option(names = "--model", paramLabel = "KIND:QUANT", split = ",",
      description = "synthetic models to make (default: ${DEFAULT-VALUE})")
  List<String> models = List.of("target:Q4_K_M", "draft:Q8_0");

  @Override
  public Integer call() {
    Toolchain tc = new Toolchain(cache != null ? cache : Toolchain.defaultCache(), System.err);
    Path bin = tc.ensureCpuBuild();
    System.out.println("llama.cpp " + Toolchain.COMMIT + " (CPU): " + bin);
    SyntheticModels sm = new SyntheticModels(tc, System.err, SyntheticModels.Shape.DEFAULT);
    for (String m : models) {
      String[] kq = m.split(":", 2);
      if (kq.length != 2) throw new IllegalArgumentException("--model takes KIND:QUANT such as target:Q4_K_M, not '" + m + "'.");
      System.out.println("synthetic " + kq[0] + " " + kq[1] + ": " + sm.ensure(kq[0], kq[1].toUpperCase()));
    }
    return 0;
  }
}
