#!/bin/sh
# llama-sweep cell f0d85f60bdbf of spec gpu-batch (curves)
# re-run it: sh command.sh
/work/main/target/gpurun/cache/llama.cpp/80fb11a/build-cuda/bin/llama-batched-bench -m /work/main/target/gpurun/cache/models/80fb11a-v3/shape-qwen3-8b-Q4_K_M-s2.gguf -c 4096 -npp 0 -ntg 1,32,32,32,32,32 -npl 128 -ngl 99 -fa on --output-format jsonl
