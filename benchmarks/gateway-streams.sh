#!/usr/bin/env bash
# Streams through the gateway against the simulator hit directly, side by side in one run: `llmlab sim` with a
# fixed inter-token latency, `llmlab gateway --upstream` in front of it, and `llmlab bench` keeping STREAMS
# streams in flight (a closed loop of STREAMS users), straight at the simulator and through the gateway
# alternately, ROUNDS times each. The three processes share the machine's cores.
# 1. token rate: bench's output_token_throughput over its measured window; the ratio of the medians;
# 2. ITL: bench's inter-token latency p50 and p99 (every gap between a stream's token events); the differences
#    of the medians;
# 3. heap per stream: in a separate run through the gateway (not one of the rounds: a forced GC pauses the
#    streams), the gateway's live heap mid-run (a class histogram, which runs a full GC), less its live heap
#    before the run, divided by the streams in flight (the gateway's llmlab_gateway_requests_in_flight then).
#    Each stream's two connections (client and upstream) count in it.
#
# Usage:  flock /tmp/llmlab-perf.lock benchmarks/gateway-streams.sh
# Env:    STREAMS=500 ITL=20ms MAX_TOKENS=100 SECS=15 (measured seconds per run, after 5 s of warm-up) ROUNDS=3
#         GATEWAY_THREADS=1 SIM_THREADS=1 CLIENT_THREADS=1   GATEWAY_JAR=FILE (another build's gateway)
# Needs:  llmlab-cli/target/llmlab.jar, jcmd (the JDK's).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
STREAMS=${STREAMS:-500}
ITL=${ITL:-20ms}
MAX_TOKENS=${MAX_TOKENS:-100}
SECS=${SECS:-15}
ROUNDS=${ROUNDS:-3}
GATEWAY_THREADS=${GATEWAY_THREADS:-1}
SIM_THREADS=${SIM_THREADS:-1}
CLIENT_THREADS=${CLIENT_THREADS:-1}

NAME=gateway-streams
# shellcheck source=lib.sh
. "$ROOT/benchmarks/lib.sh"
GW_PID=""
trap 'stop_pid "$GW_PID" 10; stop_pid "$SIM_PID" 10; rm -rf "$WORK"' EXIT
raise_fd_limit 20000 $((STREAMS * 3 + 200))

printf 'models:\n  - id: gpt-4o-mini\n    output_tokens: %s\n' "$MAX_TOKENS" > "$WORK/sim.yaml"
start_sim sim --host 127.0.0.1 --port 0 --ttft 0ms --itl "$ITL" --config "$WORK/sim.yaml" --io-threads "$SIM_THREADS"
SIM_PORT=$PORT
start_gateway "http://127.0.0.1:$SIM_PORT/v1" "$GATEWAY_THREADS"

load() { # url duration json [warmup]
  "${BENCH[@]}" --url "$1" --quiet --concurrency "$STREAMS" --ramp linear --ramp-time 2s --input-tokens 16 \
    --max-tokens "$MAX_TOKENS" --io-threads "$CLIENT_THREADS" --timeout 120s --duration "$2" \
    ${4:+--warmup "$4"} --json "$3"
}
run() { # label url out
  load "$2" "$((SECS + 5))s" "$3" 5s > "$WORK/$1.log" 2>&1 || { cat "$WORK/$1.log" >&2; die "the $1 run failed"; }
  field "$3" "'%-8s %8.0f tokens/s   ITL p50 %6.2f ms   p99 %6.2f ms   TTFT p50 %6.2f ms   errors %d' % ('$1', d['summary']['output_token_throughput'], d['metrics']['itl']['p50'], d['metrics']['itl']['p99'], d['metrics']['ttft']['p50'], d['summary']['requests_failed'])"
}

echo "$NAME: $STREAMS streams of $MAX_TOKENS tokens at $ITL, ${SECS}s measured per run, $ROUNDS rounds" >&2
# an unmeasured run through the gateway first, so that both JVMs are compiled
load "http://127.0.0.1:$GW_PORT/v1" 8s "$WORK/warm.json" > "$WORK/warm.log" 2>&1 || { cat "$WORK/warm.log" >&2; die "the warm-up run failed"; }
for i in $(seq "$ROUNDS"); do
  run direct "http://127.0.0.1:$SIM_PORT/v1" "$WORK/direct-$i.json"
  run gateway "http://127.0.0.1:$GW_PORT/v1" "$WORK/gateway-$i.json"
done
python3 - "$WORK" "$ROUNDS" <<'EOF'
import json, statistics, sys
work, rounds = sys.argv[1], int(sys.argv[2])
def med(kind, f):
    return statistics.median(f(json.load(open(f"{work}/{kind}-{i}.json"))) for i in range(1, rounds + 1))
tok = lambda d: d["summary"]["output_token_throughput"]
p50 = lambda d: d["metrics"]["itl"]["p50"]
p99 = lambda d: d["metrics"]["itl"]["p99"]
print(f"medians: direct {med('direct', tok):.0f} tokens/s, gateway {med('gateway', tok):.0f} tokens/s "
      f"(x{med('gateway', tok) / med('direct', tok):.3f}); ITL p50 {med('direct', p50):.2f} -> {med('gateway', p50):.2f} ms "
      f"(+{med('gateway', p50) - med('direct', p50):.2f}), p99 {med('direct', p99):.2f} -> {med('gateway', p99):.2f} ms "
      f"(+{med('gateway', p99) - med('direct', p99):.2f})")
EOF

# Heap per stream.
JCMD="$JAVA_HOME/bin/jcmd"
[ -x "$JCMD" ] || die "no jcmd at $JCMD"
used() { # the gateway's live heap in KB: a class histogram's total, taken in the full GC's own safepoint (heap
  # usage read after a separate GC would count what the streams allocated in between)
  "$JCMD" "$GW_PID" GC.class_histogram | awk '/^Total/ { print int($3 / 1024) }'
}
in_flight() {
  curl -fs "http://127.0.0.1:$GW_PORT/metrics" | awk '/^llmlab_gateway_requests_in_flight / { print int($2) }'
}
sleep 2
IDLE=$(used)
load "http://127.0.0.1:$GW_PORT/v1" 20s "$WORK/heap.json" > "$WORK/heap.log" 2>&1 &
HEAP_PID=$!
sleep 10
N=$(in_flight)
BUSY=$(used)
wait "$HEAP_PID" || { cat "$WORK/heap.log" >&2; die "the heap run failed"; }
python3 -c "
idle, busy, n = $IDLE, $BUSY, ${N:-0}
print(f'heap: {idle} KB live idle, {busy} KB live with {n} streams in flight: {(busy - idle) / max(n, 1):.1f} KB per stream')"
