#!/usr/bin/env bash
# ETA accuracy on every real leg in tests/data/drives/ and every scenario in
# simulator/scenarios/, one protocol for both (bench/eta.cpp; figures go into
# docs/performance.md, "ETA accuracy (bench/eta)"). For each scenario: the trip the agent
# gets (--print-trip), the drive as NMEA and its ground truth (--speed max); then one
# bench_eta run over all legs and drives prints each one's predictions and summaries (ETA
# errors, [p10, p90] coverage, Brier scores of the on-time forecast against each stop's
# window), the totals, the reliability of the on-time probability over all drives, and two
# markdown tables (per drive; reliability). Everything happens in a temporary directory.
#
#   scripts/bench-eta.sh [BUILD_DIR [BENCH_ETA_OPTION...]]
#       BUILD_DIR holds bin/prm-sim and bin/bench_eta (default: build); the options go to
#       bench_eta, e.g. --tracking '{"leg_speed_long_kmh": 105}' to try a fleet's tuning
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
if ! build=$(cd "${1:-build}" 2>/dev/null && pwd); then
  echo "bench-eta: no build directory ${1:-build}" >&2
  exit 1
fi
bin="$build/bin"
extra=("${@:2}")
for tool in prm-sim bench_eta; do
  if [ ! -x "$bin/$tool" ]; then
    echo "bench-eta: $bin/$tool not found (cmake --build $build --target bench_eta prm-sim)" >&2
    exit 1
  fi
done
work=$(mktemp -d "${TMPDIR:-/tmp}/prm-bench-eta.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

echo "# prm-edge ETA bench $(date -u +%Y-%m-%dT%H:%M:%SZ), $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')"
args=()
for leg in "$root"/tests/data/drives/*.nmea; do
  [ -e "$leg" ] || continue
  args+=(--leg "$(basename "$leg" .nmea)" "$leg")
done
for scenario in "$root"/simulator/scenarios/*.json; do
  name=$(basename "$scenario" .json)
  dir="$work/$name"
  mkdir -p "$dir"
  "$bin/prm-sim" --scenario "$scenario" --print-trip >"$dir/trip.json"
  "$bin/prm-sim" --scenario "$scenario" --out "file:$dir/drive.nmea" --truth "$dir/truth.jsonl" \
    --speed max --quiet
  args+=(--scenario "$name" "$dir/drive.nmea" "$dir/trip.json" "$dir/truth.jsonl")
done
"$bin/bench_eta" "${extra[@]}" "${args[@]}"
