#!/bin/sh
# llama-sweep cell 3b92f1a38634 of spec gpu-batch (prompts)
# re-run it: sh command.sh
/work/main/target/gpurun/cache/llama.cpp/80fb11a/build-cuda/bin/llama-bench -m /work/main/target/gpurun/cache/models/80fb11a-v3/synthetic-dense7b-Q4_0.gguf -p 512 -n 128 -d 0 -r 5 -ngl 99 -fa 1 -o jsonl
