#!/usr/bin/env bash
# What one whole answer costs the gateway itself: its CPU time (user + system, from /proc) and its heap
# allocation (from its GC log) per request, with `llmlab sim --profile instant` upstream and `llmlab bench` at
# CONNECTIONS connections (a closed loop). CPU per request is steadier on a shared machine than req/s ratios:
# it does not depend on what else got the cores. With BASE_JAR, another build's gateway is measured in turn
# with this one, ROUNDS times each, against the same simulator; the medians and their ratio are printed.
#
# Usage:  flock /tmp/llmlab-perf.lock benchmarks/gateway-cpu.sh
# Env:    SECS=12 (measured seconds per run) WARM=15 (seconds of load before, for the JIT) ROUNDS=2 CONNECTIONS=64
#         BASE_JAR=FILE (another build's jar, measured in turn with this one)
# Needs:  llmlab-cli/target/llmlab.jar, Linux /proc.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SECS=${SECS:-12}
WARM=${WARM:-15}
ROUNDS=${ROUNDS:-2}
CONNECTIONS=${CONNECTIONS:-64}

NAME=gateway-cpu
# shellcheck source=lib.sh
. "$ROOT/benchmarks/lib.sh"
GW_PID=""
trap 'stop_pid "$GW_PID" 10; stop_pid "$SIM_PID" 10; rm -rf "$WORK"' EXIT
raise_fd_limit 20000 1024
[ -z "${BASE_JAR:-}" ] || [ -f "$BASE_JAR" ] || die "BASE_JAR $BASE_JAR does not exist"
HZ=$(getconf CLK_TCK)

start_sim sim --profile instant --host 127.0.0.1 --port 0 --io-threads 1
SIM_PORT=$PORT

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
uptime_of() { # seconds since the process started, as its GC log counts them
  awk -v hz="$HZ" -v start="$(awk '{ print $22 }' "/proc/$1/stat")" '{ printf "%.2f", $1 - start / hz }' /proc/uptime
}
load() { # seconds, json out
  "${BENCH[@]}" --url "http://127.0.0.1:$GW_PORT/v1" --concurrency "$CONNECTIONS" --no-stream --max-tokens 16 \
    --input-tokens 32 --duration "${1}s" --warmup 0s --quiet --json "$2" > "$WORK/bench.log" 2>&1 \
    || { cat "$WORK/bench.log" >&2; die "a load run failed"; }
}

measure() { # label round
  local label=$1 i=$2 jar=""
  [ "$label" = base ] && jar=$BASE_JAR
  GATEWAY_JAR=$jar GATEWAY_JAVA_OPTS="-Xlog:gc:file=$WORK/gc-$label-$i.log" \
    start_gateway "http://127.0.0.1:$SIM_PORT/v1" 1
  load "$WARM" "$WORK/warm.json"
  local g0 s0 t0 g1 s1 t1
  g0=$(cpu_ticks "$GW_PID"); s0=$(cpu_ticks "$SIM_PID"); t0=$(uptime_of "$GW_PID")
  load "$SECS" "$WORK/$label-$i.json"
  g1=$(cpu_ticks "$GW_PID"); s1=$(cpu_ticks "$SIM_PID"); t1=$(uptime_of "$GW_PID")
  stop_pid "$GW_PID" 10
  GW_PID=""
  python3 - "$WORK/$label-$i.json" "$WORK/gc-$label-$i.log" "$HZ" "$g0" "$g1" "$s0" "$s1" "$t0" "$t1" \
    > "$WORK/$label-$i.txt" <<'EOF'
import json, re, sys
out, gc, hz = sys.argv[1], sys.argv[2], int(sys.argv[3])
g0, g1, s0, s1 = (int(x) for x in sys.argv[4:8])
t0, t1 = float(sys.argv[8]), float(sys.argv[9])
d = json.load(open(out))
n = d["summary"]["requests_completed"]
# heap allocated in the window: what each young collection found above what the one before left
prev, alloc, gcs = None, 0, 0
for line in open(gc):
    m = re.search(r"^\[([0-9.]+)s\].*Pause Young.* (\d+)M->(\d+)M", line)
    if not m:
        continue
    t, before, after = float(m.group(1)), int(m.group(2)), int(m.group(3))
    if t0 <= t <= t1 and prev is not None:
        alloc += before - prev
        gcs += 1
    prev = after
print(json.dumps({"rps": d["summary"]["request_throughput"], "gw_us": (g1 - g0) / hz * 1e6 / n,
                  "sim_us": (s1 - s0) / hz * 1e6 / n, "kb": alloc * 1024 / n if gcs else None, "gcs": gcs}))
EOF
  field "$WORK/$label-$i.txt" "'%-8s %8.0f req/s   gateway %5.1f us/request   simulator %5.1f us/request   gateway heap %s per request (%d young GCs)' % ('$label', d['rps'], d['gw_us'], d['sim_us'], ('%.1f KB' % d['kb']) if d['kb'] is not None else 'n/a', d['gcs'])"
}

LABELS="current"
[ -z "${BASE_JAR:-}" ] || LABELS="base current"
echo "$NAME: $CONNECTIONS connections, whole answers of 16 tokens, ${WARM}s of warm-up and ${SECS}s measured per run, $ROUNDS rounds" >&2
for i in $(seq "$ROUNDS"); do
  for label in $LABELS; do measure "$label" "$i"; done
done
python3 - "$WORK" "$ROUNDS" "$LABELS" <<'EOF'
import json, statistics, sys
work, rounds, labels = sys.argv[1], int(sys.argv[2]), sys.argv[3].split()
med = {}
for l in labels:
    runs = [json.load(open(f"{work}/{l}-{i}.txt")) for i in range(1, rounds + 1)]
    kbs = [r["kb"] for r in runs if r["kb"] is not None]
    med[l] = (statistics.median(r["gw_us"] for r in runs), statistics.median(kbs) if kbs else float("nan"))
    print(f"{l}: medians: gateway {med[l][0]:.1f} us of CPU and {med[l][1]:.1f} KB of heap per request")
if "base" in med:
    print(f"current / base: CPU per request x{med['current'][0] / med['base'][0]:.2f}, heap per request "
          f"x{med['current'][1] / med['base'][1]:.2f}")
EOF
