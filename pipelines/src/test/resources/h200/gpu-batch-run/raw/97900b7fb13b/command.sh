#!/bin/sh
# llama-sweep cell 97900b7fb13b of spec gpu-batch (prompts)
# re-run it: sh command.sh
/work/main/target/gpurun/cache/llama.cpp/80fb11a/build-cuda/bin/llama-bench -m /work/main/target/gpurun/cache/models/80fb11a-v3/shape-qwen3-8b-Q4_K_M-s2.gguf -p 512 -n 128 -d 0 -r 5 -ngl 99 -fa 1 -o jsonl
