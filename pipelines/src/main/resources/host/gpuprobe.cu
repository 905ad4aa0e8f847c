// llama-sweep's GPU wall probe: facts from the CUDA runtime (the memory bus width, which nvidia-smi
// does not report, and the memory clock) and a read kernel streaming a buffer far larger than L2,
// best of N runs timed with CUDA events. Output is "key value" lines, parsed by host/GpuWall.java.
// Usage: gpuprobe DEVICE RUNS [BYTES...] — each BYTES (a model's own weight-matrix size) is also read the
// way llama.cpp generates a token: many reads of that size, back to back, captured in one CUDA graph and
// launched as one (llama.cpp's CUDA backend captures a token's kernels in a graph), best of RUNS.
#include <cstdio>
#include <cstdlib>
#include <cuda_runtime.h>

#define CHECK(x) do { cudaError_t e = (x); if (e != cudaSuccess) { printf("error %s: %s\n", #x, cudaGetErrorString(e)); return 1; } } while (0)

__global__ void read_kernel(const float4* __restrict__ a, size_t n, float* out) {
  float s = 0.f;
  size_t stride = (size_t)gridDim.x * blockDim.x;
  for (size_t i = (size_t)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += stride) {
    float4 v = a[i];
    s += v.x + v.y + v.z + v.w;
  }
  if (s == 1234.5f) out[0] = s;  // never true on zeroed memory; keeps every load
}

int main(int argc, char** argv) {
  int dev = argc > 1 ? atoi(argv[1]) : 0;
  int runs = argc > 2 ? atoi(argv[2]) : 20;
  CHECK(cudaSetDevice(dev));
  cudaDeviceProp p;
  CHECK(cudaGetDeviceProperties(&p, dev));
  int bus = 0, clk = 0, sms = 0, l2 = 0, major = 0, minor = 0;
  CHECK(cudaDeviceGetAttribute(&bus, cudaDevAttrGlobalMemoryBusWidth, dev));
  CHECK(cudaDeviceGetAttribute(&clk, cudaDevAttrMemoryClockRate, dev));
  CHECK(cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, dev));
  CHECK(cudaDeviceGetAttribute(&l2, cudaDevAttrL2CacheSize, dev));
  CHECK(cudaDeviceGetAttribute(&major, cudaDevAttrComputeCapabilityMajor, dev));
  CHECK(cudaDeviceGetAttribute(&minor, cudaDevAttrComputeCapabilityMinor, dev));
  printf("device %d\nname %s\nbus_width_bits %d\nmemory_clock_khz %d\nsm_count %d\nl2_bytes %d\ncompute_capability %d.%d\n",
         dev, p.name, bus, clk, sms, l2, major, minor);
  size_t free_b = 0, total_b = 0;
  CHECK(cudaMemGetInfo(&free_b, &total_b));
  size_t bytes = free_b / 4;
  if (bytes > ((size_t)4 << 30)) bytes = (size_t)4 << 30;
  bytes &= ~(size_t)255;
  float4* a = nullptr;
  float* out = nullptr;
  CHECK(cudaMalloc(&a, bytes));
  CHECK(cudaMalloc(&out, sizeof(float)));
  CHECK(cudaMemset(a, 0, bytes));
  size_t n = bytes / sizeof(float4);
  int threads = 512, blocks = sms * 8;
  cudaEvent_t t0, t1;
  CHECK(cudaEventCreate(&t0));
  CHECK(cudaEventCreate(&t1));
  read_kernel<<<blocks, threads>>>(a, n, out);  // warm-up
  CHECK(cudaDeviceSynchronize());
  float best = 1e30f;
  for (int r = 0; r < runs; r++) {
    CHECK(cudaEventRecord(t0));
    read_kernel<<<blocks, threads>>>(a, n, out);
    CHECK(cudaEventRecord(t1));
    CHECK(cudaEventSynchronize(t1));
    float ms = 0;
    CHECK(cudaEventElapsedTime(&ms, t0, t1));
    if (ms < best) best = ms;
  }
  printf("read_bytes %zu\nruns %d\nread_best_ms %.4f\nread_best_gb_s %.1f\n", bytes, runs, best, bytes / (best / 1000.0) / 1e9);
  // reads the size of one weight matrix, as token generation launches them: one kernel per buffer,
  // back to back, rotating through buffers that together far exceed L2, so no read is served from it
  const size_t sizes[] = {(size_t)1 << 20, (size_t)4 << 20, (size_t)16 << 20, (size_t)64 << 20, (size_t)256 << 20};
  for (size_t si = 0; si < sizeof(sizes) / sizeof(sizes[0]); si++) {
    size_t sz = sizes[si];
    if (sz * 4 > bytes || (size_t)l2 * 4 > bytes) continue;
    size_t bufs = bytes / sz, reads = bufs * 3 < 64 ? 64 : bufs * 3, ns = sz / sizeof(float4);
    int blk = (int)((ns + threads - 1) / threads);
    if (blk > sms * 8) blk = sms * 8;
    read_kernel<<<blk, threads>>>(a, ns, out);
    CHECK(cudaDeviceSynchronize());
    CHECK(cudaEventRecord(t0));
    for (size_t i = 0; i < reads; i++) read_kernel<<<blk, threads>>>(a + (i % bufs) * ns, ns, out);
    CHECK(cudaEventRecord(t1));
    CHECK(cudaEventSynchronize(t1));
    float ms = 0;
    CHECK(cudaEventElapsedTime(&ms, t0, t1));
    printf("read_gb_s_at_%zu %.1f\n", sz, (double)sz * reads / (ms / 1000.0) / 1e9);
  }
  // the model's own matrix sizes, graph-launched: what token generation's kernels can reach at that size
  cudaStream_t stream;
  CHECK(cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking));
  for (int ai = 3; ai < argc; ai++) {
    size_t sz = (size_t)strtoull(argv[ai], nullptr, 10) & ~(size_t)15;
    if (sz < 4096 || sz * 4 > bytes) {
      printf("read_graph_skipped_%zu the buffer would not fit four times in the probe's %zu bytes\n", sz, bytes);
      continue;
    }
    size_t bufs = bytes / sz, ns = sz / sizeof(float4);
    size_t reads = bufs * 2 < 64 ? 64 : bufs * 2;
    if (reads > 4096) reads = 4096;
    int blk = (int)((ns + threads - 1) / threads);
    if (blk > sms * 8) blk = sms * 8;
    cudaGraph_t graph;
    cudaGraphExec_t exec;
    CHECK(cudaStreamBeginCapture(stream, cudaStreamCaptureModeGlobal));
    for (size_t i = 0; i < reads; i++) read_kernel<<<blk, threads, 0, stream>>>(a + (i % bufs) * ns, ns, out);
    CHECK(cudaStreamEndCapture(stream, &graph));
    CHECK(cudaGraphInstantiateWithFlags(&exec, graph, 0));
    CHECK(cudaGraphLaunch(exec, stream));  // warm-up
    CHECK(cudaStreamSynchronize(stream));
    float gbest = 1e30f;
    for (int r = 0; r < runs; r++) {
      CHECK(cudaEventRecord(t0, stream));
      CHECK(cudaGraphLaunch(exec, stream));
      CHECK(cudaEventRecord(t1, stream));
      CHECK(cudaEventSynchronize(t1));
      float ms = 0;
      CHECK(cudaEventElapsedTime(&ms, t0, t1));
      if (ms < gbest) gbest = ms;
    }
    printf("read_graph_gb_s_at_%zu %.1f\n", sz, (double)sz * reads / (gbest / 1000.0) / 1e9);
    printf("read_graph_reads_at_%zu %zu\n", sz, reads);
    cudaGraphExecDestroy(exec);
    cudaGraphDestroy(graph);
  }
  cudaStreamDestroy(stream);
  cudaFree(a);
  cudaFree(out);
  return 0;
}
