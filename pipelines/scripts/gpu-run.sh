#!/usr/bin/env bash
# Runs a GPU spec on any Linux machine with an NVIDIA GPU and the CUDA toolkit (nvcc, cmake, a C++
# compiler), with nothing of llama-sweep there but a Java 17 runtime and the bench-host executor
# jar. It builds the pinned llama.cpp with CUDA (cached), writes the synthetic models, measures the
# GPU's walls, runs every cell and packs the data directory to bring back and render elsewhere:
#   java -jar target/llama-sweep.jar corpus <unpacked data dir>      (or: reports --data-root …)
#
# usage: gpu-run.sh --executor JAR --out DIR [--spec FILE] [--java BIN | --jre-tar FILE]
#                   [--source DIR|TARBALL] [--cache DIR] [--time-limit SECONDS]
#   --source      the pinned llama.cpp source, for a machine that cannot fetch it (see Toolchain.SOURCE_VARIABLE);
#                 make it where it was fetched: tar -C ~/.cache/llama-sweep/llama.cpp/<commit>/src -cJf src.tar.xz .
#   --jre-tar     a tar.xz of a Java runtime whose top folder holds bin/java (jlink output, or an unpacked JRE)
#   --time-limit  stop the run after this many seconds (kill -TERM; completed cells are kept and the next
#                 call resumes), for sessions with a per-command limit
# It is resumable: builds, models and completed cells are kept in --cache and --out.
set -euo pipefail
spec=experiments/gpu.yaml; java=java; jre_tar=""; source=""; cache=""; out=""; executor=""; limit=0
while [ $# -gt 0 ]; do
  case "$1" in
    --spec) spec=$2; shift 2;;
    --java) java=$2; shift 2;;
    --jre-tar) jre_tar=$2; shift 2;;
    --source) source=$2; shift 2;;
    --cache) cache=$2; shift 2;;
    --out) out=$2; shift 2;;
    --executor) executor=$2; shift 2;;
    --time-limit) limit=$2; shift 2;;
    *) echo "gpu-run.sh: unknown argument $1 (see the usage at the top of this script)" >&2; exit 2;;
  esac
done
[ -n "$out" ] && [ -n "$executor" ] || { echo "gpu-run.sh: --executor JAR and --out DIR are required" >&2; exit 2; }
mkdir -p "$out"
out=$(cd "$out" && pwd)
cache=${cache:-$out/cache}
if [ -n "$jre_tar" ]; then
  if [ ! -x "$out/jre/bin/java" ]; then mkdir -p "$out/jre.tmp" && tar -C "$out/jre.tmp" -xJf "$jre_tar" && mv "$out/jre.tmp"/* "$out/jre" && rm -rf "$out/jre.tmp"; fi
  java="$out/jre/bin/java"
fi
[ -n "$source" ] && export LLAMA_SWEEP_LLAMA_CPP_SOURCE=$(cd "$(dirname "$source")" && pwd)/$(basename "$source")
echo "gpu-run: $("$java" -version 2>&1 | head -1); $(nvidia-smi --query-gpu=name,driver_version --format=csv,noheader 2>/dev/null || echo 'no nvidia-smi'); $(nvcc --version 2>/dev/null | tail -1 || echo 'no nvcc'); $(nproc) cores"
set +e
if [ "$limit" -gt 0 ]; then
  timeout -s TERM "$limit" "$java" -jar "$executor" run "$spec" --data-root "$out/data" --cache "$cache"
else
  "$java" -jar "$executor" run "$spec" --data-root "$out/data" --cache "$cache"
fi
rc=$?
set -e
echo "gpu-run: executor exit $rc (124: stopped at --time-limit; run again to resume)"
# what comes back: the data directory (raw cells, samples.csv, host.json, models.json, walls/, drift/), packed
tar -C "$out/data" -czf "$out/gpu-data.tar.gz" .
ls -la "$out/gpu-data.tar.gz"
exit $rc
