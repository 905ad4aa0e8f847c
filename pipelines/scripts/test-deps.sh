#!/usr/bin/env bash
# What `make test` needs beyond the build tools: power-profiles-daemon (with polkitd and dbus) for
# the power-profile integration tests, run on a private system bus, and Debian's chromium for the
# report.html test. Installed from Debian's
# packages when missing; never started system-wide.
set -euo pipefail
need=()
[ -x /usr/libexec/power-profiles-daemon ] || need+=(power-profiles-daemon)
[ -x /usr/lib/polkit-1/polkitd ] || need+=(polkitd)
command -v dbus-daemon >/dev/null 2>&1 || need+=(dbus)
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v sqlite3 >/dev/null 2>&1 || need+=(sqlite3)
# llama.cpp's scripts/compare-llama-bench.py reads our SQLite export in a test; Debian's python3 runs it
/usr/bin/python3 -c "import git, tabulate" >/dev/null 2>&1 || need+=(python3-git python3-tabulate)
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "test-deps: missing ${need[*]} and cannot install them here (needs root and apt-get); the power-profile tests will say so and fail" >&2
  exit 0
fi
echo "test-deps: installing ${need[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
