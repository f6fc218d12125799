#!/usr/bin/env bash
# Engine sweep: `llmlab sim` with a batching-engine preset, sped up by TIME_SCALE, under Poisson load at
# POINTS rates from 10% to 160% of the saturation rate the cost model predicts for 1000-token prompts and
# 200-token replies (printed in the simulator's start-up log). Prints TTFT, TPOT and output throughput per rate in model time, and writes the sweep JSON
# that `llmlab sim calibrate` reads.
#
# Usage:  flock /tmp/llmlab-perf.lock benchmarks/engine-sweep.sh
# Env:    PRESET=llama-3.1-70b-h100-tp4 MODEL=meta-llama/Llama-3.1-70B-Instruct TIME_SCALE=0.1 POINTS=10
#         SECONDS_PER_POINT=30 (model time) PROMPT=1000 OUTPUT=200 OUT=engine-sweep.json
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PRESET=${PRESET:-llama-3.1-70b-h100-tp4}
MODEL=${MODEL:-meta-llama/Llama-3.1-70B-Instruct}
TIME_SCALE=${TIME_SCALE:-0.1}
POINTS=${POINTS:-10}
SECONDS_PER_POINT=${SECONDS_PER_POINT:-30}
PROMPT=${PROMPT:-1000}
OUTPUT=${OUTPUT:-200}
OUT=${OUT:-engine-sweep.json}

NAME=engine-sweep
# shellcheck source=lib.sh
. "$ROOT/benchmarks/lib.sh"
trap 'stop_pid "$SIM_PID" 10; rm -rf "$WORK"' EXIT

# Every reply exactly OUTPUT tokens long (the model's natural length distribution would vary it).
printf 'models: [{id: "%s", output_tokens: "%s"}]\n' "$MODEL" "$OUTPUT" > "$WORK/sweep.yaml"
start_sim sim --host 127.0.0.1 --port 0 --preset "$PRESET" --time-scale "$TIME_SCALE" --seed 1 --config "$WORK/sweep.yaml"
# The simulator logs each deployment's predicted saturation rate for 1000-token prompts and 200-token replies.
CAP=$(grep -F "engine for $MODEL:" "$WORK/sim.log" | grep -o 'saturates at [0-9.]* req/s' | head -1 | awk '{print $3}')
[ -n "$CAP" ] || { cat "$WORK/sim.log" >&2; die "no capacity estimate in the simulator's log"; }
RATES=$(awk -v c="$CAP" -v n="$POINTS" 'BEGIN { for (i = 1; i <= n; i++) printf "%.3f ", c * (0.1 + 1.5 * (i - 1) / (n - 1)) }')
echo "$NAME: $PRESET, predicted saturation $CAP req/s at $PROMPT/$OUTPUT tokens; time scale $TIME_SCALE" >&2
START=$(date +%s.%N)
# shellcheck disable=SC2086
"$JAVA" "${LLMLAB_JVM_FLAGS[@]}" -cp "$WORK/benchmarks.jar" dev.llmlab.benchmarks.load.SweepDriver \
  "http://127.0.0.1:$PORT/v1/chat/completions" "$MODEL" "$PROMPT" "$OUTPUT" "$SECONDS_PER_POINT" "$TIME_SCALE" \
  "$OUT" $RATES
echo "$NAME: $POINTS points in $(awk -v s="$START" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }') s of wall time; JSON in $OUT" >&2
