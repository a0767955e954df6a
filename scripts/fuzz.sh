#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/, PRM_FUZZ=ON, clang) and runs each for SECONDS.
#   scripts/fuzz.sh BUILD_DIR SECONDS JOBS [TARGET...]
# `make fuzz` runs every target for FUZZ_SECONDS (300), `make test` for 20 s; JOBS targets
# run side by side.
# Before fuzzing, each target runs the inputs of fuzz/regressions/<target>-* (bugs found
# before). Seeds come from fuzz/corpus/<target> (read only); new corpus entries go to
# BUILD_DIR/corpus/<target> (kept between runs), crashes to BUILD_DIR/artifacts/, the
# output of each run to BUILD_DIR/logs/<target>.log. Exits non-zero when a target crashed,
# timed out, leaked or broke one of its checks; the table says which.
set -euo pipefail

build=${1:?usage: scripts/fuzz.sh BUILD_DIR SECONDS JOBS [TARGET...]}
seconds=${2:?seconds per target}
jobs=${3:-1}
shift 3 || shift $#
src=$(cd "$(dirname "$0")/.." && pwd)
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(nmea gpsd_json gs1_scan digital_link keyboard_wedge
                                     trip_command dock_commands config)

# A unity build, as make test's ASan build: 93 s instead of 124 s for all targets at -j2.
cmake -S "$src" -B "$build" -DPRM_FUZZ=ON -DCMAKE_UNITY_BUILD=ON -DCMAKE_UNITY_BUILD_BATCH_SIZE=8 \
  >/dev/null
cmake --build "$build" -j "$jobs" --target "${targets[@]/#/fuzz_}"
mkdir -p "$build/artifacts" "$build/logs"

# fuzz_one TARGET: its regressions, then SECONDS of fuzzing; writes its table row to
# logs/TARGET.row and, when it failed, logs/TARGET.failed.
fuzz_one() {
  local t=$1
  local bin="$build/bin/fuzz_$t" log="$build/logs/$t.log" corpus="$build/corpus/$t"
  local row="$build/logs/$t.row"
  rm -f "$row" "$build/logs/$t.failed"
  mkdir -p "$corpus"
  local regressions=("$src"/fuzz/regressions/"$t"-*)
  if [ -e "${regressions[0]}" ] && ! "$bin" "${regressions[@]}" >"$log" 2>&1; then
    touch "$build/logs/$t.failed"
    printf '%-15s %s\n' "$t" "FAILED on a regression input (see $log)" >"$row"
    return
  fi
  local dict=()
  [ -f "$src/fuzz/dict/$t.dict" ] && dict=(-dict="$src/fuzz/dict/$t.dict")
  echo "fuzz: $t for ${seconds}s"
  # -timeout: one input taking 10 s is a hang; -rss_limit_mb: a runaway allocation.
  if "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$build/artifacts/$t-" "${dict[@]}" "$corpus" "$src/fuzz/corpus/$t" \
    >>"$log" 2>&1; then
    # The last status line: "#1234 DONE cov: 1 ft: 2 corp: 3/4Kb lim: 5 exec/s: 6 rss: 7Mb"
    local done_line execs cov ft corp rate
    done_line=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -1)
    execs=$(sed -E 's/^#([0-9]+).*/\1/' <<<"$done_line")
    cov=$(sed -E 's/.* cov: ([0-9]+).*/\1/' <<<"$done_line")
    ft=$(sed -E 's/.* ft: ([0-9]+).*/\1/' <<<"$done_line")
    corp=$(sed -E 's/.* corp: ([^ ]+).*/\1/' <<<"$done_line")
    rate=$(sed -E 's/.* exec\/s: ([0-9]+).*/\1/' <<<"$done_line")
    printf '%-15s %12s %8s %14s %6s %7s\n' "$t" "$execs" "$rate" "$corp" "$cov" "$ft" >"$row"
  else
    touch "$build/logs/$t.failed"
    local artifact
    artifact=$(grep -oE "Test unit written to [^ ]+" "$log" | tail -1 | cut -d' ' -f5)
    printf '%-15s %s\n' "$t" "FAILED: ${artifact:-no artifact} (see $log)" >"$row"
    grep -E 'invariant failed|ERROR: |SUMMARY: ' "$log" | head -5 >&2 || true
  fi
}

# JOBS targets at a time: each fuzzer is one process on one core.
running=0
for t in "${targets[@]}"; do
  if [ "$running" -ge "$jobs" ]; then
    wait -n
    running=$((running - 1))
  fi
  fuzz_one "$t" &
  running=$((running + 1))
done
wait

failed=()
rows=()
for t in "${targets[@]}"; do
  rows+=("$(cat "$build/logs/$t.row" 2>/dev/null || printf '%-15s %s' "$t" "FAILED: no result")")
  [ -e "$build/logs/$t.failed" ] || [ ! -e "$build/logs/$t.row" ] && failed+=("$t")
done

printf '\n%-15s %12s %8s %14s %6s %7s\n' target executions exec/s corpus cov ft
printf '%s\n' "${rows[@]}"
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: FAILED: ${failed[*]} (reproduce: $build/bin/fuzz_<target> <artifact>)" >&2
  exit 1
fi
