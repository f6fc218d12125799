#!/usr/bin/env bash
# Issue 15's two measurements of slow and flooding clients, against `llmlab sim` in its own JVM:
#   loris  N connections send half a request head, then a header line every INTERVAL seconds, for SECS: how
#          many are still open at each REPORT and at the end, how many got a 408, and whether a normal
#          request is served meanwhile.
#   flood  COUNT idle connections opened at once: how many the server holds, how many get a 503, whether a
#          normal request is served during the flood and after it; with HOLD, how many are still held HOLD
#          seconds after the first connect (the head deadline closes idle connections that never send).
# Then the simulator's log: its warning lines about slow clients, refused connections and failed accepts,
# and how many stack-trace lines it printed.
# Usage:  flock /tmp/llmlab-perf.lock benchmarks/slow-clients.sh loris|flood [extra llmlab sim flags...]
#         e.g. benchmarks/slow-clients.sh loris --header-timeout 10s (with INTERVAL=4 SECS=30)
# Env:    N=200 INTERVAL=20 SECS=100 REPORT=10 (loris), COUNT=19900 HOLD=0 (flood)
# Needs:  llmlab-cli/target/llmlab.jar, python3. The client holds every connection in one process: its
#         open-file limit is raised to the hard limit, which must exceed N or COUNT.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WHAT=${1:-}
shift || true
NAME=slow-clients
# shellcheck source=lib.sh
. "$ROOT/benchmarks/lib.sh"
trap 'stop_pid "$SIM_PID" 15; rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM
N=${N:-200}
INTERVAL=${INTERVAL:-20}
SECS=${SECS:-100}
REPORT=${REPORT:-10}
COUNT=${COUNT:-19900}
HOLD=${HOLD:-0}

case "$WHAT" in
  loris) raise_fd_limit 1048576 $((N + 64)) ;;
  flood) raise_fd_limit 1048576 $((COUNT + 64)) ;;
  *) die "usage: slow-clients.sh loris|flood [llmlab sim flags...]" ;;
esac

start_sim sim --host 127.0.0.1 --port 0 --profile instant "$@"
echo "$NAME: llmlab sim${*:+ $*} on port $PORT (pid $SIM_PID, open files $(awk '/Max open files/ {print $4}' \
  "/proc/$SIM_PID/limits")); client open-file limit $(ulimit -n)"
case "$WHAT" in
  loris) python3 "$ROOT/benchmarks/slow_clients.py" loris --port "$PORT" --n "$N" --interval "$INTERVAL" \
           --secs "$SECS" --report "$REPORT" ;;
  flood) python3 "$ROOT/benchmarks/slow_clients.py" flood --port "$PORT" --count "$COUNT" --hold "$HOLD" ;;
esac

echo "$NAME: the simulator's warnings:"
grep -E 'WARN' "$WORK/sim.log" | sed 's/^/  /' || echo "  none"
echo "$NAME: stack-trace lines in its log: $(grep -cE '^\s+at |Exception' "$WORK/sim.log" || true)"
