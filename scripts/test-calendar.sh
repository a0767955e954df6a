#!/usr/bin/env bash
# Runs the integration tests again with the wall clock a year ahead (libfaketime), so a
# test tied to the calendar — a fixed appointment window, a certificate, a date in a
# fixture — fails here instead of on some later day.
#
#   scripts/test-calendar.sh BUILD_DIR [JOBS] [OFFSETS]
#
# OFFSETS: faketime offsets, default "+1y". Time only moves forward, so a year ahead is
# the day a test tied to today meets; "-1y" (a clock set back) is left to a run by hand,
# `scripts/test-calendar.sh build/asan 2 "+1y -1y"`, which doubles the time it takes.
#
# Only the wall clock moves: DONT_FAKE_MONOTONIC keeps timeouts, pacing and timerfds real.
# Every process the tests start (prm-agent, prm-sim, mosquitto, openssl) inherits the
# preload, so they all agree on the faked date. ASan checks that its runtime comes first
# among the libraries; the preload comes before it, which verify_asan_link_order=0 allows.
set -euo pipefail

build=${1:?usage: test-calendar.sh BUILD_DIR [JOBS]}
jobs=${2:-$(nproc)}
offsets=${3:-+1y}
command -v faketime >/dev/null || { echo "test-calendar: faketime is missing (make deps)" >&2; exit 1; }

export DONT_FAKE_MONOTONIC=1
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"

for offset in $offsets; do
  expected=$(($(date -u +%Y) + ${offset%y}))
  # The preload must reach our own (sanitized) binaries, or this run proves nothing: the
  # date of prm-sim's first fix (RMC field 9, ddmmyy) is its wall clock.
  seen=$(faketime -m -f "$offset" "$build/bin/prm-sim" --start now --duration 1 --quiet |
    awk -F, '/RMC/ {print "20" substr($10, 5, 2); exit}')
  if [ "$seen" != "$expected" ]; then
    echo "test-calendar: with faketime $offset prm-sim sees the year '$seen', not $expected" >&2
    exit 1
  fi
  echo "test-calendar: integration tests with the wall clock at $offset ($(faketime -m -f "$offset" date -u +%F))"
  # The RabbitBroker variants are the same tests against a second broker: they ran once,
  # and their mosquitto twins run here.
  (cd "$build" && faketime -m -f "$offset" ctest -L integration -E ' - RabbitBroker$' \
    --output-on-failure -j "$jobs" --timeout 300)
done
