#!/usr/bin/env bash
# Calibration against a live server whose costs are known: `llmlab bench sweep` measures the simulator running
# PRESET in real time (its own embedded one, --sim-args), once per request shape, and `llmlab sim calibrate` fits
# the step costs to those sweeps together. Prints the fit, then each fitted cost beside the preset's.
#
# Usage:  flock /tmp/llmlab-perf.lock benchmarks/calibrate-live.sh
# Env:    PRESET=llama-3.1-8b-h100 MODEL=meta-llama/Llama-3.1-8B-Instruct OUTPUT=200 DURATION=20s WARMUP=3s
#         SWEEPS="1000:auto 4000:0.9,1.8,2.6,3.5,4.4"  (prompt tokens, then "auto" for --points 4 with the
#         synchronous and throughput points, or the --rates in req/s; the defaults span about 15% to 75% of
#         the 8B preset's capacity at each length)
#         KEEP=dir keeps the sweeps' JSON
# Needs:  llmlab-cli/target/llmlab.jar.
#
# Every reply is exactly OUTPUT tokens (--extra-body ignore_eos), as the fit assumes. Each level's warm-up is
# left out of the measurement and of the fit's replay alike, and the fit replays each level on the very send
# times bench drew for it (its report says when it could not).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PRESET=${PRESET:-llama-3.1-8b-h100}
MODEL=${MODEL:-meta-llama/Llama-3.1-8B-Instruct}
OUTPUT=${OUTPUT:-200}
DURATION=${DURATION:-20s}
WARMUP=${WARMUP:-3s}
SWEEPS=${SWEEPS:-1000:auto 4000:0.9,1.8,2.6,3.5,4.4}

NAME=calibrate-live
# shellcheck source=lib.sh
. "$ROOT/benchmarks/lib.sh"
trap 'rm -rf "$WORK"' EXIT

FILES=()
for sweep in $SWEEPS; do
  prompt=${sweep%%:*}
  rates=${sweep#*:}
  [ "$prompt" -ge 1 ] 2>/dev/null || die "bad SWEEPS entry '$sweep': want PROMPT:auto or PROMPT:R,R,..."
  if [ "$rates" = auto ]; then load=(--points 4); else load=(--rates "$rates"); fi
  out="$WORK/sweep-$prompt.json"
  echo "$NAME: sweeping $prompt/$OUTPUT-token requests on $PRESET (${load[*]})" >&2
  "${BENCH[@]}" sweep --sim-args "--preset $PRESET" --model "$MODEL" --input-tokens "$prompt" \
    --max-tokens "$OUTPUT" --extra-body '{"ignore_eos": true}' "${load[@]}" --duration "$DURATION" \
    --warmup "$WARMUP" --json "$out" --quiet > "$WORK/sweep-$prompt.log" 2>&1 \
    || { cat "$WORK/sweep-$prompt.log" >&2; die "the $prompt-token sweep failed"; }
  FILES+=("$out")
done
[ -z "${KEEP:-}" ] || { mkdir -p "$KEEP"; cp "${FILES[@]}" "$KEEP/"; }

"$JAVA" "${LLMLAB_JVM_FLAGS[@]}" -jar "$WORK/llmlab.jar" sim calibrate "${FILES[@]}" --preset "$PRESET" \
  > "$WORK/fit.txt"
cat "$WORK/fit.txt"
"$JAVA" "${LLMLAB_JVM_FLAGS[@]}" -jar "$WORK/llmlab.jar" sim --preset "$PRESET" --print-config > "$WORK/config.yaml" \
  2> /dev/null
python3 - "$WORK/fit.txt" "$WORK/config.yaml" "$PRESET" <<'EOF'
import re, sys
units = {"ns": 1, "us": 1e3, "ms": 1e6, "s": 1e9}
def nanos(text):
    m = re.fullmatch(r'"?([0-9.]+)(ns|us|ms|s)?"?', text.strip())
    return float(m.group(1)) * units[m.group(2) or "ns"]
costs = ["step_time", "prefill_per_token", "decode_per_seq", "attention_per_kv_token"]
fit = {}
for line in open(sys.argv[1]):
    m = re.match(r"\s+(\w+): (\S+)", line)
    if m and m.group(1) in costs: fit[m.group(1)] = nanos(m.group(2))
preset, inside = {}, False
for line in open(sys.argv[2]):
    if re.match(r"\s+" + re.escape(sys.argv[3]) + ":$", line): inside = True; continue
    if inside and re.match(r"\s{2}\S", line) and not line.startswith("    "): break
    m = re.match(r"\s+(\w+): (\S+)", line)
    if inside and m and m.group(1) in costs: preset[m.group(1)] = nanos(m.group(2))
def shown(ns):
    for unit in ("s", "ms", "us"):
        if ns >= units[unit]: return f"{ns / units[unit]:.4g} {unit}"
    return f"{ns:.4g} ns"
print(f"{'cost':<24} {'preset':>10} {'fitted':>10} {'error':>7}")
for c in costs:
    print(f"{c:<24} {shown(preset[c]):>10} {shown(fit[c]):>10} {100 * (fit[c] / preset[c] - 1):>6.1f}%")
EOF
