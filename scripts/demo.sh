#!/usr/bin/env bash
# The prm-edge demo: a whole partner network. prm-sim network starts mosquitto, one real
# prm-agent per truck and per dock gateway (each with its own config and SQLite outbox),
# drives the trucks' GPS into ptys, scans the pallets at the doors and sends the
# appointments and despatch advice; prm-view, the partner board, shows what reaches the
# broker: in the terminal and as a web page. Ctrl-C stops all of it and leaves nothing
# running.
#
#   scripts/demo.sh [BUILD_DIR] [--network NAME|FILE] [--speed N] [--plain] [--web HOST:PORT]
#   scripts/demo.sh [BUILD_DIR] --headless --duration SECONDS [--network ...] [--speed N]
#
# --network   simulator/networks/NAME.json or a file (default rotterdam-morning: 22 trucks,
#             6 sites, 219 pallets; the morning takes about 3 minutes at the default speed)
# --speed     time-acceleration (default 60: a simulated minute per second)
# --plain     one line per message instead of the terminal board
# --web       where the web board listens (default 127.0.0.1:0: a free port of this machine;
#             0.0.0.0:8080 to open it from another one)
# --headless  no terminal board: after --duration SECONDS print one JSON line summarising
#             what reached the broker (prm-view --summary-after) and stop; the web board
#             runs meanwhile
# --keep      keep the work directory (configs, outboxes, logs, the ground truth)
#
# stdout carries `broker: tcp://127.0.0.1:PORT` as soon as the broker is up, then
# `board: http://HOST:PORT/` (the web board), then the terminal board (or the JSON line);
# the demo's own messages go to stderr.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
build=build
network=rotterdam-morning
speed=60
headless=0
duration=0
keep=0
view_args=()
web=127.0.0.1:0
while [ $# -gt 0 ]; do
  case "$1" in
    --network) network=$2; shift 2 ;;
    --speed) speed=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --headless) headless=1; shift ;;
    --plain) view_args+=(--log); shift ;;
    --web) web=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    -h|--help) sed -n '2,25p' "$0"; exit 0 ;;
    -*) echo "demo: unknown option '$1' (see --help)" >&2; exit 2 ;;
    *) build=$1; shift ;;
  esac
done
if [ "$headless" = 1 ] && ! [ "$duration" -gt 0 ] 2>/dev/null; then
  echo "demo: --headless needs --duration SECONDS (a whole number > 0)" >&2
  exit 2
fi
file=$network
[ -f "$file" ] || file="$here/../simulator/networks/$network.json"
[ -f "$file" ] || { echo "demo: no network '$network' (ls simulator/networks)" >&2; exit 2; }
bin="$build/bin"
for b in prm-agent prm-sim prm-view; do
  [ -x "$bin/$b" ] || { echo "demo: $bin/$b is missing; run 'make' first" >&2; exit 1; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/prm-demo.XXXXXX")
sim=""
cleanup() {
  trap - INT TERM EXIT
  # prm-sim stops its agents and mosquitto itself; they also die with it (PDEATHSIG).
  if [ -n "$sim" ]; then
    kill -TERM "$sim" 2>/dev/null || true
    wait "$sim" 2>/dev/null || true
  fi
  if [ "$keep" = 1 ]; then
    echo "demo: stopped; configs, outboxes and logs are in $work" >&2
  else
    rm -rf "$work"
    echo "demo: stopped (--keep keeps the logs)" >&2
  fi
}
trap cleanup INT TERM EXIT

# Starts now: the appointments, the drives and the agents' clocks all begin at this minute.
"$bin/prm-sim" network "$file" --start now --speed "$speed" --work "$work/network" \
  --truth "$work/truth.jsonl" >"$work/sim.out" 2>"$work/sim.log" &
sim=$!
broker=""
for _ in $(seq 300); do
  broker=$(sed -n 's/^broker: //p' "$work/sim.out")
  [ -n "$broker" ] && break
  kill -0 "$sim" 2>/dev/null || break
  sleep 0.1
done
if [ -z "$broker" ]; then
  echo "demo: prm-sim network did not start its broker; its log:" >&2
  cat "$work/sim.log" >&2
  exit 1
fi
echo "broker: $broker"
echo "demo: network $(basename "$file" .json) at x$speed, starting now; work in $work" >&2
echo "demo: the simulator's log is $work/sim.log; Ctrl-C stops everything" >&2

# The board keeps what it receives in the work directory (a restart of it loses nothing).
board=(--broker "$broker" --db "$work/board.db" --web "$web")
if [ "$headless" = 1 ]; then
  "$bin/prm-view" "${board[@]}" --summary-after "$duration"
else
  [ ${#view_args[@]} -gt 0 ] || view_args=(--tui)
  "$bin/prm-view" "${board[@]}" "${view_args[@]}" || true
fi
