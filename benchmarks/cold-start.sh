#!/usr/bin/env bash
# Cold start: process start (the ./llmlab launcher) to the first 200 on /health, median of N runs.
# The prober is one python3 process that polls with a plain HTTP request every 2 ms: spawning a
# curl per poll would itself eat CPU on a 2-core machine and slow the start it measures.
# Usage: benchmarks/cold-start.sh [runs] [extra sim flags...]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${1:-5}; shift || true
"$ROOT/llmlab" --version >/dev/null   # builds the jar and its start-up cache if needed, outside the measurement
python3 - "$ROOT/llmlab" "$RUNS" "$@" <<'PY'
import socket, statistics, subprocess, sys, time
launcher, runs, extra = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0)); return s.getsockname()[1]
def healthy(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as s:
            s.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            return s.recv(64).startswith(b"HTTP/1.1 200")
    except OSError:
        return False
times = []
for _ in range(runs):
    port = free_port()
    start = time.monotonic()
    p = subprocess.Popen([launcher, "sim", "--host", "127.0.0.1", "--port", str(port), *extra],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while not healthy(port):
        if p.poll() is not None: sys.exit("sim exited early")
        if time.monotonic() - start > 60: sys.exit("no /health answer within 60 s")
        time.sleep(0.002)
    times.append(round((time.monotonic() - start) * 1000))
    p.terminate(); p.wait()
print("runs (ms):", " ".join(map(str, times)))
print("median: %d ms" % statistics.median(times))
PY
