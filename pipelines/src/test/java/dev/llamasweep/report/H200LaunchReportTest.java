package dev.llamasweep.report;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llamasweep.TestSpecs;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real run of experiments/gpu-launch.yaml on an H200 (its data directory is the fixture
 * h200/gpu-launch-run): the skeleton with CUDA graphs off is shown beside the one with them, the difference is
 * named as the launch overhead, and the twin never stands in as the fixed cost or bends the per-layer line.
 */
class H200LaunchReportTest {
  @TempDir Path dir;

  @Test
  void theLaunchOverheadIsTheTwinsDifferenceAndNeverTheFixedCost() throws Exception {
    Path data = dir.resolve("data/gpu-launch");
    TestSpecs.copyTree(Path.of("pipelines/src/test/resources/h200/gpu-launch-run"), data);
    TestSpecs.Planned p = TestSpecs.plan(Path.of("experiments/gpu-launch.yaml"), data, Path.of("").toAbsolutePath());
    TestSpecs.report(p.spec(), p.plans(), data, dir.resolve("reports/gpu-launch"));
    String md = Files.readString(dir.resolve("reports/gpu-launch/report.md"));
    assertTrue(md.contains("| dense7b | cuda | gpu_layers=99 flash_attn=true CUDA graphs off | 32 | 2.511 | 398.2 ± 14.3 | 15.05 MB | `e76a63596559` |"), md);
    // 2.511 − 0.914 = 1.597 ms, 175% of 0.914
    assertTrue(md.contains("its 32-layer skeleton takes 0.914 ms per token with graphs (`a718db479762`) and 2.511 ms with `GGML_CUDA_DISABLE_GRAPHS=1` "
        + "(`e76a63596559`): launching each kernel from the CPU costs **1.597 ms per token** more (175% of the token's fixed cost with graphs)"), md);
    // the per-layer line is the three skeletons with graphs, and the token's fixed cost is the one with graphs
    assertTrue(md.contains("16, 32 and 64 layers take 0.496, 0.914 and 1.906 ms per token"), md);
    assertTrue(md.matches("(?s).*= 0\\.914 ms fixed \\(its 32-layer skeleton, cell `a718db479762`\\).*"), md);
  }
}
