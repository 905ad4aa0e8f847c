#!/bin/sh
# llama-sweep cell 6007cd805049 of spec gpu (depth)
# re-run it: sh command.sh
/work/main/.gpu/run/cache/llama.cpp/80fb11a/build-cuda/bin/llama-bench -m /work/main/.gpu/run/cache/models/80fb11a-v3/synthetic-dense7b-Q4_0.gguf -p 0 -n 128 -d 4096 -r 5 -ngl 99 -fa 1 -o jsonl
