#!/usr/bin/env bash
# The cost of a client key's limit check and reservation, side by side in one run: `llmlab sim --profile instant`
# upstream, and three gateways in front of it that differ only in their limits: none, counted in the gateway
# (LocalLimiter), counted in a redis-server on loopback (RedisLimiter: one Lua script to reserve, one to settle).
# Each key has rpm, tpm, max_in_flight and tokens_per_day, and its team rpm and usd_per_month: six asks per request,
# all set high enough never to refuse. `llmlab bench` sends whole answers in an open loop at RATE req/s (Poisson,
# well below any gateway's capacity, so that the difference is the check and not queueing), to the three gateways
# in turn, ROUNDS times; the differences of the medians of e2e p50 and p99 against the gateway without limits are
# what a check adds.
#
# Usage:  flock /tmp/llmlab-perf.lock benchmarks/gateway-limits.sh
# Env:    SECS=10 (measured seconds per run, after 5 s of warm-up) ROUNDS=3 RATE=1000
#         GATEWAY_THREADS=1 SIM_THREADS=1
# Needs:  llmlab-cli/target/llmlab.jar, redis-server (Debian's redis-server package).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SECS=${SECS:-10}
ROUNDS=${ROUNDS:-3}
RATE=${RATE:-1000}
GATEWAY_THREADS=${GATEWAY_THREADS:-1}
SIM_THREADS=${SIM_THREADS:-1}

NAME=gateway-limits
# shellcheck source=lib.sh
. "$ROOT/benchmarks/lib.sh"
REDIS_BIN=$(command -v redis-server || true)
[ -n "$REDIS_BIN" ] || die "needs redis-server (apt-get install redis-server)"
PIDS=()
REDIS_PID=""
cleanup() {
  for p in "${PIDS[@]}"; do stop_pid "$p" 10; done
  stop_pid "$SIM_PID" 10
  stop_pid "$REDIS_PID" 10
  rm -rf "$WORK"
}
trap cleanup EXIT
raise_fd_limit 20000 1024

REDIS_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$REDIS_BIN" --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no > "$WORK/redis.log" 2>&1 &
REDIS_PID=$!
for _ in $(seq 100); do grep -q "Ready to accept connections" "$WORK/redis.log" && break; sleep 0.1; done
grep -q "Ready to accept connections" "$WORK/redis.log" || { cat "$WORK/redis.log" >&2; die "redis-server did not start"; }

start_sim sim --profile instant --host 127.0.0.1 --port 0 --io-threads "$SIM_THREADS"
SIM_PORT=$PORT

config() { # limits (yes|no), state section
  local key_limits="" team_limits=""
  if [ "$1" = yes ]; then
    key_limits=", limits: {rpm: 1000000000, tpm: 1000000000000, max_in_flight: 100000, tokens_per_day: 1000000000000000}"
    team_limits=", limits: {rpm: 1000000000, usd_per_month: 1000000000}"
  fi
  cat <<YAML
server: {host: 127.0.0.1, port: 0, io_threads: $GATEWAY_THREADS}
access_log: {destination: "off"}
client_keys:
  - {name: bench, key: "sk-bench", team: t$key_limits}
teams:
  - {name: t$team_limits}
routes:
  - name: "*"
    deployments:
      - {provider: openai-compatible, base_url: "http://127.0.0.1:$SIM_PORT/v1", model: "*"}
$2
YAML
}

declare -A GW_PORTS
start_with() { # label, config file
  "$JAVA" "${LLMLAB_JVM_FLAGS[@]}" ${LLMLAB_JAVA_OPTS:-} -jar "$WORK/llmlab.jar" gateway --config "$2" \
    > "$WORK/gateway-$1.log" 2>&1 &
  PIDS+=($!)
  local port=""
  for _ in $(seq 600); do
    kill -0 "${PIDS[-1]}" 2>/dev/null || { cat "$WORK/gateway-$1.log" >&2; die "the $1 gateway exited early"; }
    port=$(grep -o 'gateway listening on http://127.0.0.1:[0-9]*' "$WORK/gateway-$1.log" | head -1 | sed 's/.*://') || true
    [ -n "$port" ] && { GW_PORTS[$1]=$port; return 0; }
    sleep 0.1
  done
  die "the $1 gateway did not start listening"
}
config no "state: {store: memory}" > "$WORK/none.yaml"
config yes "state: {store: memory}" > "$WORK/local.yaml"
config yes "state: {store: memory, redis: {url: \"redis://127.0.0.1:$REDIS_PORT\"}}" > "$WORK/redis.yaml"
for l in none local redis; do start_with "$l" "$WORK/$l.yaml"; done

run() { # label, round
  local out="$WORK/$1-$2.json" code=0
  "${BENCH[@]}" --url "http://127.0.0.1:${GW_PORTS[$1]}/v1" --api-key sk-bench --rate "$RATE" --max-concurrency 256 \
    --no-stream --max-tokens 16 --input-tokens 32 --duration "$((SECS + 5))s" --warmup 5s --quiet --json "$out" \
    > "$WORK/$1.log" 2>&1 || code=$?
  [ "$code" = 0 ] || [ "$code" -ge 16 ] || { cat "$WORK/$1.log" >&2; die "the $1 run failed"; }
  field "$out" "'%-6s %8.0f req/s   e2e p50 %7.3f ms   p99 %7.3f ms   errors %d' % ('$1', d['summary']['request_throughput'], d['metrics']['e2e']['p50'], d['metrics']['e2e']['p99'], d['summary']['requests_failed'])"
}

echo "$NAME: open loop at $RATE req/s, whole answers of 16 tokens, ${SECS}s measured per run, $ROUNDS rounds" >&2
for i in $(seq "$ROUNDS"); do
  for l in none local redis; do run "$l" "$i"; done
done
python3 - "$WORK" "$ROUNDS" <<'PY'
import json, statistics, sys
work, rounds = sys.argv[1], int(sys.argv[2])
def med(kind, f):
    return statistics.median(f(json.load(open(f"{work}/{kind}-{i}.json"))) for i in range(1, rounds + 1))
p50 = lambda d: d["metrics"]["e2e"]["p50"]
p99 = lambda d: d["metrics"]["e2e"]["p99"]
errors = lambda d: d["summary"]["requests_failed"]
for kind in ("none", "local", "redis"):
    print(f"medians {kind:6s} e2e p50 {med(kind, p50):.3f} ms (+{med(kind, p50) - med('none', p50):.3f}), "
          f"p99 {med(kind, p99):.3f} ms (+{med(kind, p99) - med('none', p99):.3f}), errors {med(kind, errors):.0f}")
PY
