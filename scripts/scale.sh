#!/usr/bin/env bash
# As many agents as one machine holds (make scale, docs/scale.md): AGENTS real prm-agent
# processes, each with its own outbox, replaying real and simulated drives at 1 Hz against
# one mosquitto; a QoS 1 subscriber with a persistent session takes everything.
#   1. steady state for STEADY_S seconds: per-agent CPU, RSS and PSS, mosquitto's CPU and
#      RSS, messages per second at the subscriber, the machine's memory in use;
#   2. the broker restarted (SIGTERM, DOWN_S seconds away, started again with its
#      persistence): connections per second over time from mosquitto's log, time until
#      every agent is back, with the agents' full-jitter backoff;
#   3. the same fleet restarted with plain exponential backoff (mqtt.reconnect_jitter:
#      none), the same broker restart: the baseline;
#   4. the agents stopped; every seq each agent committed must have reached the subscriber
#      or been announced as dropped (scripts/scale-report.py): lost must be 0.
#
#   scripts/scale.sh [BUILD_DIR] [AGENTS] [STEADY_S] [DOWN_S]
#
# PRM_SCALE_POLICY: the agents' position policy, every_fix (default: a position per fix,
# the most a truck at 1 Hz sends) or adaptive (the shipped default, far fewer).
# PRM_SCALE_BASELINE=0 leaves out step 3 (a quicker probe of how many agents fit).
set -euo pipefail
build=${1:-build}
agents=${2:-1000}
steady_s=${3:-60}
down_s=${4:-5}
here=$(cd "$(dirname "$0")" && pwd)
bin=$(cd "$build/bin" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/prm-scale.XXXXXX")
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
broker_pid=""
sub_pid=""
cleanup() {
  pkill -KILL -f "prm-agent --config $work/" 2>/dev/null || true
  [ -n "$sub_pid" ] && kill "$sub_pid" 2>/dev/null || true
  [ -n "$broker_pid" ] && kill "$broker_pid" 2>/dev/null || true
  [ -n "${PRM_SCALE_KEEP:-}" ] && echo "scale: kept $work" || rm -rf "$work"
}
trap cleanup EXIT INT TERM
log() { echo "scale: $(date -u +%T) $*"; }

. "$here/free-port.sh"
port=$(free_port)
cat >"$work/mosquitto.conf" <<EOF
listener $port 127.0.0.1
allow_anonymous true
persistence true
persistence_location $work/
autosave_interval 3600
max_queued_messages 0
log_dest file $work/mosquitto.log
log_type error
log_type warning
log_type notice
connection_messages true
log_timestamp true
EOF
# As root mosquitto would drop to its own user, which cannot write into this directory.
[ "$(id -u)" -eq 0 ] && echo "user root" >>"$work/mosquitto.conf"
start_broker() {
  mosquitto -c "$work/mosquitto.conf" >>"$work/mosquitto.out" 2>&1 &
  broker_pid=$!
  for _ in $(seq 100); do
    (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "scale: mosquitto did not start:" >&2
  tail "$work/mosquitto.log" >&2
  exit 1
}

# Drives: the six real ones of tests/data/drives, and six simulated ones (prm-sim).
drives=("$here"/../tests/data/drives/*.nmea)
for seed in 1 2 3 4 5 6; do
  "$bin/prm-sim" --out "file:$work/sim-$seed.nmea" --speed max --duration 7200 \
    --start now --seed "$seed" --cruise-kmh $((70 + 5 * seed)) --loop --quiet
  drives+=("$work/sim-$seed.nmea")
done
log "$agents agents (${PRM_SCALE_POLICY:-every_fix}), ${#drives[@]} drives (6 real, 6 simulated), mosquitto on port $port"

# write_configs JITTER: one config per agent, its outbox beside it.
write_configs() {
  local jitter=$1
  for ((i = 0; i < agents; ++i)); do
    local id drive
    id=$(printf 'truck-%05d' "$i")
    drive=${drives[$((i % ${#drives[@]}))]}
    cat >"$work/agents/$id.json" <<EOF
{"agent_id": "$id", "vehicle_id": "$id",
 "gps": {"source": "file:$drive?rate=1"},
 "position": {"policy": "${PRM_SCALE_POLICY:-every_fix}"},
 "mqtt": {"uri": "tcp://127.0.0.1:$port", "reconnect_jitter": "$jitter"},
 "outbox": {"path": "$work/agents/$id.db"}}
EOF
  done
}

# start_fleet: every agent, START_RATE a second (PRM_SCALE_START_RATE, default 25): a start
# costs about 30 ms of CPU, and 3,000 agents started 500 a second starved the running ones
# until their connections timed out and the fleet never settled.
start_fleet() {
  local pause
  pause=$(echo "5 / ${PRM_SCALE_START_RATE:-25}" | bc -l)  # seconds between groups of five
  for ((i = 0; i < agents; ++i)); do
    local id
    id=$(printf 'truck-%05d' "$i")
    "$bin/prm-agent" --config "$work/agents/$id.json" >/dev/null 2>>"$work/agents/$id.err" &
    if ((i % 5 == 4)); then sleep "$pause"; fi
  done
}
fleet_pids() { pgrep -f "prm-agent --config $work/agents/" || true; }

# log_bytes: the subscriber's log so far, in bytes: where online_since starts reading
# (asked every second, it must not count the lines of a log that grows by MBs a minute).
log_bytes() { stat -c %s "$work/sub.log"; }
# online_since BYTES: agents with an online status in the subscriber's log after BYTES.
online_since() {
  tail -c +"$(($1 + 1))" "$work/sub.log" |
    grep -o '^prm/v1/agents/[^/]*/status {[^}]*"state":"online"' | cut -d/ -f4 | sort -u | wc -l
}
wait_online() {
  local since=$1 limit=$2 t0=$SECONDS
  while [ "$(online_since "$since")" -lt "$agents" ]; do
    [ $((SECONDS - t0)) -lt "$limit" ] || {
      echo "scale: only $(online_since "$since") of $agents agents online after ${limit} s" >&2
      exit 1
    }
    sleep 1
  done
}

# sample FILE: per process pid name ticks rss_kb pss_kb, and the machine's memory in use.
sample() { python3 "$here/scale-sample.py" "$1" "prm-agent --config $work/agents/" "$broker_pid"; }

# restart_broker NAME: SIGTERM (mosquitto saves its sessions), DOWN_S away, started again;
# then until every agent is back. Writes NAME.restart: the epoch second it came back.
restart_broker() {
  local name=$1
  local before
  before=$(log_bytes)
  log "$name: broker SIGTERM, back in $down_s s"
  kill -TERM "$broker_pid"
  wait "$broker_pid" 2>/dev/null || true
  sleep "$down_s"
  date +%s.%N >"$work/$name.restart"
  cp "$work/mosquitto.log" "$work/$name.log-before"
  start_broker
  wait_online "$before" 300
  date +%s.%N >"$work/$name.back"
  log "$name: all $agents agents online again"
  sleep 5  # the last backlogs drain
  cp "$work/mosquitto.log" "$work/$name.log-after"
}

mkdir -p "$work/agents"
write_configs full
start_broker
mosquitto_sub -h 127.0.0.1 -p "$port" -q 1 -c -i prm-scale-sub -v -t 'prm/v1/#' \
  >"$work/sub.log" 2>"$work/sub.err" &
sub_pid=$!
sleep 1

sample "$work/idle"
log "starting the fleet (full jitter)"
t0=$SECONDS
start_fleet
wait_online 0 600
log "all $agents agents online after $((SECONDS - t0)) s; steady state for $steady_s s"
sleep 10
sample "$work/steady.start"
lines0=$(wc -l <"$work/sub.log")
date +%s.%N >"$work/steady.t0"
sleep "$steady_s"
sample "$work/steady.end"
lines1=$(wc -l <"$work/sub.log")
date +%s.%N >"$work/steady.t1"
echo "$lines0 $lines1" >"$work/steady.lines"

restart_broker jitter

if [ "${PRM_SCALE_BASELINE:-1}" != 0 ]; then
  log "restarting the fleet with plain exponential backoff"
  pkill -TERM -f "prm-agent --config $work/agents/" || true
  for _ in $(seq 120); do [ -z "$(fleet_pids)" ] && break; sleep 0.5; done
  write_configs none
  before=$(log_bytes)
  start_fleet
  wait_online "$before" 600
  sleep 10
  restart_broker plain
fi

log "stopping the fleet; checking every seq"
pkill -TERM -f "prm-agent --config $work/agents/" || true
for _ in $(seq 240); do [ -z "$(fleet_pids)" ] && break; sleep 0.5; done
sleep 3  # the subscriber takes the last messages
kill "$sub_pid" 2>/dev/null || true
sub_pid=""
python3 "$here/scale-report.py" "$work" "$agents" "$steady_s" "$(getconf CLK_TCK)"
