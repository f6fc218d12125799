#!/usr/bin/env bash
# Issue 6's scenarios against a batching-engine simulator in its own JVM (`--preset llama-3.1-8b-h100
# --time-scale 2`: every simulated delay doubled, so that the client on the same two cores stays far from
# its own limits), 1000-token prompts and 64-token answers:
#   search      `llmlab bench slo-search --slo ttft_p95<=200ms,tpot_p95<=20ms,error_rate<=1%`, SECS a level after
#               a 5 s warm-up; prints every probe, the answer and the wall time.
#   saturation  an open loop at RATE req/s for 120 s, far above the engine's capacity: when the over-saturation
#               stop ended it, and why.
# The simulator is warmed first by 20 s of 16 users (its JIT; the figures are meant to be the engine model's).
#   lag         open loops at 6 req/s for 25 s (5 s warm-up), RUNS times: the schedule lag at a low rate.
# Usage:  flock /tmp/llmlab-perf.lock benchmarks/bench-scenarios.sh search|saturation|lag
# Env:    SECS=25, RATE=50, RUNS=3
# Needs:  llmlab-cli/target/llmlab.jar.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WHAT=${1:-}
NAME=bench-scenarios
# shellcheck source=lib.sh
. "$ROOT/benchmarks/lib.sh"
trap 'stop_pid "$SIM_PID" 15; rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM
SECS=${SECS:-25}
RATE=${RATE:-50}
RUNS=${RUNS:-3}

start_sim sim --host 127.0.0.1 --port 0 --preset llama-3.1-8b-h100 --time-scale 2 --seed 1
TARGET=(--url "http://127.0.0.1:$PORT/v1" --input-tokens 1000 --max-tokens 64)
"${BENCH[@]}" "${TARGET[@]}" --concurrency 16 --duration 20s --quiet --seed 99 || true

case "$WHAT" in
search)
  START=$(date +%s.%N)
  "${BENCH[@]}" slo-search "${TARGET[@]}" --slo 'ttft_p95<=200ms,tpot_p95<=20ms,error_rate<=1%' --duration "${SECS}s" --warmup 5s \
    --json "$WORK/search.json"
  echo "$NAME: slo-search took $(awk -v s="$START" -v e="$(date +%s.%N)" 'BEGIN { printf "%.0f", e - s }') s"
  ;;
saturation)
  "${BENCH[@]}" "${TARGET[@]}" --rate "$RATE" --duration 120s --json "$WORK/sat.json" --quiet || true
  echo "$NAME: at $RATE req/s for 120 s: stopped_early = $(field "$WORK/sat.json" 'd["summary"]["stopped_early"]')"
  ;;
lag)
  for i in $(seq "$RUNS"); do
    "${BENCH[@]}" "${TARGET[@]}" --rate 6 --duration 30s --warmup 5s --json "$WORK/lag.json" --quiet || true
    echo "$NAME: run $i: lag $(field "$WORK/lag.json" 'd["summary"]["schedule_lag"]'), valid $(field "$WORK/lag.json" 'd["summary"]["valid"]')"
  done
  ;;
*) die "usage: $0 search|saturation|lag" ;;
esac
