#!/bin/sh
# llama-sweep cell 27cb331c28a2 of spec gpu-batch (speculative)
# re-run it: sh command.sh (needs curl)
PORT=${PORT:-18080}
for rep in $(seq 1 5); do
  /work/main/target/gpurun/cache/llama.cpp/80fb11a/build-cuda/bin/llama-server -m /work/main/target/gpurun/cache/models/80fb11a-v3/synthetic-target-Q4_K_M.gguf -ngl 99 -fa on -c 4096 -np 1 --no-webui --host 127.0.0.1 --port "$PORT" >>"${TMPDIR:-/tmp}/llama-server-$PORT.log" 2>&1 &
  pid=$!
  until curl -sf "http://127.0.0.1:$PORT/health" >/dev/null; do kill -0 $pid 2>/dev/null || exit 1; sleep 0.2; done
  curl -s "http://127.0.0.1:$PORT/completion" -H 'Content-Type: application/json' --data-binary @- <<'LLAMA_SWEEP_REQUEST'
{"cache_prompt":false,"ignore_eos":true,"n_predict":256,"prompt":"Write a Go function `Factorial(n int) (*big.Int, error)` that returns n! using math/big, returns an error for negative n, and include a table-driven test for 0, 1, 5 and 20.\n","seed":42,"temperature":0,"top_k":1}
LLAMA_SWEEP_REQUEST
  echo; kill $pid; wait $pid
done
