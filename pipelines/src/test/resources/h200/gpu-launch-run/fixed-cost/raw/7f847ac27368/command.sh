#!/bin/sh
# llama-sweep cell 7f847ac27368 of spec gpu-launch (fixed cost)
# re-run it: sh command.sh
/work/main/target/gpulaunch/cache/llama.cpp/80fb11a/build-cuda/bin/llama-bench -m /work/main/target/gpulaunch/cache/models/80fb11a-v3/skeleton-e36c79d9b92fef0a-L64-k2.gguf -p 0 -n 128 -d 0 -r 3 -ngl 99 -fa 1 -o jsonl
