package dev.llamasweep.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** CUDA architectures for CMake from nvidia-smi's compute capabilities. */
class CudaBuildTest {
  @Test
  void computeCapabilitiesBecomeCmakeArchitectures() {
    assertEquals("90", CmakeConfig.cudaArchitectures("9.0\n"));
    assertEquals("86;90", CmakeConfig.cudaArchitectures("9.0\n8.6\n9.0\n"));
    assertNull(CmakeConfig.cudaArchitectures("[N/A]\n"));
  }
}
