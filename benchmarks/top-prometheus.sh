#!/usr/bin/env bash
# What `llmlab top --prometheus` costs for a large fleet: REPLICAS targets scraped by a real Prometheus (Debian's
# package) every SCRAPE seconds, and top reading them all through Prometheus' federation endpoint every second for
# SECS seconds. The replicas are SIMS simulators, each scraped under REPLICAS/SIMS instance labels (Prometheus keeps
# targets apart by their labels), one of them under load from `llmlab bench` so that the figures move. Reported:
# top's own CPU (from /proc) as a share of one core, its resident memory (largest, sampled every 5 s), Prometheus'
# CPU over the same time, how long a federation GET of every vllm: series takes and how large it is (curl, after
# the run: more than top asks for), and what the last snapshot held.
#
# Usage:  flock /tmp/llmlab-perf.lock benchmarks/top-prometheus.sh
# Env:    REPLICAS=1000 SIMS=4 SCRAPE=15 SECS=300 (measured, after WARM=60 s) RATE=10
#         TOP_JAVA_OPTS (JVM options for top alone)
# Needs:  llmlab-cli/target/llmlab.jar, prometheus (apt-get install prometheus)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
REPLICAS=${REPLICAS:-1000}
SIMS=${SIMS:-4}
SCRAPE=${SCRAPE:-15}
SECS=${SECS:-300}
WARM=${WARM:-60}
RATE=${RATE:-10}

NAME=top-prometheus
# shellcheck source=lib.sh
. "$ROOT/benchmarks/lib.sh"
command -v prometheus > /dev/null || die "needs prometheus (apt-get install prometheus)"
SIM_PIDS=()
TOP_PID=""
LOAD_PID=""
PROM_PID=""
cleanup() {
  stop_pid "$TOP_PID" 10
  stop_pid "$LOAD_PID" 10
  stop_pid "$PROM_PID" 20
  for p in "${SIM_PIDS[@]}"; do stop_pid "$p" 10; done
  rm -rf "$WORK"
}
trap cleanup EXIT

start_loaded_sims "$SIMS" "$RATE" "$((WARM + SECS + 120))"

PROM_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 - "$REPLICAS" "$SCRAPE" "${PORTS[@]}" > "$WORK/prometheus.yml" <<'PY'
import sys
replicas, scrape, ports = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
print(f"global: {{scrape_interval: {scrape}s, scrape_timeout: 10s}}")
print("scrape_configs:\n  - job_name: vllm\n    static_configs:")
for i in range(replicas):
    print(f"      - {{targets: ['127.0.0.1:{ports[i % len(ports)]}'], labels: {{instance: replica-{i:04d}}}}}")
PY
prometheus --config.file="$WORK/prometheus.yml" --web.listen-address="127.0.0.1:$PROM_PORT" \
  --storage.tsdb.path="$WORK/data" > "$WORK/prometheus.log" 2>&1 &
PROM_PID=$!
for _ in $(seq 60); do curl -fs "http://127.0.0.1:$PROM_PORT/-/ready" > /dev/null 2>&1 && break; sleep 1; done
curl -fs "http://127.0.0.1:$PROM_PORT/-/ready" > /dev/null || die "prometheus did not start: $(tail -3 "$WORK/prometheus.log")"
echo "$NAME: $REPLICAS replicas on $SIMS simulators, scraped by Prometheus every ${SCRAPE}s; top reads it every second" >&2
sleep $((SCRAPE * 2)) # every target scraped at least once

COMMON=("${LLMLAB_JVM_FLAGS[@]}")
llmlab_command_flags top
TOP_FLAGS=("${LLMLAB_JVM_FLAGS[@]}")
LLMLAB_JVM_FLAGS=("${COMMON[@]}")
"$JAVA" "${TOP_FLAGS[@]}" ${LLMLAB_JAVA_OPTS:-} ${TOP_JAVA_OPTS:-} -jar "$WORK/llmlab.jar" top \
  --prometheus "http://127.0.0.1:$PROM_PORT" --interval 1s --window 60s --json > "$WORK/top.out" 2> "$WORK/top.err" &
TOP_PID=$!

ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$TOP_PID/status"; }
sleep "$WARM"
kill -0 "$TOP_PID" 2>/dev/null || { cat "$WORK/top.err" >&2; die "top exited"; }
T0=$(ticks "$TOP_PID")
P0=$(ticks "$PROM_PID")
S0=$(date +%s.%N)
MAX_RSS=0
: > "$WORK/federate.times"
for _ in $(seq $((SECS / 5))); do
  sleep 5
  kill -0 "$TOP_PID" 2>/dev/null || { cat "$WORK/top.err" >&2; die "top exited"; }
  r=$(rss_kb)
  [ "$r" -gt "$MAX_RSS" ] && MAX_RSS=$r
done
T1=$(ticks "$TOP_PID")
P1=$(ticks "$PROM_PID")
S1=$(date +%s.%N)
RSS=$(rss_kb)
# a federation GET of every vllm: series (more than top asks for: an upper bound), timed from outside, five times
for _ in 1 2 3 4 5; do
  curl -s -o "$WORK/federate.txt" -w '%{time_total} %{size_download}\n' \
    "http://127.0.0.1:$PROM_PORT/federate?match%5B%5D=%7B__name__%3D~%22vllm%3A.%2A%22%7D&match%5B%5D=up" >> "$WORK/federate.times"
done
HZ=$(getconf CLK_TCK)
python3 - "$T0" "$T1" "$P0" "$P1" "$S0" "$S1" "$HZ" "$MAX_RSS" "$RSS" "$WORK/top.out" "$WORK/federate.times" <<'PY'
import json, statistics, sys
t0, t1, p0, p1, s0, s1, hz, max_rss, rss, out, times = sys.argv[1:]
secs = float(s1) - float(s0)
cpu = (int(t1) - int(t0)) / int(hz)
prom = (int(p1) - int(p0)) / int(hz)
last = None
for line in open(out):
    line = line.strip()
    if line.startswith("{"):
        last = line
snap = json.loads(last)
rows = len(snap["replicas"])
targets = len(snap["targets"])
read = sum(1 for t in snap["targets"] if t["error"] is None and t["last_scrape_ago_ms"] >= 0)
models = {m["model"]: m["replicas"] for m in snap["models"]}
ft = [tuple(map(float, l.split())) for l in open(times) if l.strip()]
print(f"top: {cpu:.1f} s of CPU in {secs:.0f} s = {100 * cpu / secs:.2f}% of one core; "
      f"RSS largest {int(max_rss) / 1024:.0f} MB, at the end {int(rss) / 1024:.0f} MB")
print(f"prometheus: {100 * prom / secs:.1f}% of one core over the same time (scraping and serving top)")
print(f"last snapshot: {targets} targets ({read} read), {rows} replica rows; models: {models}; "
      f"source_error: {snap.get('source_error')}")
print(f"a federation GET of every vllm: series: median {statistics.median(t for t, _ in ft) * 1000:.0f} ms, "
      f"{statistics.median(b for _, b in ft) / 1e6:.1f} MB (top asks only for the series it shows)")
PY
