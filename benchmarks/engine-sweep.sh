#!/usr/bin/env bash
# Engine sweep: `llmlab sim` with a batching-engine preset, sped up by TIME_SCALE, under Poisson load at
# POINTS rates from 10% to 160% of the saturation rate the cost model predicts for 1000-token prompts and
# 200-token replies (printed in the simulator's start-up log), run by `llmlab bench sweep --rates`. Prints TTFT,
# TPOT and output throughput per rate in model time, and writes the sweep JSON that `llmlab sim calibrate` reads.
#
# Usage:  flock /tmp/llmlab-perf.lock benchmarks/engine-sweep.sh
# Env:    PRESET=llama-3.1-70b-h100-tp4 MODEL=meta-llama/Llama-3.1-70B-Instruct TIME_SCALE=0.1 POINTS=10
#         SECONDS_PER_POINT=30 (model time) PROMPT=1000 OUTPUT=200 OUT=engine-sweep.json
#         RAW=path keeps bench's own result (real time)
# Needs:  llmlab-cli/target/llmlab.jar.
#
# Model time. The simulator runs every delay times TIME_SCALE (0.1: ten times faster than real time), so a
# model second is TIME_SCALE real seconds. bench runs and reports in real time (its schedule and validity are
# the client's own, in real time); this script converts at both ends: each level runs SECONDS_PER_POINT x
# TIME_SCALE real seconds at (model rate) / TIME_SCALE requests per real second, and the figures it prints and
# writes are bench's divided by TIME_SCALE (TTFT, TPOT) or multiplied by it (rates, throughputs).
# - TTFT is bench's ttft_intended: from the schedule's intended send, so that a late client cannot hide queueing.
# - TPOT is bench's tpot: (end - first token) / (output tokens - 1).
# - sent/s, rate_achieved in OUT, is the requests a level sent over its length: the arrival rate it offered,
#   which `sim calibrate` replays. done/s is completions per second (bench's request_throughput).
# Each level runs to its last reply (no over-saturation stop), and every prompt is unique across the sweep, so
# no level hits the prefix cache an earlier one filled. An unmeasured warm-up run (64 requests, 16 at a time,
# other prompts) JIT-compiles the simulator first; the sweep then runs the lowest rate twice, and the first of
# the two, which compiles the client's own code, is left out (at a tenth of real time, a millisecond the cold
# client loses is ten of model time).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PRESET=${PRESET:-llama-3.1-70b-h100-tp4}
MODEL=${MODEL:-meta-llama/Llama-3.1-70B-Instruct}
TIME_SCALE=${TIME_SCALE:-0.1}
POINTS=${POINTS:-10}
SECONDS_PER_POINT=${SECONDS_PER_POINT:-30}
PROMPT=${PROMPT:-1000}
OUTPUT=${OUTPUT:-200}
OUT=${OUT:-engine-sweep.json}

NAME=engine-sweep
# shellcheck source=lib.sh
. "$ROOT/benchmarks/lib.sh"
trap 'stop_pid "$SIM_PID" 10; rm -rf "$WORK"' EXIT
awk -v x="$TIME_SCALE" 'BEGIN { exit !(x > 0) }' || die "TIME_SCALE must be above 0 (0 would take no model time at all)"
[ "$POINTS" -ge 2 ] || die "POINTS must be at least 2"

# Every reply exactly OUTPUT tokens long (the model's natural length distribution would vary it).
printf 'models: [{id: "%s", output_tokens: "%s"}]\n' "$MODEL" "$OUTPUT" > "$WORK/sweep.yaml"
start_sim sim --host 127.0.0.1 --port 0 --preset "$PRESET" --time-scale "$TIME_SCALE" --seed 1 --config "$WORK/sweep.yaml"
# The simulator logs each deployment's predicted saturation rate for 1000-token prompts and 200-token replies.
CAP=$(grep -F "engine for $MODEL:" "$WORK/sim.log" | grep -o 'saturates at [0-9.]* req/s' | head -1 | awk '{print $3}')
[ -n "$CAP" ] || { cat "$WORK/sim.log" >&2; die "no capacity estimate in the simulator's log"; }
# Rates in model time, then in real time for bench; the level's length in real milliseconds.
RATES=$(awk -v c="$CAP" -v n="$POINTS" 'BEGIN { for (i = 1; i <= n; i++) printf "%.3f ", c * (0.1 + 1.5 * (i - 1) / (n - 1)) }')
REAL_RATES=$(echo "$RATES" | awk -v x="$TIME_SCALE" '{ printf "%.6g", $1 / x; for (i = 1; i <= NF; i++) printf ",%.6g", $i / x }')
LEVEL_MS=$(awk -v s="$SECONDS_PER_POINT" -v x="$TIME_SCALE" 'BEGIN { printf "%d", s * x * 1000 }')
echo "$NAME: $PRESET, predicted saturation $CAP req/s at $PROMPT/$OUTPUT tokens; time scale $TIME_SCALE" >&2

TARGET=(--url "http://127.0.0.1:$PORT/v1" --quiet --model "$MODEL" --input-tokens "$PROMPT" --max-tokens "$OUTPUT"
  --timeout 600s)
START=$(date +%s.%N)
"${BENCH[@]}" "${TARGET[@]}" --concurrency 16 --requests 64 --seed 2 > "$WORK/warmup.log" 2>&1 \
  || { cat "$WORK/warmup.log" >&2; die "the warm-up run failed"; }
"${BENCH[@]}" sweep "${TARGET[@]}" --rates "$REAL_RATES" --duration "${LEVEL_MS}ms" --no-saturation-stop --seed 1 \
  --json "$WORK/raw.json" > "$WORK/sweep.log" 2>&1 || { cat "$WORK/sweep.log" >&2; die "llmlab bench sweep failed"; }
WALL=$(awk -v s="$START" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
[ -z "${RAW:-}" ] || cp "$WORK/raw.json" "$RAW"

python3 - "$WORK/raw.json" "$OUT" "$TIME_SCALE" "$SECONDS_PER_POINT" "$PROMPT" "$OUTPUT" "$RATES" <<'PY'
import json, math, sys
raw, out, x, seconds, prompt, output = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
model_rates = [float(r) for r in sys.argv[7].split()]
d = json.load(open(raw))
points = []
def model_ms(stats):  # a latency metric's figures, real ms -> model ms
    return {"unit": "ms", "count": stats["count"],
            **{k: (stats[k] / x if stats[k] is not None else None) for k in ("mean", "p50", "p90", "p99")}}
for target, p in zip(model_rates, d["sweep"]["points"][1:]):  # the first level warmed the client
    s, m = p["summary"], p["metrics"]
    points.append({
        "label": p["label"], "rate": target, "rate_achieved": (s["requests_completed"] + s["requests_failed"]) / seconds,
        "valid": p["valid"], "invalid_reason": p["invalid_reason"],
        "requests_completed": s["requests_completed"], "requests_failed": s["requests_failed"],
        "request_throughput": s["request_throughput"] * x, "output_token_throughput": s["output_token_throughput"] * x,
        "metrics": {"ttft": model_ms(m["ttft_intended"]), "tpot": model_ms(m["tpot"])}})
c = d["config"]
json.dump({"schema_version": 2,
           "config": {"url": c["url"], "model": c["model"], "input_tokens": prompt, "output_tokens": output,
                      "time_scale": x, "seconds_per_point": seconds, "arrival": c["arrival"], "scenario": "sweep",
                      "units": "model time: bench's real-time figures divided (latencies) or multiplied (rates) "
                               "by time_scale"},
           "sweep": {"kind": "sweep", "axis": "rate", "points": points}}, open(out, "w"), indent=2)
print("%10s %10s %10s %10s %10s %10s %12s  %s" % ("rate", "sent/s", "done/s", "ttft_p50", "ttft_p99", "tpot_p50", "out_tok/s", "valid"))
for p in points:
    t, o = p["metrics"]["ttft"], p["metrics"]["tpot"]
    print("%10.2f %10.2f %10.2f %10.1f %10.1f %10.2f %12.0f  %s" % (p["rate"], p["rate_achieved"], p["request_throughput"],
          t["p50"], t["p99"], o["p50"], p["output_token_throughput"], "yes" if p["valid"] else "no: " + (p["invalid_reason"] or "")))
top = max([1] + [p["output_token_throughput"] for p in points])
print("\n%8s  %-32s  %-32s" % ("rate/s", "TTFT p50 (log, 10 ms .. 10 s)", "output tokens/s (linear)"))
for p in points:
    ttft, tok = p["metrics"]["ttft"]["p50"], p["output_token_throughput"]
    a = round(max(0, min(30, 10 * math.log10(max(ttft, 10) / 10))))
    b = round(30 * tok / top)
    print("%8.2f  %-32s  %-32s" % (p["rate"], "#" * max(1, a) + " %.0f" % ttft, "#" * max(1, b) + " %.0f" % tok))
PY
echo "$NAME: $POINTS points in $WALL s of wall time; JSON in $OUT" >&2
