#!/usr/bin/env bash
# llmlab gateway and Portkey's open-source gateway (npm @portkey-ai/gateway, Node.js) in front of the same
# `llmlab sim --profile instant`, under the same load, side by side in one run: `llmlab bench` with whole
# answers at CONNECTIONS connections (a closed loop), against the simulator directly, through llmlab gateway
# and through Portkey in turn, ROUNDS times each; the medians of req/s and e2e p50 and p99, and their ratios.
# Portkey is sent to the simulator as its `openai` provider with `x-portkey-custom-host`, as its docs describe
# for vLLM. All four processes share the machine's cores.
#
# Usage:  flock /tmp/llmlab-perf.lock benchmarks/gateway-portkey.sh
# Env:    SECS=10 (measured seconds per run, after 5 s of warm-up) ROUNDS=3 CONNECTIONS="16 64"
#         PORTKEY_VERSION=1.15.2  PORTKEY_DIR (an npm prefix holding it already; else installed from npm)
#         GATEWAY_THREADS=1 SIM_THREADS=1   GATEWAY_JAR=FILE (another build's gateway)
# Needs:  llmlab-cli/target/llmlab.jar, node and npm.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SECS=${SECS:-10}
ROUNDS=${ROUNDS:-3}
CONNECTIONS=${CONNECTIONS:-16 64}
PORTKEY_VERSION=${PORTKEY_VERSION:-1.15.2}
GATEWAY_THREADS=${GATEWAY_THREADS:-1}
SIM_THREADS=${SIM_THREADS:-1}

NAME=gateway-portkey
# shellcheck source=lib.sh
. "$ROOT/benchmarks/lib.sh"
GW_PID=""
PK_PID=""
trap 'stop_pid "$PK_PID" 5; stop_pid "$GW_PID" 10; stop_pid "$SIM_PID" 10; rm -rf "$WORK"' EXIT
raise_fd_limit 20000 1024
command -v node > /dev/null || die "Portkey runs on Node.js: no node here"

PK_DIR=${PORTKEY_DIR:-$WORK/portkey}
PK_SERVER="$PK_DIR/node_modules/@portkey-ai/gateway/build/start-server.js"
if [ ! -f "$PK_SERVER" ]; then
  mkdir -p "$PK_DIR"
  (cd "$PK_DIR" && npm install --silent --no-audit --no-fund "@portkey-ai/gateway@$PORTKEY_VERSION" > npm.log 2>&1) \
    || { cat "$PK_DIR/npm.log" >&2; die "npm could not install @portkey-ai/gateway@$PORTKEY_VERSION"; }
fi

start_sim sim --profile instant --host 127.0.0.1 --port 0 --io-threads "$SIM_THREADS"
SIM_PORT=$PORT
start_gateway "http://127.0.0.1:$SIM_PORT/v1" "$GATEWAY_THREADS"
PK_PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
NODE_ENV=production node "$PK_SERVER" --port="$PK_PORT" --headless > "$WORK/portkey.log" 2>&1 &
PK_PID=$!
for _ in $(seq 300); do
  curl -fs -o /dev/null "http://127.0.0.1:$PK_PORT/" 2>/dev/null && break
  kill -0 "$PK_PID" 2>/dev/null || { cat "$WORK/portkey.log" >&2; die "Portkey exited early"; }
  sleep 0.1
done
PK_HEADERS=(--header "x-portkey-provider: openai" --header "x-portkey-custom-host: http://127.0.0.1:$SIM_PORT/v1")

run() { # label connections url out [extra bench flags...]
  local label=$1 c=$2 url=$3 out=$4
  shift 4
  "${BENCH[@]}" --url "$url" --concurrency "$c" --no-stream --max-tokens 16 --input-tokens 32 \
    --duration "$((SECS + 5))s" --warmup 5s --quiet --json "$out" "$@" > "$WORK/$label.log" 2>&1 \
    || { cat "$WORK/$label.log" >&2; die "the $label run failed"; }
  field "$out" "'%-8s %4d conns %9.0f req/s   e2e p50 %8.3f ms   p99 %8.3f ms   errors %d' % ('$label', $c, d['summary']['request_throughput'], d['metrics']['e2e']['p50'], d['metrics']['e2e']['p99'], d['summary']['requests_failed'])"
}

echo "$NAME: whole answers of 16 tokens, ${SECS}s measured per run, $ROUNDS rounds, Portkey $PORTKEY_VERSION on node $(node --version)" >&2
for c in $CONNECTIONS; do
  for i in $(seq "$ROUNDS"); do
    run direct "$c" "http://127.0.0.1:$SIM_PORT/v1" "$WORK/direct-$c-$i.json"
    run llmlab "$c" "http://127.0.0.1:$GW_PORT/v1" "$WORK/llmlab-$c-$i.json"
    run portkey "$c" "http://127.0.0.1:$PK_PORT/v1" "$WORK/portkey-$c-$i.json" "${PK_HEADERS[@]}"
  done
  python3 - "$WORK" "$ROUNDS" "$c" <<'EOF'
import json, statistics, sys
work, rounds, c = sys.argv[1], int(sys.argv[2]), sys.argv[3]
def med(kind, f):
    return statistics.median(f(json.load(open(f"{work}/{kind}-{c}-{i}.json"))) for i in range(1, rounds + 1))
rps = lambda d: d["summary"]["request_throughput"]
p50 = lambda d: d["metrics"]["e2e"]["p50"]
p99 = lambda d: d["metrics"]["e2e"]["p99"]
print(f"{c} connections, medians: direct {med('direct', rps):.0f} req/s; llmlab {med('llmlab', rps):.0f} req/s, "
      f"p50 {med('llmlab', p50):.2f} ms, p99 {med('llmlab', p99):.2f} ms; Portkey {med('portkey', rps):.0f} req/s, "
      f"p50 {med('portkey', p50):.2f} ms, p99 {med('portkey', p99):.2f} ms; llmlab/Portkey throughput "
      f"x{med('llmlab', rps) / med('portkey', rps):.1f}, p99 x{med('portkey', p99) / med('llmlab', p99):.1f} lower")
EOF
done
