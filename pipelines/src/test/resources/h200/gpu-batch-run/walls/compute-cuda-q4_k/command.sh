#!/bin/sh
/work/main/target/gpurun/cache/llama.cpp/80fb11a/build-cuda/bin/test-backend-ops perf -o MUL_MAT -b CUDA0 -p type_a=q4_K,type_b=f32,m=4096,n=512,k=14336,
