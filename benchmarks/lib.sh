# Shared by the load scripts in benchmarks/: JDK, the llmlab jar, a private work directory, process stops.
# Sourced after ROOT and NAME are set; defines die, stop_pid, raise_fd_limit, start_sim, start_loaded_sims, start_gateway,
# field, SIM_JAR, WORK,
# and BENCH: `llmlab bench` in its own JVM (CLIENT_JAVA_OPTS adds JVM options to it; CLIENT_JAR=FILE runs the client
# from another build's jar, to compare two clients against the same server side by side).

die() { echo "$NAME: $*" >&2; exit 1; }

# shellcheck source=../scripts/jdk.sh
. "$ROOT/scripts/jdk.sh"
llmlab_find_jdk || die "no JDK >= 21"
llmlab_jvm_flags
SIM_JAR="$ROOT/llmlab-cli/target/llmlab.jar"
# With USE_LAUNCHER=1 the launcher rebuilds the jar when the sources changed; the client runs that build too.
[ "${USE_LAUNCHER:-0}" != 1 ] || "$ROOT/llmlab" --version > /dev/null || die "./llmlab could not build the jar"
[ -f "$SIM_JAR" ] || die "missing $SIM_JAR; build first (./build -q -pl llmlab-cli -am package -Dmaven.test.skip=true)"

# The jar is copied to a private directory: other builds in the same tree may rewrite it mid-run.
SIM_PID=""
WORK=$(mktemp -d "/tmp/$NAME.XXXXXX")
cp "$SIM_JAR" "$WORK/llmlab.jar"
if [ -n "${CLIENT_JAR:-}" ]; then
  [ -f "$CLIENT_JAR" ] || die "CLIENT_JAR $CLIENT_JAR does not exist"
  cp "$CLIENT_JAR" "$WORK/client.jar"
else
  ln -s llmlab.jar "$WORK/client.jar"
fi
# An array, not a function: started with `&`, $! is then the JVM itself (signals, jcmd and top reach it).
# shellcheck disable=SC2206
BENCH=("$JAVA" "${LLMLAB_JVM_FLAGS[@]}" ${CLIENT_JAVA_OPTS:-} -jar "$WORK/client.jar" bench)

field() { # json file, python expression on d (the file's JSON)
  python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"
}

stop_pid() { # pid, seconds to wait after SIGTERM before SIGKILL
  local pid=$1 t=$2
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq $((t * 10))); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

raise_fd_limit() { # cap, descriptors needed
  local hard
  hard=$(ulimit -Hn)
  if [ "$hard" = unlimited ] || [ "$hard" -gt "$1" ]; then hard=$1; fi
  ulimit -n "$hard" 2>/dev/null || true
  [ "$(ulimit -n)" -ge "$2" ] || die "fd limit $(ulimit -n) (hard $(ulimit -Hn)) is too low for $2 descriptors"
}

start_sim() { # sim arguments...; sets SIM_PID and PORT once the simulator logs its port
  if [ "${USE_LAUNCHER:-0}" = 1 ]; then
    "$ROOT/llmlab" "$@" > "$WORK/sim.log" 2>&1 &
  else
    # The same JVM flags as ./llmlab, minus its start-up cache.
    # shellcheck disable=SC2086
    "$JAVA" "${LLMLAB_JVM_FLAGS[@]}" ${LLMLAB_JAVA_OPTS:-} -jar "$WORK/llmlab.jar" "$@" > "$WORK/sim.log" 2>&1 &
  fi
  SIM_PID=$!
  PORT=""
  for _ in $(seq 600); do   # up to 60 s (a launcher build can take a while)
    kill -0 "$SIM_PID" 2>/dev/null || { cat "$WORK/sim.log" >&2; die "the simulator exited early"; }
    PORT=$(grep -o 'listening on http://127.0.0.1:[0-9]*' "$WORK/sim.log" 2>/dev/null | head -1 | sed 's/.*://') || true
    [ -n "$PORT" ] && return 0
    sleep 0.1
  done
  cat "$WORK/sim.log" >&2
  # a start that hangs is a bug to find: its threads, for the report
  "${JAVA%/*}/jcmd" "$SIM_PID" Thread.print > "/tmp/$NAME-sim-hang.$SIM_PID.txt" 2>&1 \
    && echo "$NAME: the simulator's threads are in /tmp/$NAME-sim-hang.$SIM_PID.txt" >&2
  die "the simulator did not start listening within 60 s"
}

start_loaded_sims() { # count, load rate, seconds: simulators on free ports (SIM_PIDS, PORTS), every histogram
  # given counts by a short fill, and the first kept under load (LOAD_PID) for the seconds given, so pages change
  SIM_PIDS=()
  PORTS=()
  for _ in $(seq "$1"); do
    start_sim sim --host 127.0.0.1 --port 0
    SIM_PIDS+=("$SIM_PID")
    PORTS+=("$PORT")
  done
  for p in "${PORTS[@]}"; do
    "${BENCH[@]}" --url "http://127.0.0.1:$p/v1" --rate 20 --duration 3s --max-tokens 32 --quiet --no-check \
      > "$WORK/fill-$p.log" 2>&1 || true
  done
  "${BENCH[@]}" --url "http://127.0.0.1:${PORTS[0]}/v1" --rate "$2" --duration "$3s" --max-tokens 64 \
    --quiet --no-check --max-errors 100% > "$WORK/load.log" 2>&1 &
  LOAD_PID=$!
}

start_gateway() { # upstream URL, event loops: `llmlab gateway --upstream` from $GATEWAY_JAR (another build's) or this
  # build's jar, with $GATEWAY_JAVA_OPTS (JVM options for the gateway alone); sets GW_PID and GW_PORT once it logs its port
  # removed first: a copy onto the link to llmlab.jar would overwrite the simulator's jar under it
  rm -f "$WORK/gateway.jar"
  if [ -n "${GATEWAY_JAR:-}" ]; then
    [ -f "$GATEWAY_JAR" ] || die "GATEWAY_JAR $GATEWAY_JAR does not exist"
    cp "$GATEWAY_JAR" "$WORK/gateway.jar"
  else
    ln -sf llmlab.jar "$WORK/gateway.jar"
  fi
  # shellcheck disable=SC2086
  "$JAVA" "${LLMLAB_JVM_FLAGS[@]}" ${LLMLAB_JAVA_OPTS:-} ${GATEWAY_JAVA_OPTS:-} -jar "$WORK/gateway.jar" gateway --host 127.0.0.1 --port 0 \
    --io-threads "$2" --upstream "$1" > "$WORK/gateway.log" 2>&1 &
  GW_PID=$!
  GW_PORT=""
  for _ in $(seq 600); do
    kill -0 "$GW_PID" 2>/dev/null || { cat "$WORK/gateway.log" >&2; die "the gateway exited early"; }
    GW_PORT=$(grep -o 'gateway listening on http://127.0.0.1:[0-9]*' "$WORK/gateway.log" | head -1 | sed 's/.*://') || true
    [ -n "$GW_PORT" ] && return 0
    sleep 0.1
  done
  "${JAVA%/*}/jcmd" "$GW_PID" Thread.print > "/tmp/$NAME-gateway-hang.$GW_PID.txt" 2>&1 \
    && echo "$NAME: the gateway's threads are in /tmp/$NAME-gateway-hang.$GW_PID.txt" >&2
  die "the gateway did not start listening"
}

metric_sum() { # the simulator's metric NAME summed over its label sets (those containing FILTER, if given)
  curl -fs "http://127.0.0.1:$PORT/metrics" | awk -v m="$1" -v f="${2:-}" \
    '($1 == m || index($1, m "{") == 1) && index($0, f) { s += $2 } END { printf "%.0f", s }'
}
