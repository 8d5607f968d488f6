#!/usr/bin/env bash
# The HTTP benchmark: the real app on Kestrel against a bare Kestrel + Npgsql baseline, driven by wrk.
# Installs wrk (Debian) when missing. Extra arguments pass through: --seconds N --connections N --only TEXT
# --timeline-messages N (see docs/benchmarks.md).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v wrk >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq wrk >/dev/null; else sudo apt-get update -qq && sudo apt-get install -y -qq wrk >/dev/null; fi
fi
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
if ! dotnet run -c Release --project bench/Hypermedia.Bench -- http "$@" 2>"$log" | grep -v '^info:\|^      '; then
  tail -n 30 "$log" >&2
  exit 1
fi
