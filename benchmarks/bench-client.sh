#!/usr/bin/env bash
# The load generator's own ceiling and precision (issue 5), one measurement per subcommand:
#   vs-wrk     nginx (one worker) serving a fixed chat answer; wrk -t1 -c64 and `llmlab bench --concurrency 64
#              --no-stream` alternate RUNS times for SECS each; medians and their ratio. (wrk -t1 beats -t2 on two
#              cores shared with nginx.) llmlab's runs add a 5 s warm-up the figures leave out (the JIT).
#   tls        the same nginx serving the same answer over http and https (a throw-away CA made with openssl);
#              `llmlab bench` over each, alternating RUNS times, and wrk over https; medians, the TLS/plain
#              ratio and the engine (openssl or jdk) the result records.
#   open-loop  `llmlab sim --profile instant` in its own JVM; `llmlab bench --rate RATE` for a 10 s linear ramp
#              and then SECS measured seconds; prints validity, schedule lag, sent rate. STREAM=0 for --no-stream.
#   accuracy   `llmlab sim --ttft 100ms --itl 20ms`, warmed by 20 s of 512 short streams; then a closed loop of 8
#              streams for SECS; TTFT and ITL p50 against the server's 100 ms and 20 ms.
#   streams    COUNT concurrent streams (closed loop, 5 s ramp) against a simulator whose streams last about
#              30 s; the client's heap after a full GC and RSS at 20 s, against the same run with 100 streams:
#              (difference) / (COUNT - 100) is the client memory per in-flight stream.
# Usage:  flock /tmp/llmlab-perf.lock benchmarks/bench-client.sh vs-wrk|tls|open-loop|accuracy|streams
# Env:    SECS (10 vs-wrk, 60 open-loop, 30 accuracy), RUNS=3, RATE=10000, STREAM=1, COUNT=10000,
#         IO_THREADS=1 (vs-wrk and tls; 'default' leaves the flag out: one event loop per core),
#         CLIENT_JAR=FILE (run the client from another build, e.g. the previous commit's, against the same server)
# Needs:  llmlab-cli/target/llmlab.jar; wrk and nginx for vs-wrk and tls, openssl for tls.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WHAT=${1:-}
NAME=bench-client
# shellcheck source=lib.sh
. "$ROOT/benchmarks/lib.sh"
CLIENT_PID=""
cleanup() {
  stop_pid "$CLIENT_PID" 10
  stop_pid "$SIM_PID" 15
  [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

BENCH+=(--quiet)
IO=(--io-threads "${IO_THREADS:-1}"); [ "${IO_THREADS:-1}" = default ] && IO=()
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

case "$WHAT" in
vs-wrk)
  SECS=${SECS:-10}; RUNS=${RUNS:-3}
  command -v wrk >/dev/null && command -v nginx >/dev/null || die "needs wrk and nginx (apt-get install wrk nginx-light)"
  BODY='{"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"message":{"role":"assistant","content":"I am doing well, thank you for asking. How can I help you today?"},"finish_reason":"stop"}],"usage":{"prompt_tokens":14,"completion_tokens":16,"total_tokens":30}}'
  NGINX_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  cat >"$WORK/nginx.conf" <<CONF
worker_processes 1;
pid $WORK/nginx.pid;
error_log $WORK/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 100000000;
  server { listen 127.0.0.1:$NGINX_PORT; location / { default_type application/json; return 200 '$BODY'; } }
}
CONF
  nginx -c "$WORK/nginx.conf" -p "$WORK"
  until curl -fs -o /dev/null "http://127.0.0.1:$NGINX_PORT/"; do sleep 0.05; done
  URL="http://127.0.0.1:$NGINX_PORT/v1"
  echo "nginx on $URL; load: $(uptime)"
  wrks=(); ours=()
  for i in $(seq "$RUNS"); do
    wrks+=("$(wrk -t1 -c64 -d"${SECS}s" -s "$ROOT/benchmarks/chat.lua" "$URL/chat/completions" | awk '/Requests\/sec/ {print $2}')")
    "${BENCH[@]}" --url "$URL" "${IO[@]}" --concurrency 64 --no-stream --duration "$((SECS + 5))s" --warmup 5s --json "$WORK/run.json"
    [ "$(field "$WORK/run.json" "d['summary']['requests_failed']")" = 0 ] || die "llmlab bench saw errors"
    ours+=("$(field "$WORK/run.json" "round(d['summary']['request_throughput'])")")
    echo "run $i: wrk ${wrks[-1]} req/s, llmlab bench ${ours[-1]} req/s"
  done
  mw=$(median "${wrks[@]}"); mo=$(median "${ours[@]}")
  echo "median: wrk $mw req/s, llmlab bench $mo req/s; ratio $(awk -v a="$mo" -v b="$mw" 'BEGIN {printf "%.2f", a/b}')"
  ;;
tls)
  SECS=${SECS:-10}; RUNS=${RUNS:-3}
  command -v wrk >/dev/null && command -v nginx >/dev/null && command -v openssl >/dev/null \
    || die "needs wrk, nginx and openssl (apt-get install wrk nginx-light openssl)"
  BODY='{"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"message":{"role":"assistant","content":"I am doing well, thank you for asking. How can I help you today?"},"finish_reason":"stop"}],"usage":{"prompt_tokens":14,"completion_tokens":16,"total_tokens":30}}'
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj "/CN=test CA" \
    -keyout "$WORK/ca.key" -out "$WORK/ca.pem" 2>/dev/null
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=127.0.0.1" \
    -keyout "$WORK/server.key" -out "$WORK/server.csr" 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' > "$WORK/ext.cnf"
  openssl x509 -req -in "$WORK/server.csr" -CA "$WORK/ca.pem" -CAkey "$WORK/ca.key" -CAcreateserial -days 1 \
    -extfile "$WORK/ext.cnf" -out "$WORK/server.pem" 2>/dev/null
  read -r PLAIN TLS < <(python3 -c 'import socket
s=[socket.socket() for _ in range(2)]
[x.bind(("127.0.0.1",0)) for x in s]
print(*[x.getsockname()[1] for x in s])')
  cat >"$WORK/nginx.conf" <<CONF
worker_processes 1;
pid $WORK/nginx.pid;
error_log $WORK/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 100000000;
  server {
    listen 127.0.0.1:$PLAIN;
    listen 127.0.0.1:$TLS ssl;
    ssl_certificate $WORK/server.pem;
    ssl_certificate_key $WORK/server.key;
    ssl_protocols TLSv1.2 TLSv1.3;
    location / { default_type application/json; return 200 '$BODY'; }
  }
}
CONF
  nginx -c "$WORK/nginx.conf" -p "$WORK"
  until curl -fs -o /dev/null "http://127.0.0.1:$PLAIN/"; do sleep 0.05; done
  echo "nginx on :$PLAIN (http) and :$TLS (https); load: $(uptime)"
  plains=(); tlss=(); wrks=()
  for i in $(seq "$RUNS"); do
    for scheme in http https; do
      port=$PLAIN; [ "$scheme" = https ] && port=$TLS
      "${BENCH[@]}" --url "$scheme://127.0.0.1:$port/v1" --ca-cert "$WORK/ca.pem" "${IO[@]}" --concurrency 64 \
        --no-stream --duration "$((SECS + 5))s" --warmup 5s --json "$WORK/$scheme.json"
      [ "$(field "$WORK/$scheme.json" "d['summary']['requests_failed']")" = 0 ] || die "llmlab bench saw errors over $scheme"
      r=$(field "$WORK/$scheme.json" "round(d['summary']['request_throughput'])")
      if [ "$scheme" = http ]; then plains+=("$r"); else tlss+=("$r"); fi
    done
    wrks+=("$(wrk -t1 -c64 -d"${SECS}s" -s "$ROOT/benchmarks/chat.lua" "https://127.0.0.1:$TLS/v1/chat/completions" | awk '/Requests\/sec/ {print $2}')")
    echo "run $i: llmlab bench http ${plains[-1]}, https ${tlss[-1]} req/s; wrk https ${wrks[-1]} req/s"
  done
  mp=$(median "${plains[@]}"); mt=$(median "${tlss[@]}"); mw=$(median "${wrks[@]}")
  echo "median: llmlab bench http $mp, https $mt req/s (https/http $(awk -v a="$mt" -v b="$mp" 'BEGIN {printf "%.2f", a/b}')); wrk https $mw req/s (llmlab/wrk over https $(awk -v a="$mt" -v b="$mw" 'BEGIN {printf "%.2f", a/b}'))"
  field "$WORK/https.json" "'TLS: engine %s, %s, %s' % (d['environment']['tls']['engine'], d['environment']['tls']['protocol'], d['environment']['tls']['cipher'])"
  ;;
open-loop)
  SECS=${SECS:-60}; RATE=${RATE:-10000}; STREAM=${STREAM:-1}
  raise_fd_limit 20000 10000
  start_sim sim --profile instant --host 127.0.0.1 --port 0
  flag=--stream; [ "$STREAM" = 1 ] || flag=--no-stream
  echo "simulator on $PORT; bench --rate $RATE $flag, 10 s ramp + $SECS s; load: $(uptime)"
  "${BENCH[@]}" --url "http://127.0.0.1:$PORT/v1" --rate "$RATE" $flag --max-tokens 16 --input-tokens 32 \
    --ramp linear --ramp-time 10s --warmup 10s --duration "$((SECS + 10))s" --json "$WORK/run.json" || true
  field "$WORK/run.json" "'valid %s %s; sent_rate %.1f/s (target $RATE); schedule lag p50 %.3f ms p99 %.3f ms max %.2f ms; completed %d failed %d; connections %d; ttft p50 %s ms; e2e p50 %.3f ms p99 %.3f ms' % (d['summary']['valid'], d['summary']['invalid_reason'] or '', d['summary']['sent_rate'], d['summary']['schedule_lag']['p50'], d['summary']['schedule_lag']['p99'], d['summary']['schedule_lag']['max'], d['summary']['requests_completed'], d['summary']['requests_failed'], d['summary']['connections_opened'], d['metrics']['ttft']['p50'], d['metrics']['e2e']['p50'], d['metrics']['e2e']['p99'])"
  ;;
accuracy)
  SECS=${SECS:-30}
  start_sim sim --ttft 100ms --itl 20ms --host 127.0.0.1 --port 0
  echo "simulator on $PORT with --ttft 100ms --itl 20ms; load: $(uptime)"
  # Both JVMs warm first: a cold simulator spends milliseconds per request in the interpreter, which
  # would be measured as TTFT (512 streams of 4 tokens for 20 s: about 50,000 requests).
  "${BENCH[@]}" --url "http://127.0.0.1:$PORT/v1" --concurrency 512 --max-tokens 4 --duration 20s --json "$WORK/warm.json"
  "${BENCH[@]}" --url "http://127.0.0.1:$PORT/v1" --concurrency 8 --max-tokens 32 --duration "${SECS}s" --warmup 5s \
    --json "$WORK/run.json" --requests-jsonl "$WORK/requests.jsonl"
  python3 - "$WORK/requests.jsonl" <<'PY'
import json, statistics, sys
rs = [json.loads(l) for l in open(sys.argv[1])]
m = lambda f: statistics.median(f(r) for r in rs)
print("median split: send to first byte (the headers) %.3f ms, first byte to first token %.3f ms"
      % (m(lambda r: r["first_byte_ms"] - r["sent_ms"]), m(lambda r: r["first_token_ms"] - r["first_byte_ms"])))
PY
  field "$WORK/run.json" "'requests %d; ttft p50 %.3f ms (%+.3f), p99 %.3f; itl p50 %.3f ms (%+.3f), p99 %.3f; tpot p50 %.3f ms' % (d['summary']['requests_completed'], d['metrics']['ttft']['p50'], d['metrics']['ttft']['p50'] - 100, d['metrics']['ttft']['p99'], d['metrics']['itl']['p50'], d['metrics']['itl']['p50'] - 20, d['metrics']['itl']['p99'], d['metrics']['tpot']['p50'])"
  ;;
streams)
  COUNT=${COUNT:-10000}
  raise_fd_limit 20000 $((COUNT + 200))
  JCMD="$JAVA_HOME/bin/jcmd"; JSTAT="$JAVA_HOME/bin/jstat"
  start_sim sim --ttft 1s --itl 500ms --host 127.0.0.1 --port 0
  echo "simulator on $PORT: streams of 60 tokens, 1 s + 59 x 0.5 s; load: $(uptime)"
  measure() { # n streams: starts a 40 s run, measures the client at 20 s
    local n=$1
    "${BENCH[@]}" --url "http://127.0.0.1:$PORT/v1" --concurrency "$n" --ramp linear --ramp-time 5s --max-tokens 60 \
      --input-tokens 16 --duration 40s --timeout 120s --json "$WORK/s$n.json" &
    CLIENT_PID=$!
    sleep 20
    local open
    open=$(curl -fs "http://127.0.0.1:$PORT/metrics" | awk '$1 ~ /^llmlab_active_streams/ { s += $2 } END { printf "%d", s }')
    "$JCMD" "$CLIENT_PID" GC.run > /dev/null; "$JCMD" "$CLIENT_PID" GC.run > /dev/null
    local used rss
    used=$("$JSTAT" -gc "$CLIENT_PID" | awk 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i }
      NR == 2 { printf "%.0f", $col["S0U"] + $col["S1U"] + $col["EU"] + $col["OU"] }')
    rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$CLIENT_PID/status")
    wait "$CLIENT_PID" || true
    CLIENT_PID=""
    echo "$n $open $used $rss"
  }
  read -r n1 open1 used1 rss1 < <(measure 100)
  read -r n2 open2 used2 rss2 < <(measure "$COUNT")
  echo "100 streams: server streams open $open1, client heap after GC $used1 KB, RSS $rss1 KB"
  echo "$COUNT streams: server streams open $open2, client heap after GC $used2 KB, RSS $rss2 KB"
  field "$WORK/s$COUNT.json" "'$COUNT-stream run: completed %d, failed %d %s, ttft p50 %.1f ms, itl p50 %.1f ms p99 %.1f ms' % (d['summary']['requests_completed'], d['summary']['requests_failed'], d['summary']['errors'], d['metrics']['ttft']['p50'], d['metrics']['itl']['p50'], d['metrics']['itl']['p99'])"
  awk -v a="$used1" -v b="$used2" -v r1="$rss1" -v r2="$rss2" -v n="$((COUNT - 100))" \
    'BEGIN {printf "client memory per in-flight stream: heap %.1f KB, RSS %.1f KB\n", (b - a) / n, (r2 - r1) / n}'
  ;;
*) die "usage: $0 vs-wrk|tls|open-loop|accuracy|streams" ;;
esac
