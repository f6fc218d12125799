#!/usr/bin/env bash
# Streaming load: N concurrent SSE streams at a fixed inter-token latency against `llmlab sim`, measured by
# StreamLoad (llmlab-benchmarks) in a separate process over loopback. Target: token rate >= 95% of
# N x (1 s / ITL) in the steady window and client-observed ITL p99 < 1.25 x ITL (25 ms at 20 ms).
#
# Usage:  flock /tmp/llmlab-perf.lock benchmarks/stream-load.sh [extra StreamLoad flags...]
# Env:    STREAMS=2000 ITL=20ms DURATION=30s WARMUP=5s RAMP=2s MAX_TOKENS=16384 CLIENT_THREADS=1
#         WARMUP_RUN=10s (an unmeasured run first, so the server is JIT-compiled and its tokenizer loaded;
#         0s to skip)  LLMLAB_JAVA_OPTS (server JVM options)  CLIENT_JAVA_OPTS (client JVM options)
#         PROFILE=1 adds system-call counts (perf stat) of both processes and a JFR hot-method view of the
#         server, taken mid-window (KEEP_JFR=path keeps the recording)
#         PROFILE=2 instead records a machine-wide perf profile (kernel included) for 3 s mid-window
#         SIM_FLAGS="--io-threads 1" adds simulator flags; SIM_YAML="server: {transport: io_uring}" adds config
#         USE_LAUNCHER=1 starts the server through ./llmlab (which rebuilds the jar when sources changed)
#         instead of a private copy of llmlab-cli/target/llmlab.jar.
# Needs:  llmlab-cli/target/llmlab.jar and llmlab-benchmarks/target/benchmarks.jar (see README: build).
#
# Streams are made long (the model's natural reply length is set to MAX_TOKENS through a generated config) so
# every stream produces tokens for the whole run: "all streams active" is then true in the steady window.
# The jars are copied to a private directory first: other builds in the same tree may rewrite them mid-run.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
STREAMS=${STREAMS:-2000}
ITL=${ITL:-20ms}
DURATION=${DURATION:-30s}
WARMUP=${WARMUP:-5s}
RAMP=${RAMP:-2s}
MAX_TOKENS=${MAX_TOKENS:-16384}
CLIENT_THREADS=${CLIENT_THREADS:-1}
WARMUP_RUN=${WARMUP_RUN:-10s}

NAME=stream-load
# shellcheck source=lib.sh
. "$ROOT/benchmarks/lib.sh"
CLIENT_PID=""
SAMPLER_PID=""
cleanup() {
  stop_pid "$SAMPLER_PID" 1
  stop_pid "$CLIENT_PID" 5
  stop_pid "$SIM_PID" 15
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

raise_fd_limit 65536 $((STREAMS + 200))

printf 'models:\n  - id: gpt-4o-mini\n    output_tokens: %s\n' "$MAX_TOKENS" > "$WORK/sim.yaml"
[ -z "${SIM_YAML:-}" ] || printf '%s\n' "$SIM_YAML" >> "$WORK/sim.yaml"
# shellcheck disable=SC2206
SIM_ARGS=(sim --host 127.0.0.1 --port 0 --ttft 0ms --itl "$ITL" --config "$WORK/sim.yaml" ${SIM_FLAGS:-})
start_sim "${SIM_ARGS[@]}"
curl -fs -o /dev/null "http://127.0.0.1:$PORT/health" || die "the simulator does not answer /health"
echo "simulator pid $SIM_PID on 127.0.0.1:$PORT: --ttft 0ms --itl $ITL, output_tokens $MAX_TOKENS, JVM opts '${LLMLAB_JAVA_OPTS:-}'"

# An array, not a function: started with `&`, $! is then the JVM itself (signals and top reach it).
# shellcheck disable=SC2206
CLIENT=("$JAVA" "${LLMLAB_JVM_FLAGS[@]}" ${CLIENT_JAVA_OPTS:-} -cp "$WORK/benchmarks.jar"
  dev.llmlab.benchmarks.load.StreamLoad --port "$PORT" --concurrency "$STREAMS" --itl "$ITL"
  --max-tokens "$MAX_TOKENS" --io-threads "$CLIENT_THREADS" --server-pid "$SIM_PID")

if [ "$WARMUP_RUN" != 0s ] && [ "$WARMUP_RUN" != 0 ]; then
  echo "warm-up run ($WARMUP_RUN, not measured)..."
  "${CLIENT[@]}" --duration "$WARMUP_RUN" --ramp "$RAMP" --warmup "$RAMP" --series false > "$WORK/warmup.log" 2>&1 &
  CLIENT_PID=$!
  wrc=0; wait "$CLIENT_PID" || wrc=$?
  CLIENT_PID=""
  grep -E '^(token rate|errors)' "$WORK/warmup.log" | sed 's/^/  warm-up /' || true
  [ "$wrc" -le 1 ] || { cat "$WORK/warmup.log" >&2; die "the warm-up run failed (exit $wrc)"; }
  sleep 2
fi

secs() { awk -v d="$1" 'BEGIN { if (d ~ /ms$/) print substr(d, 1, length(d) - 2) / 1000; else if (d ~ /m$/) print substr(d, 1, length(d) - 1) * 60; else print substr(d, 1, length(d) - 1) + 0 }'; }
echo "load before: $(uptime)"
"${CLIENT[@]}" --duration "$DURATION" --warmup "$WARMUP" --ramp "$RAMP" "$@" > "$WORK/run.log" 2>&1 &
CLIENT_PID=$!
# A per-thread CPU look at both processes and a machine-wide snapshot, in the middle of the steady window.
mid=$(awk -v w="$(secs "$WARMUP")" -v d="$(secs "$DURATION")" 'BEGIN { printf "%.1f", w + (d - w) / 2 - 1.5 }')
(
  sleep "$mid"
  top -b -H -n 2 -d 3 -p "$SIM_PID,$CLIENT_PID" -w 160 > "$WORK/top-threads.txt" 2>&1 &
  top -b -n 2 -d 3 -w 160 > "$WORK/top.txt" 2>&1 &
  if [ "${PROFILE:-0}" = 1 ]; then
    # System calls of each process over 3 s, and a 10 s JFR recording of the server.
    if command -v perf > /dev/null; then
      ev=raw_syscalls:sys_enter,syscalls:sys_enter_epoll_wait,syscalls:sys_enter_epoll_pwait
      ev=$ev,syscalls:sys_enter_epoll_pwait2,syscalls:sys_enter_epoll_ctl,syscalls:sys_enter_timerfd_settime
      ev=$ev,syscalls:sys_enter_write,syscalls:sys_enter_writev,syscalls:sys_enter_read
      ev=$ev,syscalls:sys_enter_recvfrom,syscalls:sys_enter_futex
      perf stat -e "$ev" -p "$SIM_PID" -- sleep 3 > "$WORK/perf-server.txt" 2>&1 &
      perf stat -e "$ev" -p "$CLIENT_PID" -- sleep 3 > "$WORK/perf-client.txt" 2>&1 &
    fi
    if "$JAVA_HOME/bin/jcmd" "$SIM_PID" JFR.start name=sl settings=profile > "$WORK/jfr.log" 2>&1; then
      sleep 10
      "$JAVA_HOME/bin/jcmd" "$SIM_PID" JFR.dump name=sl filename="$WORK/server.jfr" >> "$WORK/jfr.log" 2>&1 || true
      "$JAVA_HOME/bin/jcmd" "$SIM_PID" JFR.stop name=sl >> "$WORK/jfr.log" 2>&1 || true
    fi
  elif [ "${PROFILE:-0}" = 2 ] && command -v perf > /dev/null; then
    # Where the CPU goes, machine-wide, kernel included (Java frames show as unresolved JIT code).
    perf record -a -F 499 -o "$WORK/perf.data" -- sleep 3 > /dev/null 2>&1 || true
    perf report -i "$WORK/perf.data" --stdio --no-children --sort comm,sym --percent-limit 0.8 2>/dev/null \
      | grep -v '^#' | grep -v '^$' | head -45 > "$WORK/perf-report.txt" || true
    perf report -i "$WORK/perf.data" --stdio --no-children --sort comm,dso --percent-limit 1 2>/dev/null \
      | grep -v '^#' | grep -v '^$' | head -20 > "$WORK/perf-dso.txt" || true
  fi
  wait
) &
SAMPLER_PID=$!
rc=0; wait "$CLIENT_PID" || rc=$?
CLIENT_PID=""
wait "$SAMPLER_PID" 2>/dev/null || true
SAMPLER_PID=""
echo "load after: $(uptime)"
cat "$WORK/run.log"
if [ -s "$WORK/top-threads.txt" ]; then
  echo "--- busiest threads mid-window (top -H, 3 s sample; server pid $SIM_PID)"
  # The second iteration is the rate over the 3 s interval; print its header and first thread lines.
  awk '/^top - /{n++} n==2' "$WORK/top-threads.txt" | sed -n '1,3p;7,22p'
fi
if [ -s "$WORK/top.txt" ]; then
  echo "--- machine snapshot mid-window (top, 3 s sample)"
  awk '/^top - /{n++} n==2' "$WORK/top.txt" | sed -n '1,3p;7,14p'
fi
if [ "${PROFILE:-0}" = 1 ]; then
  for who in server client; do
    [ -s "$WORK/perf-$who.txt" ] || continue
    echo "--- $who system calls in 3 s mid-window (perf stat)"
    grep -E 'syscalls:' "$WORK/perf-$who.txt" | sed 's/raw_syscalls:sys_enter/(all system calls)/'  | awk '$1 != "<not" { printf "  %12s %s\n", $1, $2 }'
  done
  if [ ! -s "$WORK/server.jfr" ]; then
    echo "--- no JFR recording:"; cat "$WORK/jfr.log" 2>/dev/null || true
  else
    echo "--- server hot methods (JFR, 10 s mid-window)"
    "$JAVA_HOME/bin/jfr" view --width 160 hot-methods "$WORK/server.jfr" 2>&1 | sed -n '1,30p'
    "$JAVA_HOME/bin/jfr" view --width 160 allocation-by-site "$WORK/server.jfr" 2>&1 | sed -n '1,20p'
    "$JAVA_HOME/bin/jfr" view --width 160 gc "$WORK/server.jfr" 2>&1 | sed -n '1,12p'
    [ -n "${KEEP_JFR:-}" ] && cp "$WORK/server.jfr" "$KEEP_JFR"
  fi
fi
if [ "${PROFILE:-0}" = 2 ] && [ -s "$WORK/perf-report.txt" ]; then
  echo "--- CPU by process and code object, 3 s mid-window (perf record -a)"
  cat "$WORK/perf-dso.txt"
  echo "--- hottest symbols"
  cat "$WORK/perf-report.txt"
fi
grep -E 'WARN|ERROR' "$WORK/sim.log" | head -5 || true
exit "$rc"
