#!/usr/bin/env bash
# Idle streams: opens COUNT streams that `llmlab sim` answers with headers and then nothing (a long TTFT), and
# reports the server's heap per idle stream: (heap used after a full GC with the streams open - heap used after
# a full GC before) / streams open. Target: under 10 KB per idle stream at 15,000 streams.
#
# Usage:  flock /tmp/llmlab-perf.lock benchmarks/idle-streams.sh
# Env:    COUNT=15000 TTFT=300s RAMP=5s HOLD=60s LLMLAB_JAVA_OPTS=-Xmx1g (server JVM options) CLIENT_JAVA_OPTS
#         USE_LAUNCHER=1 starts the server through ./llmlab instead of a private copy of the jar.
# Needs:  llmlab-cli/target/llmlab.jar, and jcmd/jstat of the JDK that runs the server.
#
# The streams come from `llmlab bench`: a closed loop of COUNT users joining over RAMP (`--ramp linear`), whose
# run ends one second after the ramp, so that each user sends exactly one request; its `--timeout` HOLD then
# closes each stream HOLD after it was sent. A stream counts as open when the server's own gauge
# (llmlab_active_streams) counts it; bench's result then says whether every stream stayed idle until its
# timeout (no token event, no other error). HOLD must outlast the ramp and the measurement (a few seconds).
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
HOLD=${HOLD:-60s}
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

secs() { awk -v d="$1" 'BEGIN { if (d ~ /ms$/) print substr(d, 1, length(d) - 2) / 1000; else if (d ~ /m$/) print substr(d, 1, length(d) - 1) * 60; else print substr(d, 1, length(d) - 1) + 0 }'; }
RAMP_S=$(secs "$RAMP"); HOLD_S=$(secs "$HOLD")
awk -v r="$RAMP_S" -v h="$HOLD_S" 'BEGIN { exit !(h >= r + 30) }' || die "HOLD ($HOLD) must outlast RAMP ($RAMP) by 30 s: the streams are measured before their timeout"
# COUNT users, each sending one request (the run ends a second after the last has joined) that its timeout ends.
# Every request ends by its timeout on purpose: no check request (it would wait its timeout too), and any
# share of errors allowed.
IDLE=("${BENCH[@]}" --url "http://127.0.0.1:$PORT/v1" --quiet --max-tokens 16 --input-tokens 16 --ramp linear
  --no-check --max-errors 100%)

metric() { metric_sum "$1"; } # the server's own gauge, summed over label sets

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
"${IDLE[@]}" --concurrency 500 --ramp-time 1s --duration 2s --timeout 4s --json "$WORK/warmup.json" > "$WORK/warmup.log" 2>&1 \
  || { cat "$WORK/warmup.log" >&2; die "warm-up failed"; }
sleep 1
[ "$(metric llmlab_active_streams)" = 0 ] || sleep 2

measure before
echo "baseline: heap used after full GC $(cat "$WORK/before.used") KB, RSS $(cat "$WORK/before.rss") KB, server streams open $(metric llmlab_active_streams)"

"${IDLE[@]}" --concurrency "$COUNT" --ramp-time "$RAMP" --duration "$(awk -v r="$RAMP_S" 'BEGIN { print r + 1 }')s" \
  --timeout "$HOLD" --json "$WORK/idle.json" > "$WORK/idle.log" 2>&1 &
CLIENT_PID=$!
# Open once the server's gauge reaches COUNT, or stops rising (checked each second after the ramp).
OPEN=0; last=-1; waited=0
while :; do
  sleep 1; waited=$((waited + 1))
  OPEN=$(metric llmlab_active_streams)
  [ "$OPEN" -ge "$COUNT" ] && break
  kill -0 "$CLIENT_PID" 2>/dev/null || { cat "$WORK/idle.log" >&2; die "llmlab bench exited before all streams were open"; }
  if awk -v w="$waited" -v r="$RAMP_S" 'BEGIN { exit !(w > r + 2) }'; then
    [ "$OPEN" -le "$last" ] && break
    awk -v w="$waited" -v r="$RAMP_S" 'BEGIN { exit !(w > r + 25) }' && break
  fi
  last=$OPEN
done
sleep 1
SERVER_OPEN=$(metric llmlab_active_streams)
measure open
OPEN_AFTER=$(metric llmlab_active_streams)
OPEN=$SERVER_OPEN
echo "open: server gauge llmlab_active_streams $SERVER_OPEN of $COUNT streams (after the GCs: $OPEN_AFTER)"
echo "with streams open: heap used after full GC $(cat "$WORK/open.used") KB, RSS $(cat "$WORK/open.rss") KB"

echo "holding until bench's --timeout ($HOLD after each send) closes the streams..."
crc=0; wait "$CLIENT_PID" || crc=$?
CLIENT_PID=""
sleep 2
measure closed
echo "after closing: heap used after full GC $(cat "$WORK/closed.used") KB, server streams open $(metric llmlab_active_streams)"
echo "--- llmlab bench"
[ -s "$WORK/idle.json" ] || { cat "$WORK/idle.log" >&2; die "llmlab bench wrote no result (exit $crc)"; }
field "$WORK/idle.json" "'requests %d: completed %d, failed %d %s; token events received %d; connections opened %d' % (
  d['summary']['requests_completed'] + d['summary']['requests_failed'], d['summary']['requests_completed'],
  d['summary']['requests_failed'], d['summary']['errors'], sum(t.get('token_events') or 0 for t in d['timeseries']),
  d['summary']['connections_opened'])"
IDLE_OK=$(field "$WORK/idle.json" "int(d['summary']['errors'] == {'timeout': $COUNT} and d['summary']['requests_completed'] == 0 and not any(t.get('token_events') for t in d['timeseries']))")
[ "$IDLE_OK" = 1 ] && echo "every stream stayed idle until its timeout" \
  || echo "NOT every stream stayed idle until its timeout: a stream ended, failed otherwise or received a token"

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
[ "$OPEN" = "$COUNT" ] && [ "$IDLE_OK" = 1 ] || exit 1
exit "$crc"
