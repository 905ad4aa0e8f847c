#!/bin/sh
# llama-sweep cell d57b5964f860 of spec gpu-batch (curves)
# re-run it: sh command.sh
/work/main/target/gpurun/cache/llama.cpp/80fb11a/build-cuda/bin/llama-batched-bench -m /work/main/target/gpurun/cache/models/80fb11a-v3/shape-qwen3-8b-Q4_K_M-s2.gguf -c 2048 -npp 0 -ntg 1,32,32,32,32,32 -npl 64 -ngl 99 -fa on --output-format jsonl
