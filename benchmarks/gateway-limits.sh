#!/usr/bin/env bash
# The cost of a client key's limit check and reservation, side by side in one run: `llmlab sim --profile instant`
# upstream, and gateways in front of it that differ only in their limits: none (twice: `again`, the same config,
# measures how far two identical gateways differ here, the figures' noise), counted in the gateway
# (LocalLimiter), counted in a redis-server on loopback (RedisLimiter, with the credit the gateway draws on by
# default). Each key has rpm, tpm, max_in_flight and tokens_per_day, and its team rpm and usd_per_month: six asks per
# request, all set high enough never to refuse. `llmlab bench` sends whole answers in an open loop at RATE req/s
# (Poisson, well below any gateway's capacity, so that the difference is the check and not queueing), to the four
# gateways in turn (each round in another order), ROUNDS times. What a check adds, against the gateway without
# limits: the medians of the rounds' e2e p50 and p99; the p50 and p99 of every measured request of all rounds
# pooled; each gateway's own overhead histogram (its time from the request read to the upstream call begun, which
# holds the check). And how many scripts redis-server ran per request.
#
# Usage:  flock /tmp/llmlab-perf.lock benchmarks/gateway-limits.sh
# Env:    SECS=10 (measured seconds per run, after 5 s of warm-up) ROUNDS=3 RATE=1000
#         GATEWAY_THREADS=1 SIM_THREADS=1
# Needs:  llmlab-cli/target/llmlab.jar, redis-server and redis-cli (Debian's redis-server package), curl.
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
cp "$WORK/none.yaml" "$WORK/again.yaml"
for l in none again local redis; do start_with "$l" "$WORK/$l.yaml"; done

overhead_buckets() { # label: the gateway's own overhead histogram, "le count" lines summed over its label sets
  { curl -fs "http://127.0.0.1:${GW_PORTS[$1]}/metrics" || true; } \
    | { grep -F 'llmlab_gateway_overhead_seconds_bucket{' || true; } \
    | sed 's/.*le="\([^"]*\)".* \([0-9.e+]*\)$/\1 \2/' | awk '{ s[$1] += $2 } END { for (k in s) print k, s[k] }' | sort -g
}
evalsha_calls() { # how many scripts redis-server has run
  redis-cli -p "$REDIS_PORT" INFO commandstats | tr -d '\r' \
    | sed -n 's/^cmdstat_eval\(sha\)\{0,1\}:calls=\([0-9]*\).*/\2/p' | awk '{ s += $1 } END { print s + 0 }'
}

run() { # label, round
  local out="$WORK/$1-$2.json" code=0
  overhead_buckets "$1" > "$WORK/$1-$2.before"
  [ "$1" = redis ] && evalsha_calls > "$WORK/$1-$2.calls-before"
  "${BENCH[@]}" --url "http://127.0.0.1:${GW_PORTS[$1]}/v1" --api-key sk-bench --rate "$RATE" --max-concurrency 256 \
    --no-stream --max-tokens 16 --input-tokens 32 --duration "$((SECS + 5))s" --warmup 5s --quiet --json "$out" \
    --requests-jsonl "$WORK/$1-$2.jsonl" > "$WORK/$1.log" 2>&1 || code=$?
  [ "$code" = 0 ] || [ "$code" -ge 16 ] || { cat "$WORK/$1.log" >&2; die "the $1 run failed"; }
  overhead_buckets "$1" > "$WORK/$1-$2.after"
  [ "$1" = redis ] && evalsha_calls > "$WORK/$1-$2.calls-after"
  field "$out" "'%-6s %8.0f req/s   e2e p50 %7.3f ms   p99 %7.3f ms   errors %d' % ('$1', d['summary']['request_throughput'], d['metrics']['e2e']['p50'], d['metrics']['e2e']['p99'], d['summary']['requests_failed'])"
}

echo "$NAME: open loop at $RATE req/s, whole answers of 16 tokens, ${SECS}s measured per run, $ROUNDS rounds" >&2
for l in none again local redis; do # one unmeasured run each first: the JIT's work is not a check's cost
  code=0
  "${BENCH[@]}" --url "http://127.0.0.1:${GW_PORTS[$l]}/v1" --api-key sk-bench --rate "$RATE" --no-stream \
    --max-tokens 16 --input-tokens 32 --duration "$((SECS + 5))s" --quiet > "$WORK/warm-$l.log" 2>&1 || code=$?
  [ "$code" = 0 ] || [ "$code" -ge 16 ] || { cat "$WORK/warm-$l.log" >&2; die "the $l warm-up run failed"; }
done
ORDER=(none again local redis)
for i in $(seq "$ROUNDS"); do
  # each round in another order, so that none of the three is always first after the others ran
  for k in 0 1 2 3; do run "${ORDER[$(((k + i) % 4))]}" "$i"; done
done
{ curl -fs "http://127.0.0.1:${GW_PORTS[redis]}/metrics" || true; } > "$WORK/checks"
python3 - "$WORK" "$ROUNDS" <<'PY'
import json, statistics, sys
work, rounds = sys.argv[1], int(sys.argv[2])
kinds = ("none", "again", "local", "redis")
def med(kind, f):
    return statistics.median(f(json.load(open(f"{work}/{kind}-{i}.json"))) for i in range(1, rounds + 1))
p50 = lambda d: d["metrics"]["e2e"]["p50"]
p99 = lambda d: d["metrics"]["e2e"]["p99"]
errors = lambda d: d["summary"]["requests_failed"]
print(f"per round, medians of the {rounds} rounds:")
for kind in kinds:
    print(f"  {kind:6s} e2e p50 {med(kind, p50):.3f} ms (+{med(kind, p50) - med('none', p50):.3f}), "
          f"p99 {med(kind, p99):.3f} ms (+{med(kind, p99) - med('none', p99):.3f}), errors {med(kind, errors):.0f}")
def quantile(xs, q):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))]
pooled = {}
for kind in kinds:
    e2e = []
    for i in range(1, rounds + 1):
        for line in open(f"{work}/{kind}-{i}.jsonl"):
            r = json.loads(line)
            if r.get("outcome") == "ok":
                e2e.append(r["end_ms"] - r["sent_ms"])
    pooled[kind] = e2e
print("every measured request of all rounds pooled (end - sent):")
for kind in kinds:
    a, b = quantile(pooled[kind], 0.5), quantile(pooled[kind], 0.99)
    print(f"  {kind:6s} {len(pooled[kind]):6d} requests, e2e p50 {a:.3f} ms (+{a - quantile(pooled['none'], 0.5):.3f}), "
          f"p99 {b:.3f} ms (+{b - quantile(pooled['none'], 0.99):.3f})")
def read(f):
    return {float(l.split()[0]): float(l.split()[1]) for l in open(f) if l.strip() and l.split()[0] != "+Inf"}
def q(les, cum, p):
    n = cum[-1]
    target, prev_le, prev_c = p * n, 0.0, 0.0
    for le, c in zip(les, cum):
        if c >= target:
            return (prev_le + (le - prev_le) * ((target - prev_c) / (c - prev_c) if c > prev_c else 1)) * 1e3
        prev_le, prev_c = le, c
    return float("nan")
print("each gateway's own overhead histogram (llmlab_gateway_overhead_seconds: read to upstream call begun, the check"
      " included), over its measured runs, their 5 s warm-ups included (bucket interpolation):")
for kind in kinds:
    total = {}
    for i in range(1, rounds + 1):
        a, b = read(f"{work}/{kind}-{i}.before"), read(f"{work}/{kind}-{i}.after")
        for le in b:
            total[le] = total.get(le, 0) + b[le] - a.get(le, 0)
    les = sorted(total)
    cum = [total[le] for le in les]
    if cum and cum[-1] > 0:
        print(f"  {kind:6s} {cum[-1]:6.0f} requests, p50 {q(les, cum, 0.5):.3f} ms, p99 {q(les, cum, 0.99):.3f} ms")
checks = {}
for line in open(f"{work}/checks"):
    if line.startswith("llmlab_gateway_limits_checks_total{"):
        checks[line.split('where="')[1].split('"')[0]] = float(line.split()[-1])
total_checks = sum(checks.values())
if total_checks:
    print(f"the redis gateway checked {total_checks:.0f} requests (warm-up runs included): "
          f"{100 * checks.get('credit', 0) / total_checks:.2f}% on its credit, "
          f"{100 * checks.get('store', 0) / total_checks:.2f}% in Redis with a round trip")
calls = sum(int(open(f"{work}/redis-{i}.calls-after").read()) - int(open(f"{work}/redis-{i}.calls-before").read())
            for i in range(1, rounds + 1))
requests = sum(1 for i in range(1, rounds + 1) for _ in open(f"{work}/redis-{i}.jsonl"))
print(f"redis-server ran {calls} scripts during the redis gateway's runs (warm-ups included): "
      f"{calls / requests:.3f} per measured request")
PY
