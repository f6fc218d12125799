#!/usr/bin/env bash
# Three gateways behind nginx that share one redis-server and one PostgreSQL, with `llmlab sim` upstream, all on
# loopback and started here (Debian's packages: nginx-light, redis-server, postgresql). `llmlab bench` loads them
# through nginx, above the limits, and then through faults:
#
#   1. tpm      a team's tokens per minute (TPM) under a load of about 3x it: the tokens admitted in any 60 s,
#               from the spend ledger, against the limit (the same load on three gateways that count alone, without
#               Redis, for comparison: that is the N-fold over-admission a shared store prevents);
#   2. budget   a team's budget of tokens per day (BUDGET) under a load that wants far more: what the ledger holds
#               for it at the end, against the budget;
#   3. faults   a steady load during each fault in turn: kill -9 one gateway (then start it again: its spend journal
#               is written), restart Redis (budgets fail closed meanwhile, the default), stop PostgreSQL for 10 s
#               (spend waits in memory and the journal). After each, the ledger's tokens for the run against the
#               usage the clients received (bench's per-request log: prompt tokens as the server counted them,
#               plus the output tokens of its usage), request by request summed.
#
# Usage:  flock /tmp/llmlab-perf.lock benchmarks/gateway-cluster.sh
# Env:    TPM=300000 BUDGET=200000 RATE=300 (req/s of the loads) FAULT_SECS=30 GATEWAY_THREADS=1
#         ONLY_TPM=1 (phase 1 alone)
# Needs:  llmlab-cli/target/llmlab.jar, nginx, redis-server, PostgreSQL's initdb and pg_ctl.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TPM=${TPM:-300000}
BUDGET=${BUDGET:-200000}
RATE=${RATE:-300}
FAULT_SECS=${FAULT_SECS:-30}
GATEWAY_THREADS=${GATEWAY_THREADS:-1}

NAME=gateway-cluster
# shellcheck source=lib.sh
. "$ROOT/benchmarks/lib.sh"
REDIS_BIN=$(command -v redis-server || true)
[ -n "$REDIS_BIN" ] || die "needs redis-server (apt-get install redis-server)"
NGINX_BIN=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$NGINX_BIN" ] || die "needs nginx (apt-get install nginx-light)"
PG_BIN=$(dirname "$(ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -1)")
[ -x "$PG_BIN/initdb" ] || die "needs PostgreSQL (apt-get install postgresql)"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

declare -A GW_PID GW_PORT
REDIS_PID=""
# Every process started here is listed in $WORK/pids: the faults start some in a subshell, whose variables the
# cleanup would not see.
cleanup() {
  if [ -f "$WORK/pids" ]; then while read -r p; do stop_pid "$p" 10; done < "$WORK/pids"; fi
  [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true
  stop_pid "$SIM_PID" 10
  [ -d "$WORK/pg" ] && as_pg "$PG_BIN/pg_ctl" -D "$WORK/pg/data" -m immediate stop > /dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
raise_fd_limit 20000 4096

# PostgreSQL will not run as root: as Debian's postgres user then.
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
PG_PORT=$(free_port)
mkdir -p "$WORK/pg"
[ "$(id -u)" = 0 ] && chown postgres "$WORK/pg" && chmod 755 "$WORK"
as_pg "$PG_BIN/initdb" -D "$WORK/pg/data" -U llmlab --auth=trust --no-sync -E UTF8 --locale=C > "$WORK/initdb.log" 2>&1 \
  || { cat "$WORK/initdb.log" >&2; die "initdb failed"; }
pg_start() {
  as_pg "$PG_BIN/pg_ctl" -D "$WORK/pg/data" -l "$WORK/pg/log" -w -t 60 \
    -o "-p $PG_PORT -k $WORK/pg -c listen_addresses=127.0.0.1 -c fsync=off" start > /dev/null
}
pg_stop() { as_pg "$PG_BIN/pg_ctl" -D "$WORK/pg/data" -m immediate -w stop > /dev/null; }
pg_start
as_pg "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U llmlab llmlab
psql_q() { as_pg "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U llmlab -d llmlab -At -c "$1"; }

REDIS_PORT=$(free_port)
redis_start() {
  "$REDIS_BIN" --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no > "$WORK/redis.log" 2>&1 &
  REDIS_PID=$!
  echo "$REDIS_PID" >> "$WORK/pids"
  for _ in $(seq 100); do grep -q "Ready to accept connections" "$WORK/redis.log" && return 0; sleep 0.1; done
  cat "$WORK/redis.log" >&2; die "redis-server did not start"
}
redis_start

start_sim sim --profile instant --host 127.0.0.1 --port 0 --io-threads 1
SIM_PORT=$PORT

# One config for the three gateways (each gets its own --port, hence its own spend journal); the second set counts
# its limits alone, for the comparison of phase 1.
config() { # state section
  cat <<YAML
server: {host: 127.0.0.1, io_threads: $GATEWAY_THREADS}
access_log: {destination: "off"}
$1
client_keys:
  - {name: load, key: "sk-load", team: tpm-team}
  - {name: spender, key: "sk-spend", team: budget-team}
  - {name: steady, key: "sk-steady", team: steady-team}
teams:
  - {name: tpm-team, limits: {tpm: $TPM}}
  - {name: budget-team, limits: {tokens_per_day: $BUDGET}}
  - {name: steady-team, limits: {rpm: 100000000, tokens_per_day: 1000000000000}}
routes:
  - name: "*"
    deployments:
      - {provider: openai-compatible, base_url: "http://127.0.0.1:$SIM_PORT/v1", model: "*"}
YAML
}
config "state: {store: postgres, path: $WORK/state, postgres: {url: \"jdbc:postgresql://127.0.0.1:$PG_PORT/llmlab\", user: llmlab}, redis: {url: \"redis://127.0.0.1:$REDIS_PORT\"}}" \
  > "$WORK/shared.yaml"
config "state: {store: memory}" > "$WORK/alone.yaml"

start_gw() { # label, config, port
  "$JAVA" "${LLMLAB_JVM_FLAGS[@]}" ${LLMLAB_JAVA_OPTS:-} -jar "$WORK/llmlab.jar" gateway --config "$2" --port "$3" \
    >> "$WORK/gateway-$1.log" 2>&1 &
  GW_PID[$1]=$!
  echo "$!" >> "$WORK/pids"
  GW_PORT[$1]=$3
  for _ in $(seq 600); do
    kill -0 "${GW_PID[$1]}" 2>/dev/null || { cat "$WORK/gateway-$1.log" >&2; die "the gateway $1 exited early"; }
    [ "$(grep -c "gateway listening on http://127.0.0.1:$3" "$WORK/gateway-$1.log")" -ge "${4:-1}" ] && return 0
    sleep 0.1
  done
  die "the gateway $1 did not start listening"
}
for i in 1 2 3; do start_gw "s$i" "$WORK/shared.yaml" "$(free_port)"; done
for i in 1 2 3; do start_gw "a$i" "$WORK/alone.yaml" "$(free_port)"; done

NGINX_SHARED=$(free_port)
NGINX_ALONE=$(free_port)
mkdir -p "$WORK/nginx"
cat > "$WORK/nginx.conf" <<CONF
worker_processes 1;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events { worker_connections 8192; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx/body;
  proxy_temp_path $WORK/nginx/proxy;
  upstream shared { server 127.0.0.1:${GW_PORT[s1]}; server 127.0.0.1:${GW_PORT[s2]}; server 127.0.0.1:${GW_PORT[s3]}; keepalive 64; }
  upstream alone { server 127.0.0.1:${GW_PORT[a1]}; server 127.0.0.1:${GW_PORT[a2]}; server 127.0.0.1:${GW_PORT[a3]}; keepalive 64; }
  server {
    listen 127.0.0.1:$NGINX_SHARED;
    location / { proxy_pass http://shared; proxy_http_version 1.1; proxy_set_header Connection ""; proxy_buffering off; }
  }
  server {
    listen 127.0.0.1:$NGINX_ALONE;
    location / { proxy_pass http://alone; proxy_http_version 1.1; proxy_set_header Connection ""; proxy_buffering off; }
  }
}
CONF
"$NGINX_BIN" -c "$WORK/nginx.conf" -p "$WORK" -g "daemon on;" || die "nginx did not start"
for _ in $(seq 100); do curl -fs -o /dev/null "http://127.0.0.1:$NGINX_SHARED/metrics" && break; sleep 0.1; done

load() { # label, url port, key, rate, seconds: bench through nginx, every request in $WORK/LABEL.jsonl
  local code=0
  "${BENCH[@]}" --url "http://127.0.0.1:$2/v1" --api-key "$3" --rate "$4" --max-concurrency 512 --no-stream --no-check \
    --max-tokens 16 --input-tokens 32 --duration "$5s" --warmup 0s --quiet --json "$WORK/$1.json" \
    --requests-jsonl "$WORK/$1.jsonl" > "$WORK/$1.log" 2>&1 || code=$?
  [ "$code" = 0 ] || [ "$code" -ge 16 ] || { cat "$WORK/$1.log" >&2; die "the $1 load failed"; }
}
# What clients received: per request, the prompt's tokens (the server's count) and the answer's usage (--no-check:
# no request is sent outside the log).
received() { python3 -c '
import json, sys
print(sum(r["input_tokens"] + r["usage_output_tokens"] for r in map(json.loads, open(sys.argv[1])) if r["outcome"] == "ok"))' "$1"; }
outcomes() { python3 -c '
import collections, json, sys
print(dict(collections.Counter(str(r["status"]) for r in map(json.loads, open(sys.argv[1])))))' "$1"; }
ledger() { psql_q "select coalesce(sum(input_tokens + output_tokens), 0) from spend where key_name = '$1'"; }
settled() { # waits until no gateway of the shared set has spend rows waiting
  for _ in $(seq 600); do
    local waiting=0
    for i in 1 2 3; do
      local w
      w=$(curl -fs "http://127.0.0.1:${GW_PORT[s$i]}/metrics" 2>/dev/null \
        | awk '$1 == "llmlab_gateway_spend_rows_waiting" { print $2 }') || w=1
      waiting=$(python3 -c "print(int($waiting + float('${w:-1}')))")
    done
    [ "$waiting" = 0 ] && return 0
    sleep 0.1
  done
  die "spend rows still wait after 60 s"
}

echo "$NAME: 3 gateways (${GATEWAY_THREADS} event loop each) behind nginx, redis-server, PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}'), llmlab sim --profile instant; whole answers of 16 tokens, prompts of 32" >&2

# 1. tokens per minute held across the cluster
WANT=$(python3 -c "print(round(3 * $TPM / 60 / 50))")   # about 50 tokens a request: 3x the limit
echo "== 1. tpm: a team limit of $TPM tokens/min, load $WANT req/s (about 3x) for 70 s" >&2
load tpm-shared "$NGINX_SHARED" sk-load "$WANT" 70 &
SHARED_LOAD=$!
load tpm-alone "$NGINX_ALONE" sk-load "$WANT" 70 &
ALONE_LOAD=$!
wait "$SHARED_LOAD" "$ALONE_LOAD"
settled
psql_q "select (extract(epoch from at) * 1000)::bigint, input_tokens + output_tokens from spend where key_name = 'load'" \
  > "$WORK/tpm-ledger.txt"
python3 - "$WORK" "$TPM" <<'PY'
import collections, json, sys
work, tpm = sys.argv[1], int(sys.argv[2])
def windows(events):  # (ms, tokens): the most in any 60 s window, stepping a second at a time
    by = collections.Counter()
    for ms, t in events: by[ms // 1000] += t
    if not by: return 0, 0
    lo, hi = min(by), max(by)
    sums = [sum(by[s] for s in range(a, a + 60)) for a in range(lo, max(lo, hi - 59) + 1)]
    return max(sums), sum(sums) / len(sums)
ledger = [tuple(map(int, l.split("|"))) for l in open(f"{work}/tpm-ledger.txt") if l.strip()]
def client(label):
    rows = [json.loads(l) for l in open(f"{work}/{label}.jsonl")]
    return [(int(r["sent_ms"]), r["input_tokens"] + r["usage_output_tokens"]) for r in rows if r["outcome"] == "ok"]
for label, events in (("shared (Redis), ledger", ledger), ("shared (Redis), clients", client("tpm-shared")),
                      ("alone (no Redis), clients", client("tpm-alone"))):
    most, mean = windows(events)
    print(f"tpm {label:28s} most in any 60 s: {most:9d} = {most / tpm:.3f}x the limit; mean of windows {mean / tpm:.3f}x")
PY
echo "   statuses: shared $(outcomes "$WORK/tpm-shared.jsonl")  alone $(outcomes "$WORK/tpm-alone.jsonl")"
# Requests the limits decided without Redis (its calls failed or timed out): counted by each gateway alone.
for i in 1 2 3; do
  curl -fs "http://127.0.0.1:${GW_PORT[s$i]}/metrics" | awk -v g="s$i" '
    index($1, "llmlab_gateway_limits_store_errors_total") == 1 { e += $2 }
    index($1, "llmlab_gateway_limits_fallback_total") == 1 { f += $2 }
    index($1, "llmlab_gateway_limits_checks_total{") == 1 && /where="credit"/ { c += $2 }
    index($1, "llmlab_gateway_limits_checks_total{") == 1 && /where="store"/ { r += $2 }
    END { printf "   gateway %s: limits store errors %d, requests decided without Redis %d; checked on its credit %d, in Redis %d\n", g, e, f, c, r }'
done

[ "${ONLY_TPM:-0}" = 1 ] && exit 0

# 2. a budget under a load that wants far more
echo "== 2. budget: a team budget of $BUDGET tokens/day, load 200 req/s for 20 s (about 4x it)" >&2
load budget "$NGINX_SHARED" sk-spend 200 20
settled
SPENT=$(ledger spender)
python3 -c "b=$BUDGET; s=$SPENT; print(f'budget spent per the ledger {s} of {b}: {s / b:.4f}x, over by {max(0, s - b)} tokens')"
echo "   statuses: $(outcomes "$WORK/budget.jsonl")"

# 3. faults during a steady load
fault_run() { # label, the fault (a function run in the background at 10 s)
  settled
  local before after got
  before=$(ledger steady)
  ( sleep 10; "$2" ) &
  local fault=$!
  load "$1" "$NGINX_SHARED" sk-steady "$RATE" "$FAULT_SECS"
  wait "$fault"
  settled
  after=$(ledger steady)
  got=$(received "$WORK/$1.jsonl")
  python3 -c "l=$after-$before; c=$got; print(f'$1: ledger {l} tokens, clients received {c}: difference {l - c} ({(l - c) / max(c, 1) * 100:+.3f}%)')"
  echo "   statuses: $(outcomes "$WORK/$1.jsonl")"
}
kill_gw2() {
  kill -9 "${GW_PID[s2]}"
  sleep 5
  # started again on its port: it writes what its journal holds before it serves
  start_gw s2 "$WORK/shared.yaml" "${GW_PORT[s2]}" 2
}
restart_redis() { kill -9 "$REDIS_PID"; wait "$REDIS_PID" 2>/dev/null || true; sleep 2; redis_start; }
pg_down_10s() { pg_stop; sleep 10; pg_start; }
echo "== 3. faults, each during ${FAULT_SECS}s of $RATE req/s" >&2
fault_run "kill-9" kill_gw2
fault_run "redis-restart" restart_redis
fault_run "postgres-10s" pg_down_10s
grep -h "wrote .* rows a previous gateway left" "$WORK"/gateway-s2.log | sed 's/^/   /' || true
