#!/usr/bin/env bash
# Live engine load: `llmlab sim` with REPLICAS replicas of the llama-3.1-8b-h100 preset in real time, and
# StreamLoad (llmlab-benchmarks) holding STREAMS concurrent streams against it (STREAMS / REPLICAS per
# replica). Reports the engine's step timing error (how much later than modelled each step's tokens went
# out: llmlab_engine_step_lateness_seconds over the measured window), the sequences running per replica
# mid-window, and the token rate. Target: step timing error p99 < 2 ms at 8 x 256 on 2 cores.
#
# Usage:  flock /tmp/llmlab-perf.lock benchmarks/engine-live.sh
# Env:    REPLICAS=8 STREAMS=2048 MAX_TOKENS=1000 DURATION=40s WARMUP=10s MODEL=meta-llama/Llama-3.1-8B-Instruct
#         (meta-llama/Llama-3.1-70B-Instruct runs the 70B preset: slower steps, about half the tokens per second)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
REPLICAS=${REPLICAS:-8}
STREAMS=${STREAMS:-2048}
MAX_TOKENS=${MAX_TOKENS:-1000}
DURATION=${DURATION:-40s}
WARMUP=${WARMUP:-10s}
MODEL=${MODEL:-meta-llama/Llama-3.1-8B-Instruct}

NAME=engine-live
# shellcheck source=lib.sh
. "$ROOT/benchmarks/lib.sh"
CLIENT_PID=""
trap 'stop_pid "$CLIENT_PID" 5; stop_pid "$SIM_PID" 15; [ -z "${KEEP_LOG:-}" ] || cp "$WORK/sim.log" "$KEEP_LOG"; rm -rf "$WORK"' EXIT
raise_fd_limit 65536 $((STREAMS + 200))

# Every reply MAX_TOKENS long, so that each replica keeps a full batch of long-lived sequences.
printf 'models: [{id: "%s", output_tokens: "%s"}]\n' "$MODEL" "$MAX_TOKENS" > "$WORK/sim.yaml"
start_sim sim --host 127.0.0.1 --port 0 --replicas "$REPLICAS" --seed 1 --config "$WORK/sim.yaml"
grep -F "engine for $MODEL:" "$WORK/sim.log" | sed 's/.*engine for/engine for/'

lateness() { # cumulative bucket counts of the step-lateness histogram, summed over replicas: "le count" lines
  curl -fs "http://127.0.0.1:$PORT/metrics" | grep -F "llmlab_engine_step_lateness_seconds_bucket" | grep -F "$MODEL" \
    | sed 's/.*le="\([^"]*\)"} \(.*\)/\1 \2/' | awk '{s[$1] += $2} END {for (k in s) print k, s[k]}' | sort -g
}

# shellcheck disable=SC2206
"$JAVA" "${LLMLAB_JVM_FLAGS[@]}" ${CLIENT_JAVA_OPTS:-} -cp "$WORK/benchmarks.jar" dev.llmlab.benchmarks.load.StreamLoad \
  --port "$PORT" --model "$MODEL" --concurrency "$STREAMS" --itl 20ms --max-tokens "$MAX_TOKENS" \
  --duration "$DURATION" --warmup "$WARMUP" --ramp 5s --server-pid "$SIM_PID" > "$WORK/run.log" 2>&1 &
CLIENT_PID=$!
secs() { echo "${1%s}"; }
sleep "$(secs "$WARMUP")"
lateness > "$WORK/before.txt"
sleep $(( ($(secs "$DURATION") - $(secs "$WARMUP")) / 2 ))
echo "mid-window, sequences running per replica:"
curl -fs "http://127.0.0.1:$PORT/metrics" | grep -F 'vllm:num_requests_running{' | grep -F "$MODEL" \
  | sed 's/.*engine="\([0-9]*\)".* \(.*\)/  replica \1: \2/'
curl -fs "http://127.0.0.1:$PORT/metrics" | grep -F 'vllm:kv_cache_usage_perc{' | grep -F "$MODEL" | head -2 \
  | sed 's/.*engine="\([0-9]*\)".* \(.*\)/  kv usage replica \1: \2/'
top -b -n 2 -d 3 -w 160 | awk '/^top - /{n++} n==2' | sed -n '3p'
sleep $(( ($(secs "$DURATION") - $(secs "$WARMUP")) / 2 - 4 ))
lateness > "$WORK/after.txt"
rc=0; wait "$CLIENT_PID" || rc=$?
CLIENT_PID=""
grep -E '^(token rate|errors|StreamLoad)' "$WORK/run.log" || cat "$WORK/run.log"
echo "step timing error (actual - modelled step end) over the window:"
join "$WORK/before.txt" "$WORK/after.txt" | awk '{ le[NR] = $1; c[NR] = $3 - $2; n = NR } END {
  total = c[n]; if (total == 0) { print "  no steps measured"; exit 1 }
  for (i = 1; i <= n; i++) printf "  <= %-8s %6.2f%%\n", le[i] * 1000 "ms", 100 * c[i] / total
  for (i = 1; i <= n; i++) if (c[i] >= 0.99 * total) { printf "  p99 <= %s ms over %d steps\n", le[i] * 1000, total; exit }
}'
