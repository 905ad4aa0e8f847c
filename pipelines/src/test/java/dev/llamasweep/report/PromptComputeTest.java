package dev.llamasweep.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The prompt-processing bound rule on hand-computed cases. */
class PromptComputeTest {
  @Test
  void aGpuPromptAtThreeQuartersOfItsMatrixRateIsComputeBound() {
    // the H200's 7B pp512: 13.35 GFLOP per token × 11,126 t/s = 148.5 TFLOP/s against test-backend-ops' 191.5 (78%)
    assertEquals("compute", PromptCompute.bound(13.35e9 * 11_126 / 1e12, 191.5).words);
    assertEquals("below the compute wall", PromptCompute.bound(60, 191.5).words, "31%: other work takes most of the time");
  }

  @Test
  void aCpuPromptFasterThanTheKernelBenchmarkNamesNoBound() {
    // this VM: 0.229 TFLOP/s for the Q4_K target's pp512 against test-backend-ops' 0.109 (no repacked layouts there)
    assertEquals("not named: the prompt beat the kernel benchmark, so its rate is no ceiling here", PromptCompute.bound(0.229, 0.109).words);
    assertEquals("compute", PromptCompute.bound(0.112, 0.109).words, "within 5% above: measurement noise, still the wall");
    assertEquals("not named (no compute wall measured)", PromptCompute.bound(0.229, null).words);
  }

  /** A label and its shape are one codec: every label llama-bench writes reads back as the shape it was made from. */
  @Test
  void aTestLabelAndItsShapeAreOneCodec() {
    for (var s : java.util.List.of(new dev.llamasweep.llamacpp.TestShape(512, 0, 0), new dev.llamasweep.llamacpp.TestShape(512, 0, 2048),
        new dev.llamasweep.llamacpp.TestShape(0, 128, 0), new dev.llamasweep.llamacpp.TestShape(0, 128, 4096),
        new dev.llamasweep.llamacpp.TestShape(512, 128, 0), new dev.llamasweep.llamacpp.TestShape(512, 128, 1024))) {
      assertEquals(s, dev.llamasweep.llamacpp.TestShape.ofLabel(s.label()), s.label());
    }
    assertEquals("pp512+tg128 @ d1024", new dev.llamasweep.llamacpp.TestShape(512, 128, 1024).label());
    assertEquals(new dev.llamasweep.llamacpp.TestShape(0, 0, 0), dev.llamasweep.llamacpp.TestShape.ofLabel("speculative"));
  }
}
