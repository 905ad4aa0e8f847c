#!/bin/sh
# llama-sweep cell 45395afa029e of spec gpu-batch (pair)
# re-run it: sh command.sh
/work/main/target/gpurun/cache/llama.cpp/80fb11a/build-cuda/bin/llama-batched-bench -m /work/main/target/gpurun/cache/models/80fb11a-v3/synthetic-target-Q4_K_M.gguf -c 128 -npp 0 -ntg 1,32,32,32,32,32 -npl 4 -ngl 99 -fa on --output-format jsonl
