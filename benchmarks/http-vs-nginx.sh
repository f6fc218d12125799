#!/usr/bin/env bash
# Non-streaming chat, instant profile, 64 keep-alive connections from wrk, side by side with nginx
# (one worker) returning a JSON body of the same size. Runs alternate, 3 of each; prints medians
# and the ratio. Needs wrk and nginx (apt-get install wrk nginx-light).
# Like for like: nginx runs one worker process, so the simulator runs one event-loop thread
# (IO_THREADS=2 or more measures the default of one per core, which on two cores shared with wrk
# loses to the extra context switches).
# Usage: [IO_THREADS=n] benchmarks/http-vs-nginx.sh [seconds per run] [runs]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SECS=${1:-10}; RUNS=${2:-3}; IO_THREADS=${IO_THREADS:-1}
SIM_PORT=18201; NGINX_PORT=18202
WORK=$(mktemp -d)
cleanup() { [ -n "${SIM_PID:-}" ] && kill "$SIM_PID" 2>/dev/null; [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

"$ROOT/llmlab" sim --profile instant --io-threads "$IO_THREADS" --host 127.0.0.1 --port $SIM_PORT >"$WORK/sim.log" 2>&1 &
SIM_PID=$!
for _ in $(seq 600); do
  curl -fs -o /dev/null "http://127.0.0.1:$SIM_PORT/health" && break
  kill -0 "$SIM_PID" 2>/dev/null || { echo "sim failed to start:" >&2; cat "$WORK/sim.log" >&2; exit 1; }
  sleep 0.1
done

# nginx returns a body of the same size as the simulator's answer to the wrk request.
BODY=$(curl -s "http://127.0.0.1:$SIM_PORT/v1/chat/completions" -H 'content-type: application/json' \
  -d '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hello, how are you today?"}],"max_tokens":16}')
ESCAPED=$(printf '%s' "$BODY" | sed "s/'/\\\\'/g")
cat >"$WORK/nginx.conf" <<CONF
worker_processes 1;
pid $WORK/nginx.pid;
error_log $WORK/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 100000000;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    location / { default_type application/json; return 200 '$ESCAPED'; }
  }
}
CONF
nginx -c "$WORK/nginx.conf" -p "$WORK"
until curl -fs -o /dev/null "http://127.0.0.1:$NGINX_PORT/"; do sleep 0.05; done
echo "body bytes: sim $(printf '%s' "$BODY" | wc -c), nginx $(curl -s "http://127.0.0.1:$NGINX_PORT/" | wc -c)"

run() { wrk -t1 -c64 -d"${SECS}s" -s "$ROOT/benchmarks/chat.lua" "$1" | awk '/Requests\/sec/ {print $2}'; }
# Warm the JVM up before measuring.
wrk -t1 -c64 -d10s -s "$ROOT/benchmarks/chat.lua" "http://127.0.0.1:$SIM_PORT/v1/chat/completions" >/dev/null
sims=(); nginxs=()
for i in $(seq "$RUNS"); do
  sims+=("$(run "http://127.0.0.1:$SIM_PORT/v1/chat/completions")")
  nginxs+=("$(run "http://127.0.0.1:$NGINX_PORT/")")
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ms=$(median "${sims[@]}"); mn=$(median "${nginxs[@]}")
echo "sim ($IO_THREADS I/O threads) req/s: ${sims[*]}  median $ms"
echo "nginx req/s: ${nginxs[*]}  median $mn"
awk -v s="$ms" -v n="$mn" 'BEGIN {printf "ratio sim/nginx: %.2f\n", s/n}'
