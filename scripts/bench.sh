#!/usr/bin/env bash
# prm-edge benchmarks (run on demand: `make bench`; figures go into docs/performance.md).
#   1. outbox ingest: events/s committed into SQLite (sync full and normal)
#   2. drain: events/s from EVENTS events to a local mosquitto at QoS 1, in the same run
#      as raw Paho publishing the same payloads without a database (the ceiling)
#   3. prm-agent as a whole, for a backlog of EVENTS and of 10 x EVENTS: RSS idle (and the
#      floor under it: bench_rss_floor, the libraries alone), holding
#      and draining; the time from connect to the first live position; the drain (live
#      first, backlog positions in track batches) against `mosquitto_pub -l` at QoS 1
#      publishing the very same payloads, one per message, to a mosquitto of the same
#      build and config in the same run (the baseline)
#   4. flash: disk bytes written (/proc/PID/io write_bytes) per accepted event over a
#      two-hour urban trip at 1 Hz with the adaptive policy, replayed 50x, broker up
#
#   scripts/bench.sh [BUILD_DIR] [EVENTS]
set -euo pipefail
build=${1:-build}
events=${2:-100000}
bin="$build/bin"
. "$(dirname "$0")/workspace.sh"
workspace bench

. "$(dirname "$0")/free-port.sh"
start_broker() {  # start_broker PORT
  cat >"$work/mosquitto-$1.conf" <<CONF
listener $1 127.0.0.1
allow_anonymous true
persistence false
max_queued_messages 0
user $(id -un)
CONF
  /usr/sbin/mosquitto -c "$work/mosquitto-$1.conf" >"$work/mosquitto-$1.log" 2>&1 &
  broker_pid=$!
  pids+=("$broker_pid")
  for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return; sleep 0.1; done
  echo "bench: mosquitto did not start" >&2; exit 1
}
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }

echo "# prm-edge bench $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(nproc) cores, $(uname -r)"
echo "# mosquitto $(/usr/sbin/mosquitto -h 2>/dev/null | head -1 | awk '{print $3}')"
echo
echo "## 1. outbox ingest ($events events, commit_batch 256)"
(cd "$work" && "$OLDPWD/$bin/bench_outbox_ingest" "$events" 256)
echo
echo "## 2. drain to mosquitto, QoS 1, window 32 (raw Paho = no database, the ceiling)"
port=$(free_port); start_broker "$port"
"$bin/bench_drain" "tcp://127.0.0.1:$port" "$events" 32
kill "$broker_pid"; wait "$broker_pid" 2>/dev/null || true
echo
# agent_backlog N: section 3 for a backlog of N events.
agent_backlog() {
  local n=$1 dir="$work/backlog-$1"
  mkdir -p "$dir"
  echo "## 3. prm-agent: a $n-event backlog drained end to end"
  "$bin/prm-sim" --out "file:$dir/drive.nmea" --speed max --duration "$n" --loop \
    --start now --quiet
  local port; port=$(free_port)
  cat >"$dir/agent.json" <<CONF
{"agent_id": "bench-1", "vehicle_id": "bench-1",
 "gps": {"source": "file:$dir/drive.nmea?rate=max"},
 "position": {"policy": "every_fix"},
 "mqtt": {"uri": "tcp://127.0.0.1:$port", "reconnect_min_ms": 100, "reconnect_max_ms": 200},
 "outbox": {"path": "$dir/outbox.db", "max_bytes": 1099511627776}}
CONF
  # Broker down: the agent ingests the whole drive into its outbox.
  local t0 t1; t0=$(date +%s.%N)
  "$bin/prm-agent" --config "$dir/agent.json" --log-level info 2>"$dir/agent.log" &
  local agent=$!; pids+=("$agent")
  sleep 0.5
  echo "rss_kb idle_at_start=$(rss_kb "$agent")"
  until grep -q "end of replay" "$dir/agent.log"; do sleep 0.2; done
  t1=$(date +%s.%N)
  echo "agent_ingest events=$n seconds=$(echo "$t1 - $t0" | bc) (NMEA parse + policy + outbox, broker down)"
  sleep 1
  echo "rss_kb holding_backlog=$(rss_kb "$agent") outbox_file_bytes=$(stat -c %s "$dir/outbox.db")"
  # The baseline: the same position envelopes, one message each, with mosquitto_pub -l at
  # QoS 1, to a fresh broker of the same config (the agent's stays down meanwhile).
  sqlite3 "$dir/outbox.db" "select payload from events where type = 'position' order by seq" \
    >"$dir/payloads.txt"
  local lines; lines=$(wc -l <"$dir/payloads.txt")
  # Not the agent's port: it would drain into the baseline's broker.
  local base_port; base_port=$(free_port "$port"); start_broker "$base_port"
  local base_broker=$broker_pid
  local tb0 tb1; tb0=$(date +%s.%N)
  mosquitto_pub -h 127.0.0.1 -p "$base_port" -q 1 -t "prm/v1/vehicles/bench-1/position" -l \
    <"$dir/payloads.txt"
  tb1=$(date +%s.%N)
  kill "$base_broker"; wait "$base_broker" 2>/dev/null || true
  rm -f "$dir/payloads.txt"
  local base_secs base_rate
  base_secs=$(echo "$tb1 - $tb0" | bc)
  base_rate=$(echo "$lines / $base_secs" | bc)
  echo "mosquitto_pub_l qos=1 messages=$lines seconds=$base_secs events_per_s=$base_rate (baseline)"
  # Broker up, a partner subscribed to the agent's status and live position: the status
  # is the agent's first publish after connecting, so status -> position is the time to
  # the first live position. The agent reports when its backlog is delivered.
  start_broker "$port"
  local t2; t2=$(date +%s.%N)
  mosquitto_sub -h 127.0.0.1 -p "$port" -q 1 -C 2 -F '%U %t' \
    -t prm/v1/agents/bench-1/status -t prm/v1/vehicles/bench-1/position >"$dir/first.txt" &
  local sub=$!
  local peak=0 r
  until grep -q "caught up" "$dir/agent.log"; do
    r=$(rss_kb "$agent"); [ "$r" -gt "$peak" ] && peak=$r
    sleep 0.05
  done
  local t3; t3=$(date +%s.%N)
  wait "$sub" || true
  awk 'NR == 1 {s = $1} NR == 2 {printf "first_live_position ms_after_status=%.0f (%s)\n", ($1 - s) * 1000, $2}' \
    "$dir/first.txt"
  local line agent_rate
  line=$(grep -o "caught up.*" "$dir/agent.log")
  agent_rate=$(echo "$line" | sed -E 's/.*\(([0-9]+) events\/s\).*/\1/')
  echo "agent_drain $line"
  echo "agent_drain events=$n seconds_from_broker_start=$(echo "$t3 - $t2" | bc) (incl. the reconnect backoff <= 0.2 s)"
  echo "agent_drain_vs_mosquitto_pub ratio=$(echo "scale=2; $agent_rate / $base_rate" | bc)"
  echo "rss_kb peak_while_draining=$peak"
  sleep 2
  echo "rss_kb idle_after_drain=$(rss_kb "$agent") vmhwm_kb=$(awk '/^VmHWM/ {print $2}' "/proc/$agent/status")"
  kill -TERM "$agent"; wait "$agent" 2>/dev/null || true
  kill "$broker_pid"; wait "$broker_pid" 2>/dev/null || true
  rm -rf "$dir"
  echo
}
# The floor under those RSS figures: a process with only a Paho C++ client whose broker is
# down, then SQLite in WAL mode too (the libraries' own pages, before any agent code).
echo "## 3. the RSS floor: Paho C++ and SQLite in a process of their own"
"$bin/bench_rss_floor" "$work/rss-floor.db"
echo
agent_backlog "$events"
agent_backlog $((events * 10))

echo "## 4. flash: bytes written per accepted event at 1 Hz, adaptive policy, broker up"
scenario="$(dirname "$0")/../simulator/scenarios/local-multidrop.json"
"$bin/prm-sim" --scenario "$scenario" --start now --print-trip >"$work/trip.json"
"$bin/prm-sim" --scenario "$scenario" --start now --out "file:$work/urban.nmea" --speed max --quiet
fixes=$(grep -c RMC "$work/urban.nmea")
for sync in full normal; do
  port=$(free_port); start_broker "$port"
  rm -f "$work"/flash.db*
  # Timers of the agent run on the wall clock, the replay 50x faster: the ack-commit
  # interval (default 10 min) is scaled by the same factor, or the bench would leave out
  # the deletion commits a real-time drive pays during a standstill.
  cat >"$work/flash.json" <<CONF
{"agent_id": "flash-1", "vehicle_id": "flash-1", "trip": $(cat "$work/trip.json"),
 "gps": {"source": "file:$work/urban.nmea?rate=50"},
 "mqtt": {"uri": "tcp://127.0.0.1:$port"},
 "outbox": {"path": "$work/flash.db", "sync": "$sync", "ack_commit_interval_ms": $((600000 / 50))}}
CONF
  "$bin/prm-agent" --config "$work/flash.json" --log-level info 2>"$work/flash.log" &
  agent=$!; pids+=("$agent")
  until grep -q "end of replay" "$work/flash.log"; do sleep 0.5; done
  sleep 2  # the last PUBACKs
  written=$(awk '/^write_bytes/ {print $2}' "/proc/$agent/io")
  kill -TERM "$agent"; wait "$agent" 2>/dev/null || true
  kill "$broker_pid"; wait "$broker_pid" 2>/dev/null || true
  accepted=$(sqlite3 "$work/flash.db" "select max((select value from meta where key = 'next_seq'),
    coalesce((select max(seq) from events), 0) + 1) - 1")
  echo "flash sync=$sync fixes=$fixes accepted_events=$accepted write_bytes=$written bytes_per_event=$((written / accepted))"
done
