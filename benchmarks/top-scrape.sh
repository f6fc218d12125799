#!/usr/bin/env bash
# What `llmlab top` costs while it watches a fleet: TARGETS metrics URLs read every second for SECS seconds, its
# own CPU time (from /proc, so other processes' noise does not count in it) as a share of one core, and its
# resident memory (VmRSS, sampled every 5 s; the largest is reported). The targets are SIMS simulators (vLLM's
# metric names; a page of about 30 KB, the size of a vLLM server's), each read under TARGETS/SIMS URLs (a query
# string tells them apart, so each is a target of its own); they are loaded for a few seconds first so that the
# histograms of a model have counts, and one of them stays under load from `llmlab bench` throughout, so that the
# pages change. top prints its table (live, to a file) every second, as a user's would, and runs with the JVM
# options the launcher gives it.
#
# Usage:  flock /tmp/llmlab-perf.lock benchmarks/top-scrape.sh
# Env:    TARGETS=100 SIMS=4 SECS=600 (measured, after 30 s of warm-up) RATE=20 (req/s of the steady load)
#         TOP_JAVA_OPTS (JVM options for top alone)
# Needs:  llmlab-cli/target/llmlab.jar
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TARGETS=${TARGETS:-100}
SIMS=${SIMS:-4}
SECS=${SECS:-600}
RATE=${RATE:-20}

NAME=top-scrape
# shellcheck source=lib.sh
. "$ROOT/benchmarks/lib.sh"
SIM_PIDS=()
TOP_PID=""
LOAD_PID=""
cleanup() {
  stop_pid "$TOP_PID" 10
  stop_pid "$LOAD_PID" 10
  for p in "${SIM_PIDS[@]}"; do stop_pid "$p" 10; done
  rm -rf "$WORK"
}
trap cleanup EXIT

start_loaded_sims "$SIMS" "$RATE" "$((SECS + 60))"

URLS=()
for i in $(seq "$TARGETS"); do URLS+=("http://127.0.0.1:${PORTS[$((i % SIMS))]}/metrics?replica=$i"); done
# top with the launcher's options for it (scripts/jdk.sh, llmlab_command_flags)
COMMON=("${LLMLAB_JVM_FLAGS[@]}")
llmlab_command_flags top
TOP_FLAGS=("${LLMLAB_JVM_FLAGS[@]}")
LLMLAB_JVM_FLAGS=("${COMMON[@]}")
"$JAVA" "${TOP_FLAGS[@]}" ${LLMLAB_JAVA_OPTS:-} ${TOP_JAVA_OPTS:-} -jar "$WORK/llmlab.jar" top "${URLS[@]}" --interval 1s \
  > "$WORK/top.out" 2> "$WORK/top.err" &
TOP_PID=$!
PAGE=$(curl -fs "http://127.0.0.1:${PORTS[1]}/metrics" | wc -c)
echo "$NAME: $TARGETS targets on $SIMS simulators (a page of $PAGE bytes), read every second, ${SECS}s measured" >&2

ticks() { awk '{ print $14 + $15 }' "/proc/$TOP_PID/stat"; }
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$TOP_PID/status"; }
sleep 30
kill -0 "$TOP_PID" 2>/dev/null || { cat "$WORK/top.err" >&2; die "top exited"; }
T0=$(ticks)
S0=$(date +%s.%N)
MAX_RSS=0
for _ in $(seq $((SECS / 5))); do
  sleep 5
  kill -0 "$TOP_PID" 2>/dev/null || { cat "$WORK/top.err" >&2; die "top exited"; }
  r=$(rss_kb)
  [ "$r" -gt "$MAX_RSS" ] && MAX_RSS=$r
done
T1=$(ticks)
S1=$(date +%s.%N)
RSS=$(rss_kb)
HZ=$(getconf CLK_TCK)
TABLES=$(grep -c '^llmlab top' "$WORK/top.out" || true)
FAILED=$(grep -c '^! ' "$WORK/top.out" || true)
LAST_ROWS=$(awk '/^llmlab top/ { n = 0 } /^ +127\.0\.0\.1:/ { n++ } END { print n + 0 }' "$WORK/top.out")
python3 - "$T0" "$T1" "$S0" "$S1" "$HZ" "$MAX_RSS" "$RSS" "$TABLES" "$FAILED" "$LAST_ROWS" <<'PY'
import sys
t0, t1, s0, s1, hz, max_rss, rss, tables, failed, rows = sys.argv[1:]
secs = float(s1) - float(s0)
cpu = (int(t1) - int(t0)) / int(hz)
print(f"top: {cpu:.1f} s of CPU in {secs:.0f} s = {100 * cpu / secs:.2f}% of one core; "
      f"RSS largest {int(max_rss) / 1024:.0f} MB, at the end {int(rss) / 1024:.0f} MB; "
      f"{tables} tables printed, {failed} target failures listed in them; the last table had {rows} replica rows")
PY
tail -n 8 "$WORK/top.out" | cut -c1-170 >&2 || true
