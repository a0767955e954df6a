#!/usr/bin/env bash
# The drain of one backlog by several prm-agent builds, in turn: how a change to the
# drain's path is measured (docs/performance.md, "A drain with less work per row").
#
#   scripts/bench-drain.sh BUILD_DIR EVENTS ROUNDS AGENT...
#
# BUILD_DIR gives prm-sim. EVENTS every_fix positions of a looped simulated drive are
# ingested once, broker down, by the first AGENT; that outbox is the template. Then, ROUNDS
# times, each AGENT in turn gets a fresh copy of it, starts with the broker down, and
# drains into a fresh mosquitto; the agent's own "caught up" line gives the rate (from
# connect to the last PUBACK). Copy each build's prm-agent aside first: the builds must
# read the same file format.
set -euo pipefail
build=${1:?usage: scripts/bench-drain.sh BUILD_DIR EVENTS ROUNDS AGENT...}
events=${2:?events}
rounds=${3:?rounds}
shift 3
[ $# -gt 0 ] || { echo "bench-drain: give at least one prm-agent" >&2; exit 2; }
agents=("$@")
here=$(cd "$(dirname "$0")" && pwd)
. "$here/free-port.sh"
. "$here/workspace.sh"
workspace bench-drain

port=$(free_port)
config() {  # config GPS_FILE: the agent's config, the outbox at $work/outbox.db
  cat >"$work/agent.json" <<CONF
{"agent_id": "bench-1", "vehicle_id": "bench-1",
 "gps": {"source": "file:$1?rate=max"},
 "position": {"policy": "every_fix"},
 "mqtt": {"uri": "tcp://127.0.0.1:$port", "reconnect_min_ms": 100, "reconnect_max_ms": 200},
 "outbox": {"path": "$work/outbox.db", "max_bytes": 1099511627776}}
CONF
}
cat >"$work/mosquitto.conf" <<CONF
listener $port 127.0.0.1
allow_anonymous true
persistence false
max_queued_messages 0
user $(id -un)
CONF

# The template: the drive ingested once, then checkpointed into one file.
"$build/bin/prm-sim" --out "file:$work/drive.nmea" --speed max --duration "$events" --loop \
  --start now --quiet
config "$work/drive.nmea"
"${agents[0]}" --config "$work/agent.json" 2>"$work/ingest.log" &
pid=$!; pids+=("$pid")
until grep -aq "end of replay" "$work/ingest.log"; do sleep 0.2; done
kill -TERM "$pid"; wait "$pid" || true
sqlite3 "$work/outbox.db" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
mv "$work/outbox.db" "$work/template.db"
rm -f "$work/drive.nmea" "$work"/outbox.db-*
: >"$work/none.nmea"  # the drains read no GPS: only the backlog goes out
config "$work/none.nmea"

echo "# prm-edge drain A/B $(date -u +%Y-%m-%dT%H:%M:%SZ): $events events, $rounds rounds"
for round in $(seq "$rounds"); do
  for agent in "${agents[@]}"; do
    cp "$work/template.db" "$work/outbox.db"
    rm -f "$work"/outbox.db-*
    "$agent" --config "$work/agent.json" 2>"$work/agent.log" &
    pid=$!; pids+=("$pid")
    sleep 1  # opened, and retrying the absent broker
    /usr/sbin/mosquitto -c "$work/mosquitto.conf" >/dev/null 2>&1 &
    broker=$!; pids+=("$broker")
    until grep -aq "caught up" "$work/agent.log"; do sleep 0.05; done
    rate=$(grep -ao "caught up.*" "$work/agent.log" | sed -E 's/.*\(([0-9]+) events\/s\).*/\1/')
    echo "round=$round agent=$agent events_per_s=$rate vmhwm_kb=$(awk '/^VmHWM/ {print $2}' "/proc/$pid/status")"
    kill -TERM "$pid"; wait "$pid" || true
    kill "$broker"; wait "$broker" 2>/dev/null || true
  done
done
