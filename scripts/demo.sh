#!/usr/bin/env bash
# The prm-edge demo: a local mosquitto on a free port, prm-sim driving a truck into a pty,
# prm-agent reading that pty as a serial GPS and publishing, and prm-view showing what
# reaches the broker. Ctrl-C stops all of it and leaves nothing running.
#
#   scripts/demo.sh [BUILD_DIR] [--speed N] [--for SECONDS] [--plain]
#
# --speed   time-acceleration of the simulated drive (default 10: the 2-hour multi-drop
#           run of simulator/scenarios/local-multidrop.json takes 11 minutes;
#           PRM_DEMO_SCENARIO=jam-late shows a delay alert)
# --for     stop by itself after SECONDS (default: run until Ctrl-C)
# --plain   one line per message instead of the refreshing board
set -euo pipefail

build=build
speed=10
duration=0
view_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --speed) speed=$2; shift 2 ;;
    --for) duration=$2; shift 2 ;;
    --plain) view_args+=(--plain); shift ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) build=$1; shift ;;
  esac
done
bin="$build/bin"
for b in prm-agent prm-sim prm-view; do
  [ -x "$bin/$b" ] || { echo "demo: $bin/$b is missing; run 'make' first" >&2; exit 1; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/prm-demo.XXXXXX")
pids=()
cleanup() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
  echo "demo: stopped; logs were in $work (removed)"
}
trap cleanup INT TERM EXIT

# A free port: the first in a range that nothing answers on.
port=""
for p in $(seq 18830 18930); do
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then port=$p; break; fi
done
[ -n "$port" ] || { echo "demo: no free port in 18830-18930" >&2; exit 1; }

cat >"$work/mosquitto.conf" <<CONF
listener $port 127.0.0.1
allow_anonymous true
persistence false
# As root mosquitto would switch to its own user, which cannot write into our temp dir.
user $(id -un)
log_dest file $work/mosquitto.log
CONF
/usr/sbin/mosquitto -c "$work/mosquitto.conf" &
pids+=($!)
for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done

# The truck drives a scenario: a multi-drop run through Rotterdam with 30-minute dock
# windows. The agent gets the same trip, so the view shows ETAs, arrivals and departures.
# The scenario happens today: moved to start now, the trip and the drive given the same
# start, so the windows and the view's clock agree.
scenario="$(dirname "$0")/../simulator/scenarios/${PRM_DEMO_SCENARIO:-local-multidrop}.json"
start=$(date -u +%Y-%m-%dT%H:%M:%SZ)
"$bin/prm-sim" --scenario "$scenario" --start "$start" --print-trip >"$work/trip.json"
"$bin/prm-sim" --scenario "$scenario" --start "$start" --out pty --pty-link "$work/gps-tty" --speed "$speed" --quiet >"$work/sim.out" 2>"$work/sim.log" &
pids+=($!)
for _ in $(seq 50); do [ -e "$work/gps-tty" ] && break; sleep 0.1; done
[ -e "$work/gps-tty" ] || { echo "demo: prm-sim did not create its pty; see $work/sim.log" >&2; cat "$work/sim.log" >&2; exit 1; }

cat >"$work/agent.json" <<CONF
{
  "agent_id": "truck-042",
  "vehicle_id": "truck-042",
  "status_interval_s": 10,
  "gps": {"source": "serial:$work/gps-tty?baud=9600"},
  "mqtt": {"uri": "tcp://127.0.0.1:$port"},
  "outbox": {"path": "$work/outbox.db"},
  "trip": $(cat "$work/trip.json")
}
CONF
"$bin/prm-agent" --config "$work/agent.json" 2>"$work/agent.log" &
pids+=($!)

echo "demo: mosquitto on 127.0.0.1:$port, truck GPS on $(readlink "$work/gps-tty"), speed x$speed"
echo "demo: scenario $(basename "$scenario" .json) starts now ($start); first window $(grep -o '"window":{"start":"[^"]*"' "$work/trip.json" | head -1 | cut -d'"' -f6)"
echo "demo: logs in $work; Ctrl-C stops everything"
sleep 1
if [ "$duration" -gt 0 ]; then
  "$bin/prm-view" --broker "tcp://127.0.0.1:$port" "${view_args[@]}" &
  pids+=($!)
  sleep "$duration"
else
  "$bin/prm-view" --broker "tcp://127.0.0.1:$port" "${view_args[@]}" || true
fi
