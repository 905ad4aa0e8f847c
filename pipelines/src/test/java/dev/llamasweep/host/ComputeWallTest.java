package dev.llamasweep.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** test-backend-ops perf output as the pinned build prints it on this VM (colour codes included) and as a GPU prints it. */
class ComputeWallTest {
  static final String CPU = "Testing 2 devices\n\nBackend 1/2: CPU\n  Device description: AMD EPYC\n"
      + "  MUL_MAT(type_a=q4_K,type_b=f32,m=4096,n=512,k=14336,bs=[1,1],nr=[1,1],per=[0,1,2,3],k_v=0,o=1,src_overlap=0):"
      + "                    3 runs - 391759.00 us/run -  60.13 GFLOP/run - \u001B[1;34m153.49 GFLOPS\u001B[0m\n"
      + "  Backend CPU: \u001B[1;32mOK\u001B[0m\n1/1 backends passed\n";

  @Test
  void theRateIsReadFromItsOwnCaseWithColoursOrWithout() {
    ComputeWall.Measured m = ComputeWall.parse("cpu", "q4_K", CPU, "cmd", "bin", "host");
    assertEquals(0.15349, m.tflops(), 1e-9);
    assertEquals(391759.0, m.usPerRun());
    assertEquals(3, m.runs());
    assertEquals("0.153 TFLOP/s (test-backend-ops perf, MUL_MAT q4_K 4096×14336 by 512 columns, 3 runs of 391.8 ms)", m.describe());
    String gpu = "  MUL_MAT(type_a=q4_0,type_b=f32,m=4096,n=512,k=14336,bs=[1,1],nr=[1,1],per=[0,1,2,3],k_v=0,o=1,src_overlap=0):"
        + "     3336 runs -   315.32 us/run -  60.13 GFLOP/run - 190.70 TFLOPS\n";
    assertEquals(190.70, ComputeWall.parse("cuda", "q4_0", gpu, "c", "b", "h").tflops(), 1e-9);
    assertNull(ComputeWall.parse("cuda", "q4_K", gpu, "c", "b", "h"), "another type's case is not this type's wall");
    assertNull(ComputeWall.parse("cpu", "q4_K", "  MUL_MAT(type_a=q4_K,type_b=f32,m=4096,n=512,k=14336,...): not supported\n", "c", "b", "h"));
  }

  @Test
  void theCaseFilterAndDeviceFollowTheBuild() {
    assertEquals("type_a=q4_K,type_b=f32,m=4096,n=512,k=14336,", ComputeWall.caseFilter("q4_K"));
    assertEquals("CUDA0", ComputeWall.deviceFor("cuda"));
    assertEquals("CPU", ComputeWall.deviceFor("cpu"));
  }
}
