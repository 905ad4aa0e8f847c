#!/bin/sh
# llama-sweep cell 2e56d3e0a8db of spec gpu-batch (curves)
# re-run it: sh command.sh
/work/main/target/gpurun/cache/llama.cpp/80fb11a/build-cuda/bin/llama-batched-bench -m /work/main/target/gpurun/cache/models/80fb11a-v3/synthetic-dense7b-Q4_0.gguf -c 512 -npp 0 -ntg 1,32,32,32,32,32 -npl 16 -ngl 99 -fa on --output-format jsonl
