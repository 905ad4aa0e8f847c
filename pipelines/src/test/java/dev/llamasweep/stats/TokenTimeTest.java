package dev.llamasweep.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Time per token = fixed + bytes / bandwidth, on hand-computed cases of both regimes. */
class TokenTimeTest {
  @Test
  void aBigGpuIsBoundByTheFixedCostAndItsCeilingKeepsIt() {
    // the H200 case: 7B Q4_0 at 352 t/s (2.84 ms), a 32-layer skeleton at 0.88 ms reading 22 MB, 3.751 GB per token
    TokenTime t = TokenTime.of(352.1, 1136.4, 3.751e9, 22e6);
    assertEquals(2.840, t.tokenMs(), 0.001);
    assertEquals(0.880, t.fixedMs(), 0.001);
    assertEquals(1.960, t.movingMs(), 0.001);
    // (3.751 − 0.022) GB / 1.960 ms = 1.90 TB/s
    assertEquals(1902.6, t.reachedGBs(), 1.0);
    assertEquals(TokenTime.Bound.KERNELS, t.bound(4481.0), "1.96 of 2.84 ms moves bytes, but at 42% of the wall: not the memory's limit");
    assertEquals(TokenTime.Bound.NO_WALL, t.bound(null), "without the memory's wall, 42% and 100% look alike: no bound is named");
    assertEquals(1136.4, t.tpsInfiniteBandwidth(), 0.1);
    // at the measured 4481 GB/s: 1000 / (0.88 + 3.729 / 4481 × 1000) = 1000 / 1.712 = 584 t/s, not the 1,283 the bytes alone promise
    assertEquals(584.0, t.tpsAtWall(4481), 1.0);
  }

  @Test
  void aSmallModelOnAFastGpuIsBoundByItsFixedCost() {
    // a 22 MB skeleton at 0.88 ms and a 300 MB model at 1.3 ms: 68% of the token is fixed
    TokenTime t = TokenTime.of(1000 / 1.3, 1000 / 0.88, 300e6, 22e6);
    assertEquals(0.677, t.fixedShare(), 0.001);
    assertEquals(TokenTime.Bound.FIXED_COST, t.bound(3000.0));
  }

  @Test
  void aLaptopCpuIsBoundByMemory() {
    // the seed's 8B at 13.41 t/s (74.6 ms) with a 2 ms skeleton: 97% of the time moves 5.03 GB
    TokenTime t = TokenTime.of(13.41, 500, 5.03e9, 20e6);
    assertEquals(TokenTime.Bound.MEMORY, t.bound(89.6 * 0.8));
    assertEquals(5.01e9 / 0.07257 / 1e9, t.reachedGBs(), 0.1);
    assertEquals(1000 / (2 + 5.01e9 / 89.6e9 * 1000), t.tpsAtWall(89.6), 1e-9);
  }

  @Test
  void aTokenNoSlowerThanItsSkeletonIsAllFixedCost() {
    TokenTime t = TokenTime.of(1000, 990, 30e6, 22e6);
    assertEquals(0, t.movingMs(), 1e-12);
    assertEquals(Double.NaN, t.reachedGBs());
    assertEquals(TokenTime.Bound.FIXED_COST, t.bound(50.0));
  }

  @Test
  void aSkeletonFarSlowerThanItsModelSplitsNothing() {
    // measured on a busy machine: 5.487 ms per token, its skeleton 10.620 ms
    TokenTime t = new TokenTime(5.487, 10.620, 113e6, 1e6);
    assertEquals(TokenTime.Bound.UNRESOLVED, t.bound(46.6));
    assertEquals(TokenTime.Bound.FIXED_COST, new TokenTime(5.487, 5.9, 113e6, 1e6).bound(46.6), "within 10%: all fixed cost");
  }
}
