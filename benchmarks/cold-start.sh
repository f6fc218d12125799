#!/usr/bin/env bash
# Cold start: process start to the first 200 on /health, median of N runs (default 5).
# Usage: benchmarks/cold-start.sh [runs] [extra sim flags...]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${1:-5}; shift || true
PORT=${PORT:-18123}
"$ROOT/llmlab" --version >/dev/null   # builds the jar if needed, outside the measurement
times=()
for i in $(seq "$RUNS"); do
  start=$(date +%s%N)
  "$ROOT/llmlab" sim --port "$PORT" --host 127.0.0.1 "$@" >/dev/null 2>&1 &
  pid=$!
  until curl -fs -o /dev/null "http://127.0.0.1:$PORT/health" 2>/dev/null; do
    if ! kill -0 "$pid" 2>/dev/null; then echo "sim exited early" >&2; exit 1; fi
    sleep 0.005
  done
  end=$(date +%s%N)
  times+=($(( (end - start) / 1000000 )))
  kill -TERM "$pid"; wait "$pid" || true
done
sorted=($(printf '%s\n' "${times[@]}" | sort -n))
echo "runs (ms): ${times[*]}"
echo "median: ${sorted[$(( RUNS / 2 ))]} ms"
