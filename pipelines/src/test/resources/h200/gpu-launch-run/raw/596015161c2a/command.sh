#!/bin/sh
# llama-sweep cell 596015161c2a of spec gpu-launch (generation)
# re-run it: sh command.sh
/work/main/target/gpulaunch/cache/llama.cpp/80fb11a/build-cuda/bin/llama-bench -m /work/main/target/gpulaunch/cache/models/80fb11a-v3/synthetic-dense7b-Q4_0.gguf -p 0 -n 128 -d 0 -r 5 -ngl 99 -fa 1 -o jsonl
