#!/usr/bin/env bash
# Streaming load: N concurrent SSE streams at a fixed inter-token latency against `llmlab sim`, driven by
# `llmlab bench` in a separate process over loopback: a closed loop of STREAMS users, each streaming replies of
# MAX_TOKENS tokens back to back. Target: token rate >= 95% of N x (1 s / ITL) in the steady window and
# client-observed ITL p99 < 1.25 x ITL (25 ms at 20 ms).
#
# Usage:  flock /tmp/llmlab-perf.lock benchmarks/stream-load.sh [extra llmlab bench flags...]
# Env:    STREAMS=2000 ITL=20ms DURATION=40s WARMUP=5s RAMP=2s MAX_TOKENS=250 INPUT_TOKENS=16 CLIENT_THREADS=1
#         WARMUP_RUN=10s (an unmeasured run first, so the server is JIT-compiled and its tokenizer loaded;
#         0s to skip)  LLMLAB_JAVA_OPTS (server JVM options)  CLIENT_JAVA_OPTS (client JVM options)
#         PROFILE=1 adds system-call counts (perf stat) of both processes and a JFR hot-method view of the
#         server, taken mid-window (KEEP_JFR=path keeps the recording)
#         PROFILE=2 instead records a machine-wide perf profile (kernel included) for 3 s mid-window
#         SIM_FLAGS="--io-threads 1" adds simulator flags; SIM_YAML="server: {transport: io_uring}" adds config
#         USE_LAUNCHER=1 starts the server through ./llmlab (which rebuilds the jar when sources changed)
#         instead of a private copy of llmlab-cli/target/llmlab.jar. KEEP_JSON=path keeps bench's result.
# Needs:  llmlab-cli/target/llmlab.jar (see README: build).
#
# What is measured. A stream lasts L = MAX_TOKENS x ITL (5 s by default); its user then sends the next at once.
# - ITL and TTFT are bench's (docs/metrics.md) over the streams sent in [WARMUP, DURATION - L) (`--warmup`, and
#   `--cooldown` L): those end by DURATION, while every user is still streaming, so their gaps are all under the
#   full load. ITL is every gap between consecutive token events of a stream.
# - The token rate is bench's timeseries[].token_events (token-bearing events by the second they arrived; one
#   token each at the simulator's default of one token per chunk), averaged over the whole seconds from
#   WARMUP + L + 1 to DURATION - L: the seconds in which only measured streams produce, all of them (the extra
#   second is for streams that end late). The ideal is STREAMS x 1 s / ITL.
# - CPU of the client, the server and the whole machine over those same seconds, from /proc.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
STREAMS=${STREAMS:-2000}
ITL=${ITL:-20ms}
DURATION=${DURATION:-40s}
WARMUP=${WARMUP:-5s}
RAMP=${RAMP:-2s}
MAX_TOKENS=${MAX_TOKENS:-250}
INPUT_TOKENS=${INPUT_TOKENS:-16}
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

secs() { awk -v d="$1" 'BEGIN { if (d ~ /ms$/) print substr(d, 1, length(d) - 2) / 1000; else if (d ~ /m$/) print substr(d, 1, length(d) - 1) * 60; else print substr(d, 1, length(d) - 1) + 0 }'; }
ITL_S=$(secs "$ITL"); D=$(secs "$DURATION"); W=$(secs "$WARMUP")
L=$(awk -v n="$MAX_TOKENS" -v i="$ITL_S" 'BEGIN { printf "%.3f", n * i }')
# The steady seconds [FROM, TO) of the per-second series.
read -r FROM TO < <(awk -v w="$W" -v l="$L" -v d="$D" 'BEGIN { f = w + l; f = (f == int(f) ? f : int(f) + 1) + 1; printf "%d %d\n", f, int(d - l) }')
[ $((TO - FROM)) -ge 5 ] || die "a steady window of $((TO - FROM)) s: DURATION must exceed WARMUP + 2 x (MAX_TOKENS x ITL = ${L} s) by at least 6 s"

raise_fd_limit 65536 $((STREAMS + 200))

printf 'models:\n  - id: gpt-4o-mini\n    output_tokens: %s\n' "$MAX_TOKENS" > "$WORK/sim.yaml"
[ -z "${SIM_YAML:-}" ] || printf '%s\n' "$SIM_YAML" >> "$WORK/sim.yaml"
# shellcheck disable=SC2206
SIM_ARGS=(sim --host 127.0.0.1 --port 0 --ttft 0ms --itl "$ITL" --config "$WORK/sim.yaml" ${SIM_FLAGS:-})
start_sim "${SIM_ARGS[@]}"
curl -fs -o /dev/null "http://127.0.0.1:$PORT/health" || die "the simulator does not answer /health"
echo "simulator pid $SIM_PID on 127.0.0.1:$PORT: --ttft 0ms --itl $ITL, output_tokens $MAX_TOKENS, JVM opts '${LLMLAB_JAVA_OPTS:-}'"

LOAD=("${BENCH[@]}" --url "http://127.0.0.1:$PORT/v1" --quiet --concurrency "$STREAMS" --ramp linear --ramp-time "$RAMP"
  --input-tokens "$INPUT_TOKENS" --max-tokens "$MAX_TOKENS" --io-threads "$CLIENT_THREADS" --timeout 120s)

if [ "$WARMUP_RUN" != 0s ] && [ "$WARMUP_RUN" != 0 ]; then
  echo "warm-up run ($WARMUP_RUN, not measured)..."
  wrc=0; "${LOAD[@]}" --duration "$WARMUP_RUN" --json "$WORK/warmup.json" > "$WORK/warmup.log" 2>&1 || wrc=$?
  [ "$wrc" = 0 ] && [ -s "$WORK/warmup.json" ] || { cat "$WORK/warmup.log" >&2; die "the warm-up run failed (exit $wrc)"; }
  field "$WORK/warmup.json" "'  warm-up: %d streams completed, %d failed %s' % (d['summary']['requests_completed'], d['summary']['requests_failed'], d['summary']['errors'])"
  sleep 2
fi

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
machine_ticks() { awk '/^cpu / { t = 0; for (i = 2; i <= NF; i++) t += $i; print t, $5 + $6 }' /proc/stat; }
sample() { # label: CPU ticks of the client, the server and the machine (total, idle), and the clock
  echo "$(date +%s.%N) $(cpu_ticks "$CLIENT_PID") $(cpu_ticks "$SIM_PID") $(machine_ticks)" > "$WORK/cpu.$1"
}

echo "load before: $(uptime)"
"${LOAD[@]}" --duration "$DURATION" --warmup "$WARMUP" --cooldown "${L}s" --json "$WORK/run.json" "$@" > "$WORK/run.log" 2>&1 &
CLIENT_PID=$!
# The run's clock starts with its first stream: the server's stream gauge leaves 0 then.
for _ in $(seq 600); do
  [ "$(metric_sum llmlab_active_streams)" -gt 0 ] && break
  kill -0 "$CLIENT_PID" 2>/dev/null || { cat "$WORK/run.log" >&2; die "llmlab bench exited before streaming"; }
  sleep 0.1
done
T0=$(date +%s.%N)
until_t() { local left; left=$(awk -v t0="$T0" -v t="$1" -v now="$(date +%s.%N)" 'BEGIN { l = t0 + t - now; print (l > 0 ? l : 0) }'); sleep "$left"; }
itl_buckets() { # the server's ITL histogram: "le count" lines, summed over models
  curl -fs "http://127.0.0.1:$PORT/metrics" | grep -F 'vllm:inter_token_latency_seconds_bucket{' \
    | sed 's/.*le="\([^"]*\)"} \(.*\)/\1 \2/' | grep -v '^+Inf' | awk '{ s[$1] += $2 } END { for (k in s) print k, s[k] }' | sort -g
}
# Per-thread CPU of both processes and a machine-wide snapshot in the middle of the steady window, and CPU and
# the server's ITL histogram at the window's edges.
(
  until_t "$FROM"; sample from; itl_buckets > "$WORK/itl.from"
  until_t "$(awk -v a="$FROM" -v b="$TO" 'BEGIN { print (a + b) / 2 - 1.5 }')"
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
  until_t "$TO"; sample to; itl_buckets > "$WORK/itl.to"
  wait
) &
SAMPLER_PID=$!
rc=0; wait "$CLIENT_PID" || rc=$?
CPID=$CLIENT_PID
CLIENT_PID=""
wait "$SAMPLER_PID" 2>/dev/null || true
SAMPLER_PID=""
echo "load after: $(uptime)"
[ -s "$WORK/run.json" ] || { cat "$WORK/run.log" >&2; die "llmlab bench wrote no result (exit $rc)"; }
[ -z "${KEEP_JSON:-}" ] || cp "$WORK/run.json" "$KEEP_JSON"
python3 - "$WORK/run.json" "$STREAMS" "$ITL_S" "$FROM" "$TO" "$L" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
n, itl, lo, hi, length = int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), float(sys.argv[6])
s, m = d["summary"], d["metrics"]
c = d["config"]
print("llmlab bench: %d streams of %d tokens (%.1f s each) -> %s, closed loop, %d client I/O thread(s); measured: "
      "streams sent in [%g s, %g s)" % (n, c["max_tokens"], length, c["url"], c["io_threads"], c["warmup_s"],
                                        c["duration_s"] - c["cooldown_s"]))
print("streams: %d measured completed, %d failed %s; connections opened %d"
      % (s["requests_completed"], s["requests_failed"], s["errors"] or "", s["connections_opened"]))
events = [t.get("token_events") or 0 for t in d["timeseries"]]
window = events[lo:hi]
rate = sum(window) / len(window) if window else float("nan")
ideal = n / itl
print("token rate (steady seconds [%d s, %d s), token events by arrival): %.0f tok/s; ideal %d x %.1f = %.0f tok/s; "
      "ratio %.4f" % (lo, hi, rate, n, 1 / itl, ideal, rate / ideal))
def hist(name, k):
    h = m[k]
    if not h["count"]:
        print("%s: no samples" % name); return
    print("%s, ms: p50 %.3f  p90 %.3f  p99 %.3f  p99.9 %.3f  max %.3f  mean %.3f  (n=%d)"
          % (name, h["p50"], h["p90"], h["p99"], h["p999"], h["max"], h["mean"], h["count"]))
hist("ITL (measured streams)", "itl")
hist("TTFT (measured streams)", "ttft")
print("token events per second since the start:")
for i in range(0, len(events), 10):
    print("  " + " ".join(str(e) for e in events[i:i + 10]))
PY
if [ -s "$WORK/cpu.from" ] && [ -s "$WORK/cpu.to" ]; then
  read -r t1 c1 s1 m1 i1 < "$WORK/cpu.from"; read -r t2 c2 s2 m2 i2 < "$WORK/cpu.to"
  awk -v t="$(awk -v a="$t1" -v b="$t2" 'BEGIN { print b - a }')" -v hz="$(getconf CLK_TCK)" -v c=$((c2 - c1)) \
    -v s=$((s2 - s1)) -v m=$((m2 - m1)) -v i=$((i2 - i1)) -v cores="$(nproc)" 'BEGIN {
    printf "CPU in the steady seconds (100%% = one core): client %.0f%%, server %.0f%%, whole machine %.0f%% of %d00%%\n",
      100 * c / hz / t, 100 * s / hz / t, cores * 100 * (m - i) / m, cores }'
fi
if [ -s "$WORK/itl.from" ] && [ -s "$WORK/itl.to" ]; then
  awk 'NR == FNR { a[$1] = $2; next } { print $1, a[$1] + 0, $2 }' "$WORK/itl.from" "$WORK/itl.to" | sort -g \
    | awk '{ le[NR] = $1; c[NR] = $3 - $2; n = NR } END {
    total = c[n]; for (k = 1; k <= n; k++) if (c[k] > total) total = c[k]
    if (total <= 0) exit
    printf "server-side ITL in the steady seconds (its /metrics histogram), share of gaps <= bound:"
    for (k = 1; k <= n; k++) if (le[k] >= 0.005 && le[k] <= 0.1) printf "  <=%gms %.2f%%", le[k] * 1000, 100 * c[k] / total
    printf "  (n=%d)\n", total }'
fi
if [ -s "$WORK/top-threads.txt" ]; then
  echo "--- busiest threads mid-window (top -H, 3 s sample; server pid $SIM_PID, client pid $CPID)"
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
# 1 when a stream failed; else bench's own exit code
[ "$(field "$WORK/run.json" "d['summary']['requests_failed']")" = 0 ] || exit 1
exit "$rc"
