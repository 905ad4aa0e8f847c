package dev.llamasweep.llamacpp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The one table of llama-bench's fields gives each reader the list it had written by hand before, in
 * the same order: the SQL schema (compare-llama-bench.py reads it), ingest's configuration (ingested
 * cell ids hash it, so its order may never change) and compare's parameters.
 */
class BenchFieldsTest {
  @Test
  void theListsAreLlamaBenchsAndCompareLlamaBenchsOwn() {
    assertEquals(List.of("build_commit", "build_number", "cpu_info", "gpu_info", "backends",
        "model_filename", "model_type", "model_size", "model_n_params", "n_batch",
        "n_ubatch", "n_threads", "cpu_mask", "cpu_strict", "poll",
        "type_k", "type_v", "n_gpu_layers", "n_cpu_moe", "split_mode",
        "main_gpu", "no_kv_offload", "flash_attn", "devices", "tensor_split",
        "tensor_buft_overrides", "load_mode", "lazy_mode", "embeddings",
        "no_op_offload", "no_host", "fit_target", "fit_min_ctx",
        "n_prompt", "n_gen", "n_depth", "test_time", "avg_ns", "stddev_ns", "avg_ts", "stddev_ts"), BenchFields.SQL_COLUMNS);
    assertEquals(List.of("build_commit", "build_number", "cpu_info", "gpu_info", "n_batch", "n_ubatch",
        "n_cpu_moe", "main_gpu", "embeddings", "cpu_mask", "cpu_strict", "poll", "type_k", "type_v", "no_kv_offload", "split_mode",
        "tensor_split", "tensor_buft_overrides", "defrag_thold", "use_direct_io", "use_mmap", "load_mode", "lazy_mode", "devices",
        "no_op_offload", "no_host", "fit_target", "fit_min_ctx"), BenchFields.CONFIG);
    assertEquals(List.of("model_filename", "backends", "n_threads", "n_gpu_layers", "n_batch", "n_ubatch",
        "n_cpu_moe", "main_gpu", "embeddings", "cpu_mask", "cpu_strict", "poll", "type_k", "type_v", "no_kv_offload", "split_mode",
        "tensor_split", "tensor_buft_overrides", "defrag_thold", "use_direct_io", "use_mmap", "load_mode", "lazy_mode", "devices",
        "no_op_offload", "no_host", "fit_target", "fit_min_ctx", "flash_attn"), BenchFields.PARAMETERS);
    assertEquals("INTEGER", BenchFields.field("no_kv_offload").type().sql);
    assertEquals("REAL", BenchFields.field("avg_ts").type().sql);
  }

  @Test
  void theLoadModeRuleIsWrittenOnce() throws Exception {
    ObjectMapper json = new ObjectMapper();
    assertEquals("mmap", BenchFields.loadMode(json.readTree("{\"load_mode\":\"mmap\",\"use_mmap\":false}")), "today's field wins");
    assertEquals("mmap", BenchFields.loadMode(json.readTree("{\"use_mmap\":true}")));
    assertEquals("mmap", BenchFields.loadMode(json.readTree("{\"use_mmap\":\"1\"}")), "an older llama-bench's SQL and CSV write 1");
    assertEquals("none", BenchFields.loadMode(json.readTree("{\"use_mmap\":0}")));
    assertEquals("", BenchFields.loadMode(json.readTree("{\"n_prompt\":512}")));
  }
}
