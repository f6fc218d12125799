#!/usr/bin/env bash
# Live engine load: `llmlab sim` with REPLICAS replicas of the llama-3.1-8b-h100 preset in real time, and
# `llmlab bench` holding STREAMS concurrent streams against it (a closed loop of STREAMS users; STREAMS / REPLICAS
# per replica). Reports the engine's step timing error (how much later than modelled each step's tokens went
# out: llmlab_engine_step_lateness_seconds over the measured window [WARMUP, DURATION)), the sequences running
# per replica mid-window, and the token rate (bench's timeseries[].token_events over the same seconds).
# Target: step timing error p99 < 2 ms at 8 x 256 on 2 cores.
#
# Usage:  flock /tmp/llmlab-perf.lock benchmarks/engine-live.sh
# Env:    REPLICAS=8 STREAMS=2048 MAX_TOKENS=1000 DURATION=40s WARMUP=10s MODEL=meta-llama/Llama-3.1-8B-Instruct
#         (meta-llama/Llama-3.1-70B-Instruct runs the 70B preset: slower steps, about half the tokens per second)
#         INPUT_TOKENS=16 (prompt length) CLIENT_THREADS=1 (client event loops) CLIENT_JAVA_OPTS (client JVM
#         options); KEEP_LOG=path keeps the simulator's log
# Needs:  llmlab-cli/target/llmlab.jar.
#
# Every user sends its next request when its reply ends, so the batches stay full through DURATION; the replies
# still streaming then run to their end (up to MAX_TOKENS steps more) before bench exits, outside the window.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
REPLICAS=${REPLICAS:-8}
STREAMS=${STREAMS:-2048}
MAX_TOKENS=${MAX_TOKENS:-1000}
DURATION=${DURATION:-40s}
WARMUP=${WARMUP:-10s}
MODEL=${MODEL:-meta-llama/Llama-3.1-8B-Instruct}
INPUT_TOKENS=${INPUT_TOKENS:-16}
CLIENT_THREADS=${CLIENT_THREADS:-1}

NAME=engine-live
# shellcheck source=lib.sh
. "$ROOT/benchmarks/lib.sh"
CLIENT_PID=""
trap 'stop_pid "$CLIENT_PID" 5; stop_pid "$SIM_PID" 15; [ -z "${KEEP_LOG:-}" ] || cp "$WORK/sim.log" "$KEEP_LOG"; rm -rf "$WORK"' EXIT
raise_fd_limit 65536 $((STREAMS + 200))
secs() { echo "${1%s}"; }
D=$(secs "$DURATION"); W=$(secs "$WARMUP")

# Every reply MAX_TOKENS long, so that each replica keeps a full batch of long-lived sequences.
printf 'models: [{id: "%s", output_tokens: "%s"}]\n' "$MODEL" "$MAX_TOKENS" > "$WORK/sim.yaml"
start_sim sim --host 127.0.0.1 --port 0 --replicas "$REPLICAS" --seed 1 --config "$WORK/sim.yaml"
grep -F "engine for $MODEL:" "$WORK/sim.log" | sed 's/.*engine for/engine for/'

lateness() { # cumulative bucket counts of the step-lateness histogram, summed over replicas: "le count" lines
  curl -fs "http://127.0.0.1:$PORT/metrics" | grep -F "llmlab_engine_step_lateness_seconds_bucket" | grep -F "$MODEL" \
    | sed 's/.*le="\([^"]*\)"} \(.*\)/\1 \2/' | awk '{s[$1] += $2} END {for (k in s) print k, s[k]}' | sort -g
}

"${BENCH[@]}" --url "http://127.0.0.1:$PORT/v1" --quiet --model "$MODEL" --concurrency "$STREAMS" --ramp linear \
  --ramp-time 5s --input-tokens "$INPUT_TOKENS" --max-tokens "$MAX_TOKENS" --io-threads "$CLIENT_THREADS" \
  --duration "$DURATION" --timeout 600s --json "$WORK/run.json" > "$WORK/run.log" 2>&1 &
CLIENT_PID=$!
# The run's clock starts with its first request: the server's running gauge leaves 0 then.
for _ in $(seq 600); do
  [ "$(metric_sum vllm:num_requests_running "$MODEL")" -gt 0 ] && break
  kill -0 "$CLIENT_PID" 2>/dev/null || { cat "$WORK/run.log" >&2; die "llmlab bench exited before sending"; }
  sleep 0.1
done
sleep "$W"
lateness > "$WORK/before.txt"
sleep $(( (D - W) / 2 ))
echo "mid-window, sequences running per replica:"
curl -fs "http://127.0.0.1:$PORT/metrics" | grep -F 'vllm:num_requests_running{' | grep -F "$MODEL" \
  | sed 's/.*engine="\([0-9]*\)".* \(.*\)/  replica \1: \2/'
curl -fs "http://127.0.0.1:$PORT/metrics" | grep -F 'vllm:kv_cache_usage_perc{' | grep -F "$MODEL" | head -2 \
  | sed 's/.*engine="\([0-9]*\)".* \(.*\)/  kv usage replica \1: \2/'
top -b -n 2 -d 3 -w 160 | awk '/^top - /{n++} n==2' | sed -n '3p'
sleep $(( (D - W) / 2 - 4 ))
lateness > "$WORK/after.txt"
echo "waiting for the replies still streaming at the end of the window..."
rc=0; wait "$CLIENT_PID" || rc=$?
CLIENT_PID=""
[ -s "$WORK/run.json" ] || { cat "$WORK/run.log" >&2; die "llmlab bench wrote no result (exit $rc)"; }
python3 - "$WORK/run.json" "$W" "$D" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
lo, hi = int(float(sys.argv[2])), int(float(sys.argv[3]))
s, c = d["summary"], d["config"]
print("llmlab bench: %d streams of %d tokens -> %s (%s), closed loop for %g s" % (c["concurrency"], c["max_tokens"], c["url"], c["model"], c["duration_s"]))
print("requests: %d completed, %d failed %s" % (s["requests_completed"], s["requests_failed"], s["errors"] or ""))
window = [t.get("token_events") or 0 for t in d["timeseries"]][lo:hi]
print("token rate (seconds [%d s, %d s), token events by arrival): %.0f tok/s" % (lo, hi, sum(window) / max(1, len(window))))
PY
echo "step timing error (actual - modelled step end) over the window:"
awk 'NR == FNR { a[$1] = $2; next } { print $1, a[$1] + 0, $2 }' "$WORK/before.txt" "$WORK/after.txt" | sort -g \
  | awk '{ le[NR] = $1; c[NR] = $3 - $2; n = NR } END {
  total = c[n]; if (total == 0) { print "  no steps measured"; exit 1 }
  for (i = 1; i <= n; i++) printf "  <= %-8s %6.2f%%\n", le[i] * 1000 "ms", 100 * c[i] / total
  for (i = 1; i <= n; i++) if (c[i] >= 0.99 * total) { printf "  p99 <= %s ms over %d steps\n", le[i] * 1000, total; exit }
}'
