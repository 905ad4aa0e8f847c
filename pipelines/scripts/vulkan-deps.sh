#!/usr/bin/env bash
# Best effort, never fails the caller: what the pinned llama.cpp's Vulkan backend needs to build and
# run here. Debian bookworm's glslc, glslang-tools, spirv-headers, libvulkan-dev and mesa's lavapipe
# (a real Vulkan device on the CPU) from apt; bookworm's Vulkan headers (1.3.239) are too old for this
# llama.cpp, so trixie's libvulkan-dev headers are downloaded with a private apt state and unpacked
# into the cache (never installed system-wide). When something cannot be had, the Vulkan cells are
# "skipped: backend unavailable (why)". Also gdb: a build's self-test that crashes asks it for the first
# frames of a backtrace, which name the kernels that crashed (without it, only the crash pattern does).
# And libssl-dev, so the CPU build's llama-bench -hf can fetch hf: models from https://huggingface.co.
set -uo pipefail
cache="${1:-${LLAMA_SWEEP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/llama-sweep}}"
headers="$cache/vulkan-headers"
say() { echo "vulkan-deps: $*" >&2; }

need=()
command -v glslc >/dev/null 2>&1 || need+=(glslc)
command -v glslangValidator >/dev/null 2>&1 || need+=(glslang-tools)
[ -d /usr/include/spirv ] || need+=(spirv-headers)
ls /usr/lib/*/libvulkan.so >/dev/null 2>&1 || need+=(libvulkan-dev)
ls /usr/share/vulkan/icd.d/lvp_icd*.json >/dev/null 2>&1 || need+=(mesa-vulkan-drivers)
command -v gdb >/dev/null 2>&1 || need+=(gdb)
# OpenSSL's headers: the CPU build links them so hf: models can be fetched over https (without, only http endpoints)
[ -f /usr/include/openssl/ssl.h ] || need+=(libssl-dev)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing ${need[*]}"
    apt-get update -qq >/dev/null 2>&1
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null 2>&1 \
      || say "could not install ${need[*]}"
  else
    say "missing ${need[*]} (install them as root to build the Vulkan backend)"
  fi
fi

if [ ! -f "$headers/root/usr/include/vulkan/vulkan.h" ]; then
  if command -v apt-get >/dev/null 2>&1 && command -v dpkg >/dev/null 2>&1; then
    state="$headers/apt"
    mkdir -p "$state/lists/partial" "$state/cache/archives/partial" "$state/debs"
    echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie main" > "$state/sources.list"
    opts=(-o "Dir::State=$state" -o "Dir::State::Lists=$state/lists" -o "Dir::State::status=/dev/null"
          -o "Dir::Etc::SourceList=$state/sources.list" -o "Dir::Etc::SourceParts=/dev/null" -o "Dir::Cache=$state/cache"
          -o "APT::Architecture=$(dpkg --print-architecture)")
    if apt-get "${opts[@]}" update -qq >/dev/null 2>"$state/update.log" \
       && (cd "$state/debs" && apt-get "${opts[@]}" download libvulkan-dev >/dev/null 2>"$state/download.log"); then
      deb=$(ls "$state"/debs/libvulkan-dev_*.deb | head -1)
      rm -rf "$headers/root.tmp" && dpkg -x "$deb" "$headers/root.tmp" && rm -rf "$headers/root" && mv "$headers/root.tmp" "$headers/root"
      say "Vulkan headers $(basename "$deb") unpacked into $headers/root"
    else
      say "could not download trixie's libvulkan-dev headers: $(tail -1 "$state/update.log" "$state/download.log" 2>/dev/null | tr '\n' ' ')"
    fi
  fi
fi
exit 0
