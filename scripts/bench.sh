#!/usr/bin/env bash
# prm-edge benchmarks (run on demand: `make bench`; figures go into docs/performance.md).
#   1. outbox ingest: events/s committed into SQLite (sync full and normal)
#   2. drain: events/s from 100,000 events to a local mosquitto at QoS 1, in the same run
#      as raw Paho publishing the same payloads without a database (the ceiling)
#   3. prm-agent as a whole: RSS idle, RSS while holding and while draining a 100,000-event
#      backlog into mosquitto (live first, backlog positions in track batches), against
#      `mosquitto_pub -l` at QoS 1 publishing the very same payloads, one per message, to a
#      mosquitto of the same build and config in the same run (the baseline)
#
#   scripts/bench.sh [BUILD_DIR] [EVENTS]
set -euo pipefail
build=${1:-build}
events=${2:-100000}
bin="$build/bin"
work=$(mktemp -d "${TMPDIR:-/tmp}/prm-bench.XXXXXX")
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

free_port() {
  for p in $(seq 18930 19030); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
  done
  echo "bench: no free port" >&2; exit 1
}
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
echo "## 3. prm-agent: RSS and a 100,000-event backlog drained end to end"
"$bin/prm-sim" --out "file:$work/drive.nmea" --speed max --duration "$events" --loop \
  --start now --quiet
port=$(free_port)
cat >"$work/agent.json" <<CONF
{"agent_id": "bench-1", "vehicle_id": "bench-1",
 "gps": {"source": "file:$work/drive.nmea?rate=max"},
 "position": {"policy": "every_fix"},
 "mqtt": {"uri": "tcp://127.0.0.1:$port", "reconnect_min_ms": 100, "reconnect_max_ms": 200},
 "outbox": {"path": "$work/outbox.db", "max_bytes": 1073741824}}
CONF
# Broker down: the agent ingests the whole drive into its outbox.
t0=$(date +%s.%N)
"$bin/prm-agent" --config "$work/agent.json" --log-level warn 2>"$work/agent.log" &
agent=$!; pids+=("$agent")
sleep 0.5
echo "rss_kb idle_at_start=$(rss_kb "$agent")"
until [ "$(sqlite3 "$work/outbox.db" 'select count(*) from events' 2>/dev/null || echo 0)" -ge "$events" ]; do
  sleep 0.2
done
t1=$(date +%s.%N)
echo "agent_ingest events=$events seconds=$(echo "$t1 - $t0" | bc) (NMEA parse + policy + outbox, broker down)"
sleep 1
echo "rss_kb holding_backlog=$(rss_kb "$agent")"
# The baseline: the same position envelopes, one message each, with mosquitto_pub -l at
# QoS 1, to a fresh broker of the same config (the agent's stays down meanwhile).
sqlite3 "$work/outbox.db" "select payload from events where type = 'position' order by seq" \
  >"$work/payloads.txt"
lines=$(wc -l <"$work/payloads.txt")
base_port=$(free_port); start_broker "$base_port"; base_broker=$broker_pid
tb0=$(date +%s.%N)
mosquitto_pub -h 127.0.0.1 -p "$base_port" -q 1 -t "prm/v1/vehicles/bench-1/position" -l \
  <"$work/payloads.txt"
tb1=$(date +%s.%N)
kill "$base_broker"; wait "$base_broker" 2>/dev/null || true
base_secs=$(echo "$tb1 - $tb0" | bc)
base_rate=$(echo "$lines / $base_secs" | bc)
echo "mosquitto_pub_l qos=1 messages=$lines seconds=$base_secs events_per_s=$base_rate (baseline)"
# Broker up: time until the outbox is empty (every event PUBACKed and deleted); sample the
# agent's RSS meanwhile.
start_broker "$port"
t2=$(date +%s.%N)
peak=0
while [ "$(sqlite3 "$work/outbox.db" 'select count(*) from events' 2>/dev/null || echo 1)" -gt 0 ]; do
  r=$(rss_kb "$agent"); [ "$r" -gt "$peak" ] && peak=$r
  sleep 0.1
done
t3=$(date +%s.%N)
secs=$(echo "$t3 - $t2" | bc)
agent_rate=$(echo "$events / $secs" | bc)
echo "agent_drain events=$events seconds=$secs events_per_s=$agent_rate (from broker start, incl. the reconnect backoff <= 0.2 s)"
echo "agent_drain_vs_mosquitto_pub ratio=$(echo "scale=2; $agent_rate / $base_rate" | bc)"
echo "rss_kb peak_while_draining=$peak"
sleep 2
echo "rss_kb idle_after_drain=$(rss_kb "$agent") backlog_after=$(sqlite3 "$work/outbox.db" 'select count(*) from events')"
