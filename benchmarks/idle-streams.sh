#!/usr/bin/env bash
# Idle streams: opens COUNT streams that `llmlab sim` answers with headers and then nothing (a long TTFT), and
# reports the server's heap per idle stream: (heap used after a full GC with the streams open - heap used after
# a full GC before) / streams open. Target: under 10 KB per idle stream at 15,000 streams.
#
# Usage:  flock /tmp/llmlab-perf.lock benchmarks/idle-streams.sh
# Env:    COUNT=15000 TTFT=300s RAMP=5s LLMLAB_JAVA_OPTS=-Xmx1g (server JVM options) CLIENT_JAVA_OPTS
#         USE_LAUNCHER=1 starts the server through ./llmlab instead of a private copy of the jar.
# Needs:  llmlab-cli/target/llmlab.jar and llmlab-benchmarks/target/benchmarks.jar, and jcmd/jstat of the JDK
#         that runs the server.
#
# Heap "used" is S0U + S1U + EU + OU from `jstat -gc` (KB) right after `jcmd GC.run`, which works for every
# collector; `jcmd GC.heap_info` is printed alongside. Before the baseline, a warm-up batch of streams is opened
# and closed so that lazily built state (tokenizer, caches, JIT, pooled buffers' bookkeeping) is not counted
# as per-stream memory. A class histogram diff shows which objects make up the per-stream cost, and a third
# measurement after the streams are closed shows whether they were all freed.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
COUNT=${COUNT:-15000}
TTFT=${TTFT:-300s}
RAMP=${RAMP:-5s}
export LLMLAB_JAVA_OPTS=${LLMLAB_JAVA_OPTS:--Xmx1g}

NAME=idle-streams
# shellcheck source=lib.sh
. "$ROOT/benchmarks/lib.sh"
JCMD="$JAVA_HOME/bin/jcmd"
JSTAT="$JAVA_HOME/bin/jstat"
[ -x "$JCMD" ] && [ -x "$JSTAT" ] || die "jcmd/jstat not found in $JAVA_HOME/bin (need a JDK, not a JRE)"
CLIENT_PID=""
cleanup() {
  stop_pid "$CLIENT_PID" 10
  stop_pid "$SIM_PID" 15
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

raise_fd_limit 1048576 $((COUNT + 200))
range=$(cat /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo "32768 60999")
ports=$(echo "$range" | awk '{print $2 - $1 + 1}')
[ "$ports" -gt $((COUNT + 1000)) ] || die "only $ports ephemeral ports ($range) for $COUNT connections"

SIM_ARGS=(sim --host 127.0.0.1 --port 0 --ttft "$TTFT" --itl 20ms)
start_sim "${SIM_ARGS[@]}"
echo "simulator pid $SIM_PID on 127.0.0.1:$PORT: --ttft $TTFT, JVM opts '$LLMLAB_JAVA_OPTS', fd limit $(ulimit -n)"
echo "load: $(uptime)"

# An array, not a function: started with `&`, $! is then the JVM itself, so cleanup can stop it.
# shellcheck disable=SC2206
IDLE=("$JAVA" "${LLMLAB_JVM_FLAGS[@]}" ${CLIENT_JAVA_OPTS:-} -cp "$WORK/benchmarks.jar"
  dev.llmlab.benchmarks.load.IdleStreams --port "$PORT")

metric() { # name: the server's own gauge, summed over label sets
  curl -fs "http://127.0.0.1:$PORT/metrics" | awk -v m="$1" '$1 == m || index($1, m "{") == 1 { s += $2 } END { printf "%d", s }'
}

# heap used in KB after a full GC; also saves GC.heap_info and a class histogram under $WORK/<label>.*
measure() { # label
  local label=$1
  "$JCMD" "$SIM_PID" GC.run > /dev/null
  "$JCMD" "$SIM_PID" GC.run > /dev/null
  "$JCMD" "$SIM_PID" GC.heap_info > "$WORK/$label.heap_info"
  "$JSTAT" -gc "$SIM_PID" | awk 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i }
    NR == 2 { printf "%.0f", $col["S0U"] + $col["S1U"] + $col["EU"] + $col["OU"] }' > "$WORK/$label.used"
  "$JCMD" "$SIM_PID" GC.class_histogram > "$WORK/$label.histo"
  awk '/^VmRSS/ { print $2 }' "/proc/$SIM_PID/status" > "$WORK/$label.rss"
}

echo "warm-up: 500 streams opened and closed (not measured)"
"${IDLE[@]}" --count 500 --ramp 1s --hold 0s --open-timeout 30s > "$WORK/warmup.log" 2>&1 || { cat "$WORK/warmup.log" >&2; die "warm-up failed"; }
sleep 1
[ "$(metric llmlab_active_streams)" = 0 ] || sleep 2

measure before
echo "baseline: heap used after full GC $(cat "$WORK/before.used") KB, RSS $(cat "$WORK/before.rss") KB, server streams open $(metric llmlab_active_streams)"

"${IDLE[@]}" --count "$COUNT" --ramp "$RAMP" --open-timeout 120s --hold 300s --ready-file "$WORK/ready" \
  --release-file "$WORK/release" > "$WORK/idle.log" 2>&1 &
CLIENT_PID=$!
for _ in $(seq 1800); do   # up to 180 s
  [ -f "$WORK/ready" ] && break
  kill -0 "$CLIENT_PID" 2>/dev/null || { cat "$WORK/idle.log" >&2; die "IdleStreams exited before all streams were open"; }
  sleep 0.1
done
[ -f "$WORK/ready" ] || { cat "$WORK/idle.log" >&2; die "the streams did not open within 180 s"; }
OPEN=$(cat "$WORK/ready")
sleep 1
SERVER_OPEN=$(metric llmlab_active_streams)
measure open
OPEN_AFTER=$(metric llmlab_active_streams)
echo "open: client sees $OPEN of $COUNT streams; server gauge llmlab_active_streams $SERVER_OPEN (after the GCs: $OPEN_AFTER)"
echo "with streams open: heap used after full GC $(cat "$WORK/open.used") KB, RSS $(cat "$WORK/open.rss") KB"

touch "$WORK/release"
crc=0; wait "$CLIENT_PID" || crc=$?
CLIENT_PID=""
sleep 2
measure closed
echo "after closing: heap used after full GC $(cat "$WORK/closed.used") KB, server streams open $(metric llmlab_active_streams)"
echo "--- IdleStreams"
cat "$WORK/idle.log"

before=$(cat "$WORK/before.used"); open=$(cat "$WORK/open.used"); closed=$(cat "$WORK/closed.used")
awk -v b="$before" -v o="$open" -v c="$closed" -v n="$OPEN" -v count="$COUNT" -v rb="$(cat "$WORK/before.rss")" \
  -v ro="$(cat "$WORK/open.rss")" 'BEGIN {
  d = o - b
  printf "RESULT heap delta %.0f KB for %d open streams: %.2f KB (%.0f bytes) per idle stream", d, n, n ? d / n : 0, n ? d * 1024 / n : 0
  if (n != count) printf " [only %d of %d opened; per-%d figure %.2f KB]", n, count, count, d / count
  printf "\n       target < 10 KB: %s; RSS delta %.1f MB (%.1f KB per stream; RSS also counts direct buffers and JVM-native memory, so it is context, not the target)\n", (n && d / n < 10) ? "MET" : "MISSED", (ro - rb) / 1024, n ? (ro - rb) / n : 0
  printf "       after closing all: %.0f KB above the baseline (%s)\n", c - b, (c - b < 0.05 * d + 1024) ? "freed" : "NOT freed: possible leak"
}'

echo "--- largest per-stream contributors (class histogram diff, open - before)"
{ awk 'FNR == 1 { f++ } $1 ~ /^[0-9]+:$/ { key = $4; for (i = 5; i <= NF; i++) key = key " " $i
       if (f == 1) { b[key] = $3; bi[key] = $2 } else { o[key] = $3; oi[key] = $2 } }
     END { for (k in o) { d = o[k] - b[k]; if (d > 0) printf "%d %d %s\n", d, oi[k] - bi[k], k } }' \
  "$WORK/before.histo" "$WORK/open.histo" | sort -rn | head -25 |
  awk -v n="$OPEN" '{ k = $3; for (i = 4; i <= NF; i++) k = k " " $i
       printf "  %8.0f B/stream %6.2f obj/stream  %s\n", $1 / n, $2 / n, k }'; } || true  # head closes the pipe early
echo "--- GC.heap_info with the streams open"
sed -n '2,6p' "$WORK/open.heap_info"
[ "$OPEN" = "$COUNT" ] || exit 1
exit "$crc"
