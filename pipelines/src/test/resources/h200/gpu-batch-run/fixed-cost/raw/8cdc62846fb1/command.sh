#!/bin/sh
# llama-sweep cell 8cdc62846fb1 of spec gpu-batch (fixed cost)
# re-run it: sh command.sh
/work/main/target/gpurun/cache/llama.cpp/80fb11a/build-cuda/bin/llama-bench -m /work/main/target/gpurun/cache/models/80fb11a-v3/skeleton-0d0d966f32abfea0-L1-k2.gguf -p 0 -n 128 -d 0 -r 3 -ngl 99 -fa 1 -o jsonl
