package dev.llamasweep.llamacpp;

import java.io.Serializable;
import java.util.List;

/**
 * One llama-bench test result (one JSONL line): the test's shape, what llama-bench says about the
 * model and build, and the per-repetition samples that all statistics are computed from.
 */
public record BenchRecord(
    String buildCommit,
    long buildNumber,
    String backends,
    String cpuInfo,
    String gpuInfo,
    String modelType,
    long modelSize,
    long modelNParams,
    long nThreads,
    long nGpuLayers,
    String flashAttn,
    String loadMode,
    long nPrompt,
    long nGen,
    long nDepth,
    String testTime,
    List<Long> samplesNs,
    List<Double> samplesTs,
    List<Long> samplesDrafted,
    List<Long> samplesAccepted,
    String typeK,
    String typeV,
    long sourceN,
    double sourceSd,
    long nParallel,
    long nConcurrent) implements Serializable {

  /** A batch point (or any record that is no server round). */
  public BenchRecord(String buildCommit, long buildNumber, String backends, String cpuInfo, String gpuInfo,
      String modelType, long modelSize, long modelNParams, long nThreads, long nGpuLayers, String flashAttn,
      String loadMode, long nPrompt, long nGen, long nDepth, String testTime, List<Long> samplesNs, List<Double> samplesTs,
      List<Long> samplesDrafted, List<Long> samplesAccepted, String typeK, String typeV, long sourceN, double sourceSd, long nParallel) {
    this(buildCommit, buildNumber, backends, cpuInfo, gpuInfo, modelType, modelSize, modelNParams, nThreads, nGpuLayers,
        flashAttn, loadMode, nPrompt, nGen, nDepth, testTime, samplesNs, samplesTs, samplesDrafted, samplesAccepted, typeK, typeV,
        sourceN, sourceSd, nParallel, 0);
  }

  /** A llama-bench or server record (not a batch point), with a summary-only source's n and sd when it has them. */
  public BenchRecord(String buildCommit, long buildNumber, String backends, String cpuInfo, String gpuInfo,
      String modelType, long modelSize, long modelNParams, long nThreads, long nGpuLayers, String flashAttn,
      String loadMode, long nPrompt, long nGen, long nDepth, String testTime, List<Long> samplesNs, List<Double> samplesTs,
      List<Long> samplesDrafted, List<Long> samplesAccepted, String typeK, String typeV, long sourceN, double sourceSd) {
    this(buildCommit, buildNumber, backends, cpuInfo, gpuInfo, modelType, modelSize, modelNParams, nThreads, nGpuLayers,
        flashAttn, loadMode, nPrompt, nGen, nDepth, testTime, samplesNs, samplesTs, samplesDrafted, samplesAccepted, typeK, typeV,
        sourceN, sourceSd, 0, 0);
  }

  /** A record whose statistics come from its samples (not from a summary-only source). */
  public BenchRecord(String buildCommit, long buildNumber, String backends, String cpuInfo, String gpuInfo,
      String modelType, long modelSize, long modelNParams, long nThreads, long nGpuLayers, String flashAttn,
      String loadMode, long nPrompt, long nGen, long nDepth, String testTime, List<Long> samplesNs, List<Double> samplesTs,
      List<Long> samplesDrafted, List<Long> samplesAccepted, String typeK, String typeV) {
    this(buildCommit, buildNumber, backends, cpuInfo, gpuInfo, modelType, modelSize, modelNParams, nThreads, nGpuLayers,
        flashAttn, loadMode, nPrompt, nGen, nDepth, testTime, samplesNs, samplesTs, samplesDrafted, samplesAccepted, typeK, typeV,
        -1, Double.NaN);
  }

  /** A summary-only source (CSV, SQLite) gave a standard deviation of its own, and maybe its repetition count. */
  public boolean fromSource() {
    return !Double.isNaN(sourceSd);
  }

  /** A record of a run whose KV cache types are llama.cpp's default (f16). */
  public BenchRecord(String buildCommit, long buildNumber, String backends, String cpuInfo, String gpuInfo,
      String modelType, long modelSize, long modelNParams, long nThreads, long nGpuLayers, String flashAttn,
      String loadMode, long nPrompt, long nGen, long nDepth, String testTime, List<Long> samplesNs, List<Double> samplesTs,
      List<Long> samplesDrafted, List<Long> samplesAccepted) {
    this(buildCommit, buildNumber, backends, cpuInfo, gpuInfo, modelType, modelSize, modelNParams, nThreads, nGpuLayers,
        flashAttn, loadMode, nPrompt, nGen, nDepth, testTime, samplesNs, samplesTs, samplesDrafted, samplesAccepted, "f16", "f16");
  }

  /** A llama-bench record: no draft. */
  public BenchRecord(String buildCommit, long buildNumber, String backends, String cpuInfo, String gpuInfo,
      String modelType, long modelSize, long modelNParams, long nThreads, long nGpuLayers, String flashAttn,
      String loadMode, long nPrompt, long nGen, long nDepth, String testTime, List<Long> samplesNs, List<Double> samplesTs) {
    this(buildCommit, buildNumber, backends, cpuInfo, gpuInfo, modelType, modelSize, modelNParams, nThreads, nGpuLayers,
        flashAttn, loadMode, nPrompt, nGen, nDepth, testTime, samplesNs, samplesTs, List.of(), List.of());
  }

  /** What the test ran: prompt, generated tokens, depth, and a batch point's sequences per step. */
  public TestShape shape() {
    return new TestShape(nPrompt, nGen, nDepth, nParallel, nConcurrent);
  }

  /** pp (prompt processing), tg (token generation) or pg (both in one test), as llama-bench names them. */
  public TestShape.Kind kind() {
    return shape().kind();
  }

  /** llama-bench's own test label: pp512, tg128, pp512+tg128, with " @ d4096" for a depth. */
  public String test() {
    return shape().label();
  }
}
