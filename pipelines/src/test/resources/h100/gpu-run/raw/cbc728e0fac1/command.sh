#!/bin/sh
# llama-sweep cell cbc728e0fac1 of spec gpu (models)
# re-run it: sh command.sh
/work/main/.gpu/run/cache/llama.cpp/80fb11a/build-cuda/bin/llama-bench -m /work/main/.gpu/run/cache/models/80fb11a-v3/synthetic-moe-large-Q4_0.gguf -p 512 -n 128 -d 0 -r 5 -ngl 99 -fa 1 -o jsonl
