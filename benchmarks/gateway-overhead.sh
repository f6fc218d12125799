#!/usr/bin/env bash
# The gateway against the simulator hit directly, side by side in one run: `llmlab sim --profile instant`
# upstream, `llmlab gateway --upstream` in front of it, `llmlab bench` with whole answers, straight at the
# simulator and through the gateway alternately, ROUNDS times each:
# 1. throughput: 64 connections, closed loop; the ratio of the medians of req/s;
# 2. added latency: an open loop at half the gateway's median req/s (Poisson, at most 256 requests in flight),
#    so that both paths carry the same load, well below either's capacity; the differences of the medians of
#    e2e p50 and p99 are the time the gateway adds; beside them, the gateway's own overhead histogram
#    (llmlab_gateway_overhead_seconds) over the same requests.
#
# Usage:  flock /tmp/llmlab-perf.lock benchmarks/gateway-overhead.sh
# Env:    SECS=10 (measured seconds per run, after 5 s of warm-up) ROUNDS=3 CONNECTIONS=64
#         RATE (req/s of the open loop; default half the gateway's median throughput)
#         GATEWAY_THREADS=1 SIM_THREADS=1 (event loops of each; all three processes share the machine's cores)
#         GATEWAY_JAR=FILE runs the gateway from another build's jar, to compare two gateways in turn
#         GATEWAY_JAVA_OPTS="..." adds JVM options to the gateway alone (a GC log: -Xlog:gc:file=FILE)
# Needs:  llmlab-cli/target/llmlab.jar.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SECS=${SECS:-10}
ROUNDS=${ROUNDS:-3}
CONNECTIONS=${CONNECTIONS:-64}
GATEWAY_THREADS=${GATEWAY_THREADS:-1}
SIM_THREADS=${SIM_THREADS:-1}

NAME=gateway-overhead
# shellcheck source=lib.sh
. "$ROOT/benchmarks/lib.sh"
GW_PID=""
trap 'stop_pid "$GW_PID" 10; stop_pid "$SIM_PID" 10; rm -rf "$WORK"' EXIT
raise_fd_limit 20000 1024

start_sim sim --profile instant --host 127.0.0.1 --port 0 --io-threads "$SIM_THREADS"
SIM_PORT=$PORT
start_gateway "http://127.0.0.1:$SIM_PORT/v1" "$GATEWAY_THREADS"

run() { # label url out
  "${BENCH[@]}" --url "$2" --concurrency "$CONNECTIONS" --no-stream --max-tokens 16 --input-tokens 32 \
    --duration "$((SECS + 5))s" --warmup 5s --quiet --json "$3" > "$WORK/$1.log" 2>&1 \
    || { cat "$WORK/$1.log" >&2; die "the $1 run failed"; }
  field "$3" "'%-8s %10.0f req/s   e2e p50 %7.3f ms   p99 %7.3f ms   errors %d' % ('$1', d['summary']['request_throughput'], d['metrics']['e2e']['p50'], d['metrics']['e2e']['p99'], d['summary']['requests_failed'])"
}

echo "$NAME: $CONNECTIONS connections, whole answers of 16 tokens, ${SECS}s measured per run, $ROUNDS rounds" >&2
for i in $(seq "$ROUNDS"); do
  run direct "http://127.0.0.1:$SIM_PORT/v1" "$WORK/direct-$i.json"
  run gateway "http://127.0.0.1:$GW_PORT/v1" "$WORK/gateway-$i.json"
done
summary() { # prefix label
  python3 - "$WORK" "$ROUNDS" "$1" "$2" <<'EOF'
import json, statistics, sys
work, rounds, prefix, label = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
def med(kind, f):
    return statistics.median(f(json.load(open(f"{work}/{prefix}{kind}-{i}.json"))) for i in range(1, rounds + 1))
rps = lambda d: d["summary"]["request_throughput"]
p50 = lambda d: d["metrics"]["e2e"]["p50"]
p99 = lambda d: d["metrics"]["e2e"]["p99"]
print(f"{label}: medians direct {med('direct', rps):.0f} req/s, gateway {med('gateway', rps):.0f} req/s "
      f"(x{med('gateway', rps) / med('direct', rps):.2f}); e2e p50 {med('direct', p50):.3f} -> {med('gateway', p50):.3f} ms "
      f"(+{med('gateway', p50) - med('direct', p50):.3f}), p99 {med('direct', p99):.3f} -> {med('gateway', p99):.3f} ms "
      f"(+{med('gateway', p99) - med('direct', p99):.3f})")
EOF
}
summary "" "throughput, $CONNECTIONS connections"
HALF=$(python3 -c "import json,statistics; print(round(statistics.median(json.load(open('$WORK/gateway-%d.json' % i))['summary']['request_throughput'] for i in range(1, $ROUNDS + 1)) / 2))")
RATE=${RATE:-$HALF}
echo "$NAME: open loop at $RATE req/s (half the gateway's throughput: $HALF)" >&2
rate_run() { # label url out
  # An exit of 16 or more is a run that was measured and judged (invalid, errors): shown with its verdict.
  local code=0
  "${BENCH[@]}" --url "$2" --rate "$RATE" --max-concurrency 256 --no-stream --max-tokens 16 --input-tokens 32 \
    --duration "$((SECS + 5))s" --warmup 5s --quiet --json "$3" > "$WORK/$1.log" 2>&1 || code=$?
  [ "$code" = 0 ] || [ "$code" -ge 16 ] || { cat "$WORK/$1.log" >&2; die "the $1 run at $RATE req/s failed"; }
  field "$3" "'%-8s %10.0f req/s   e2e p50 %7.3f ms   p99 %7.3f ms   valid %s %s' % ('$1', d['summary']['request_throughput'], d['metrics']['e2e']['p50'], d['metrics']['e2e']['p99'], d['summary']['valid'], d['summary'].get('invalid_reason') or '')"
}
overhead_buckets() { # the gateway's own overhead histogram: "le count" lines, summed over its label sets (none
  # from a gateway without /metrics, an older build's)
  { curl -fs "http://127.0.0.1:$GW_PORT/metrics" || true; } | { grep -F 'llmlab_gateway_overhead_seconds_bucket{' || true; } \
    | sed 's/.*le="\([^"]*\)".* \([0-9.e+]*\)$/\1 \2/' | awk '{ s[$1] += $2 } END { for (k in s) print k, s[k] }' | sort -g
}
for i in $(seq "$ROUNDS"); do
  rate_run direct "http://127.0.0.1:$SIM_PORT/v1" "$WORK/rate-direct-$i.json"
  overhead_buckets > "$WORK/overhead.before"
  rate_run gateway "http://127.0.0.1:$GW_PORT/v1" "$WORK/rate-gateway-$i.json"
  overhead_buckets > "$WORK/overhead.after"
  # the gateway's own account of the same requests: its overhead histogram over this run (warm-up included)
  python3 - "$WORK/overhead.before" "$WORK/overhead.after" <<'EOF'
import sys
def read(f):
    return {float(l.split()[0]): float(l.split()[1]) for l in open(f) if l.strip() and l.split()[0] != "+Inf"}
a, b = read(sys.argv[1]), read(sys.argv[2])
les = sorted(b)
cum = [b[le] - a.get(le, 0) for le in les]
n = cum[-1] if cum else 0
if n == 0:
    sys.exit(0)
def q(p):
    target, prev_le, prev_c = p * n, 0.0, 0.0
    for le, c in zip(les, cum):
        if c >= target:
            return (prev_le + (le - prev_le) * ((target - prev_c) / (c - prev_c) if c > prev_c else 1)) * 1e3
        prev_le, prev_c = le, c
    return float("nan")
print(f"         gateway's own overhead histogram over that run: {n:.0f} requests, p50 {q(0.5):.3f} ms, p99 {q(0.99):.3f} ms (bucket interpolation)")
EOF
done
summary rate- "open loop at $RATE req/s"
