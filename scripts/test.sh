#!/usr/bin/env bash
# The whole test suite: build, formatting, unit and integration tests on a throwaway PostgreSQL,
# and the JSON-LD / Hydra conformance checks against a running server. Installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\n== %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
apt_updated=0
apt_install() {
  if [ "$apt_updated" = 0 ]; then as_root apt-get update -qq; apt_updated=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

log "Prerequisites"
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ! command -v initdb >/dev/null 2>&1; then
  echo "PostgreSQL server binaries missing: installing them with apt-get"
  apt_install postgresql
fi
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "Node.js missing: installing it with apt-get"
  apt_install nodejs npm
fi
if [ ! -x /usr/bin/chromium ]; then
  echo "Chromium missing (the dashboard's browser test drives Debian's): installing it with apt-get"
  apt_install chromium
fi
if [ "$(id -u)" = 0 ] && ! id -u postgres >/dev/null 2>&1; then
  useradd --system --no-create-home postgres
fi

log "Build"
dotnet build Hypermedia.sln -c Release -warnaserror -nologo -v quiet

log "Formatting"
dotnet format Hypermedia.sln --verify-no-changes --no-restore

log "Unit and integration tests"
results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT
dotnet test Hypermedia.sln -c Release --no-build --nologo --logger "console;verbosity=minimal" | tee "$results/dotnet.log"
dotnet_passed=$(grep -oE 'Passed: +[0-9]+' "$results/dotnet.log" | awk '{s+=$2} END {print s+0}')
dotnet_failed=$(grep -oE 'Failed: +[0-9]+' "$results/dotnet.log" | awk '{s+=$2} END {print s+0}')

log "Conformance (jsonld.js, Alcaeus, command line) against a running server"
bash tests/conformance/run.sh | tee "$results/conformance.log"
node_passed=$(grep -oE '^conformance: [0-9]+ passed' "$results/conformance.log" | awk '{s+=$2} END {print s+0}')
node_failed=$(grep -oE '^conformance: [0-9]+ passed, [0-9]+ failed' "$results/conformance.log" | awk '{s+=$4} END {print s+0}')

echo
echo "tests: $((dotnet_passed + node_passed)) passed, $((dotnet_failed + node_failed)) failed"
