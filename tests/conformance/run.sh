#!/usr/bin/env bash
# Conformance run: starts the server on a fresh private PostgreSQL cluster,
# checks it with jsonld.js and Alcaeus (tests/conformance/run.mjs), then
# exercises the `tokens create` CLI against the same cluster; first it checks that a
# production start with no database configured refuses to start.
# Usage (from anywhere): bash tests/conformance/run.sh
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root" || exit 1

dll="src/Hypermedia.Server/bin/Release/net10.0/Hypermedia.Server.dll"

echo "conformance: installing npm packages"
if ! npm ci --prefix tests/conformance --no-audit --no-fund --loglevel=error >/dev/null; then
  echo "conformance: npm ci failed" >&2
  exit 1
fi

echo "conformance: building the server (Release)"
build_log="$(mktemp /tmp/hm-conformance-build.XXXXXX)"
if ! dotnet build src/Hypermedia.Server -c Release -nologo -v q >"$build_log" 2>&1; then
  cat "$build_log" >&2
  rm -f "$build_log"
  echo "conformance: build failed" >&2
  exit 1
fi
rm -f "$build_log"

port="$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
data_dir="$(mktemp -d /tmp/hm-conformance-pg.XXXXXX)"
server_log="$(mktemp /tmp/hm-conformance-server.XXXXXX)"
base_url="http://127.0.0.1:$port"
server_pid=""

export LocalPostgres__DataDirectory="$data_dir"
export ASPNETCORE_ENVIRONMENT=Production

cleanup() {
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null
    # The server stops its private PostgreSQL itself on SIGTERM; give it time.
    for _ in $(seq 1 60); do
      kill -0 "$server_pid" 2>/dev/null || break
      sleep 0.5
    done
    if kill -0 "$server_pid" 2>/dev/null; then
      echo "conformance: server did not stop on SIGTERM, killing it" >&2
      kill -KILL "$server_pid" 2>/dev/null
    fi
    wait "$server_pid" 2>/dev/null
  fi
  # LocalPostgres keeps a start lock file beside the data directory.
  rm -rf "$data_dir" "$data_dir.lock" "$server_log" "${node_log:-}"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "conformance: a production start with no database configured refuses to start"
refusal="$(env -u LocalPostgres__Enabled -u Database__SeedDemo dotnet "$dll" --urls "$base_url" 2>&1)"
refusal_rc=$?
safe_start_ok=0
if ((refusal_rc == 1)) && [[ "$refusal" == *"LocalPostgres__Enabled=true"* ]] && [[ ! -e "$data_dir/PG_VERSION" ]]; then
  echo "ok: exit 1, no private cluster, and the message names ConnectionStrings__Hypermedia and LocalPostgres__Enabled"
  safe_start_ok=1
else
  echo "FAIL: expected exit 1 naming LocalPostgres__Enabled with no cluster created; got $refusal_rc: $refusal" >&2
fi

# Production with the private cluster and the demo seed asked for explicitly, as an evaluator would.
export LocalPostgres__Enabled=true
export Database__SeedDemo=true
# Outside Development the simulator's inbound endpoint needs a configured secret.
export Carriers__Simulator__Secret="conformance-$RANDOM$RANDOM"

echo "conformance: starting the server on $base_url"
dotnet "$dll" --urls "$base_url" >"$server_log" 2>&1 &
server_pid=$!

token=""
deadline=$((SECONDS + 120))
while [[ -z "$token" ]]; do
  token="$(sed -n 's/^Demo API token: \(.*\)$/\1/p' "$server_log" | head -n 1 | tr -d '\r')"
  [[ -n "$token" ]] && break
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "conformance: the server exited before printing its demo token; its log:" >&2
    cat "$server_log" >&2
    exit 1
  fi
  if ((SECONDS >= deadline)); then
    echo "conformance: no 'Demo API token:' line within 120 s; server log:" >&2
    cat "$server_log" >&2
    exit 1
  fi
  sleep 0.5
done

# The token is printed before Kestrel listens: wait until the port answers.
for _ in $(seq 1 120); do
  curl -s -o /dev/null "$base_url/contexts/EntryPoint.jsonld" && break
  sleep 0.5
done

# A conversation needs a text from outside: the simulator's inbound endpoint plays the contact.
echo "conformance: a contact texts the demo account through the simulator"
inbound_code="$(curl -s -o /dev/null -w '%{http_code}' -H "X-Simulator-Secret: $Carriers__Simulator__Secret" \
  -H 'Content-Type: application/json' -d '{"from":"+13035550188","to":"+13035550100","body":"Hello from the conformance run"}' \
  "$base_url/carriers/simulator/inbound")"
if [[ "$inbound_code" != "201" ]]; then
  echo "conformance: the simulator's inbound endpoint answered $inbound_code (expected 201)" >&2
fi

node_log="$(mktemp /tmp/hm-conformance-node.XXXXXX)"
node tests/conformance/run.mjs "$base_url" "$token" | tee "$node_log"
status=${PIPESTATUS[0]}
node_pass="$(sed -n 's/^\(# \|ℹ \)pass \([0-9][0-9]*\)$/\2/p' "$node_log" | tail -n 1)"
node_fail="$(sed -n 's/^\(# \|ℹ \)fail \([0-9][0-9]*\)$/\2/p' "$node_log" | tail -n 1)"

echo "conformance: CLI 'tokens create' against the running private cluster"
cli_out_file="$(mktemp /tmp/hm-conformance-cli.XXXXXX)"
cli_err_file="$(mktemp /tmp/hm-conformance-cli.XXXXXX)"
dotnet "$dll" tokens create --email admin@demo.example >"$cli_out_file" 2>"$cli_err_file"
cli_rc=$?
cli_ok=0
cli_lines="$(wc -l <"$cli_out_file")"
cli_token="$(head -n 1 "$cli_out_file")"
if ((cli_rc != 0)); then
  echo "FAIL: 'tokens create' exited with $cli_rc; its stderr:" >&2
  tail -n 40 "$cli_err_file" >&2
  status=1
elif [[ "$cli_lines" -ne 1 || "$(wc -c <"$cli_out_file")" -ne $((${#cli_token} + 1)) || ! "$cli_token" =~ ^hm_[^[:space:]]+$ ]]; then
  echo "FAIL: 'tokens create' should print exactly one line, a token starting with hm_; it printed:" >&2
  cat -A "$cli_out_file" >&2
  status=1
else
  code="$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $cli_token" "$base_url/")"
  if [[ "$code" != "200" ]]; then
    echo "FAIL: the token printed by 'tokens create' got HTTP $code on GET / (expected 200)" >&2
    status=1
  else
    echo "ok: 'tokens create' printed one hm_ token and it authenticates GET / (200)"
    cli_ok=1
  fi
fi
rm -f "$cli_out_file" "$cli_err_file"
((safe_start_ok == 1)) || status=1

if ((status != 0)); then
  echo "conformance: FAILED (exit $status); server log tail:" >&2
  tail -n 40 "$server_log" >&2
fi
# One closing line counting the node checks plus the CLI and safe-start checks.
echo "conformance: $(( ${node_pass:-0} + cli_ok + safe_start_ok )) passed, $(( ${node_fail:-1} + 2 - cli_ok - safe_start_ok )) failed"
exit "$status"
