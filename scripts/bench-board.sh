#!/usr/bin/env bash
# The partner board's benchmarks (`make bench`; figures in docs/performance.md):
#   1. ingest: events/s prm-view takes from the broker into its SQLite store and board
#      (EVENTS positions published with `mosquitto_pub -l` at QoS 1), against
#      `mosquitto_sub` receiving the same at QoS 1 in the same run (the broker's delivery
#      to a plain subscriber: the ceiling), and prm-view without a store;
#   2. delay: from an event's PUBLISH reaching the broker to the web board's stream
#      (/api/stream, what the page draws) carrying it, with the full demo network running;
#   3. memory: prm-view's RSS (peak) over the whole rotterdam-morning network at x60.
#
#   scripts/bench-board.sh [BUILD_DIR] [EVENTS]   (EVENTS: 20000; mosquitto 2.0.11 cut the
#   publisher off "out of memory" at 100,000 with the QoS 1 subscriber queueing them)
set -euo pipefail
build=${1:-build}
events=${2:-20000}
bin="$build/bin"
here=$(cd "$(dirname "$0")" && pwd)
. "$here/workspace.sh"
workspace bench-board

. "$here/free-port.sh"
port=$(free_port)
cat >"$work/mosquitto.conf" <<CONF
listener $port 127.0.0.1
allow_anonymous true
persistence false
max_queued_messages 0
user $(id -un)
CONF
/usr/sbin/mosquitto -c "$work/mosquitto.conf" >"$work/mosquitto.log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
broker="tcp://127.0.0.1:$port"

# EVENTS position envelopes of one agent, one per line, as an agent sends them.
python3 - "$events" "$(date -u +%F)" >"$work/positions.jsonl" <<'PY'
import json, sys
day = sys.argv[2]
for seq in range(1, int(sys.argv[1]) + 1):
    print(json.dumps({"v": 1, "type": "position", "event_id": f"0193c1e2-0000-7000-8000-{seq:012d}",
                      "agent_id": "bench-1", "seq": seq, "time": f"{day}T08:{seq // 60 % 60:02d}:{seq % 60:02d}.000Z",
                      "vehicle_id": "bench-1", "lat": 51.9 + seq * 1e-6, "lon": 4.4, "alt_m": 3.2,
                      "speed_mps": 21.4, "course_deg": 87.5, "fix": "3d", "sats": 11, "hdop": 0.9},
                     separators=(",", ":")))
PY
bytes=$(stat -c %s "$work/positions.jsonl")

now() { date +%s.%N; }
# wait_events PORT N: until prm-view's board has N events.
wait_events() {
  until [ "$(curl -s "http://127.0.0.1:$1/api/health" | python3 -c 'import json,sys; print(json.load(sys.stdin)["events"])' 2>/dev/null || echo 0)" -ge "$2" ]; do
    sleep 0.05
  done
}

echo "# prm-view bench $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(nproc) cores, $(uname -r)"
echo
echo "## 1. ingest of $events positions ($((bytes / events)) bytes each), QoS 1, one mosquitto"
# The baseline first: mosquitto_sub at QoS 1 with a persistent session, receiving them all.
mosquitto_sub -h 127.0.0.1 -p "$port" -q 1 -c -i bench-sub -t 'prm/v1/#' -C "$events" >/dev/null &
sub=$!
sleep 0.5
t0=$(now)
mosquitto_pub -h 127.0.0.1 -p "$port" -q 1 -t prm/v1/vehicles/bench-1/position -l <"$work/positions.jsonl"
wait "$sub"
t1=$(now)
echo "mosquitto_sub (the baseline):  $(echo "$events / ($t1 - $t0)" | bc) events/s"
for mode in store memory; do
  web=$(free_port)
  args=(--broker "$broker" --web "127.0.0.1:$web" --client-id "bench-view-$mode")
  [ "$mode" = store ] && args+=(--db "$work/board.db")
  "$bin/prm-view" "${args[@]}" >"$work/view-$mode.out" 2>"$work/view-$mode.err" &
  view=$!
  pids+=("$view")
  until curl -s "http://127.0.0.1:$web/api/health" >/dev/null; do sleep 0.05; done
  sleep 0.5
  t0=$(now)
  mosquitto_pub -h 127.0.0.1 -p "$port" -q 1 -t prm/v1/vehicles/bench-1/position -l <"$work/positions.jsonl"
  wait_events "$web" "$events"
  t1=$(now)
  rss=$(awk '/^VmHWM/ {print $2}' "/proc/$view/status")
  label="prm-view, $mode:"
  [ "$mode" = store ] && label="prm-view into its store:"
  [ "$mode" = memory ] && label="prm-view without --db:"
  printf '%-30s %s events/s, peak RSS %.1f MiB\n' "$label" "$(echo "$events / ($t1 - $t0)" | bc)" "$(echo "$rss / 1024" | bc -l)"
  kill -TERM "$view"; wait "$view" || true
done
echo "store: $(stat -c %s "$work/board.db") bytes for $events events (plus -wal $(stat -c %s "$work/board.db-wal" 2>/dev/null || echo 0))"

echo
echo "## 2 and 3. the rotterdam-morning network at x60 with prm-view --db --web"
"$bin/prm-sim" network "$here/../simulator/networks/rotterdam-morning.json" --start now --speed 60 \
  --work "$work/net" --exit-when-done --status-every 0 >"$work/sim.out" 2>"$work/sim.log" &
sim=$!
pids+=("$sim")
netbroker=""
for _ in $(seq 300); do
  netbroker=$(sed -n 's/^broker: //p' "$work/sim.out"); [ -n "$netbroker" ] && break; sleep 0.1
done
[ -n "$netbroker" ] || { echo "bench: prm-sim did not start:" >&2; cat "$work/sim.log" >&2; exit 1; }
web=$(free_port)
"$bin/prm-view" --broker "$netbroker" --db "$work/net-board.db" --web "127.0.0.1:$web" \
  >"$work/view-net.out" 2>"$work/view-net.err" &
view=$!
pids+=("$view")
until curl -s "http://127.0.0.1:$web/api/health" >/dev/null; do sleep 0.05; done
# The delay: a marker position published by hand (a raw MQTT 3.1.1 client, so the clock
# starts at the PUBLISH leaving for the broker) until the SSE stream carries it. 60
# samples, one every 2 s, while the network runs.
python3 - "${netbroker##*:}" "$web" <<'PY'
import http.client, json, socket, statistics, sys, threading, time
mqtt_port, web = int(sys.argv[1]), int(sys.argv[2])
day = time.strftime("%Y-%m-%d", time.gmtime())
def packet(kind, body):
    n, length = len(body), b""
    while True:
        b = n % 128; n //= 128
        length += bytes([b | (128 if n else 0)])
        if not n: break
    return bytes([kind]) + length + body
def s(text): return len(text).to_bytes(2, "big") + text.encode()
sock = None
def connect():
    global sock
    sock = socket.create_connection(("127.0.0.1", mqtt_port))
    sock.sendall(packet(0x10, s("MQTT") + bytes([4, 2]) + (60).to_bytes(2, "big") + s("bench-marker")))
    assert sock.recv(4)[0] == 0x20
def publish(topic, body):
    # The network restarts its broker once in the morning: connect again and go on.
    for _ in range(100):
        try:
            if sock is None: connect()
            sock.sendall(packet(0x30, s(topic) + body))
            return True
        except OSError:
            globals()["sock"] = None
            time.sleep(0.2)
    return False
seen = {}
def follow():
    conn = http.client.HTTPConnection("127.0.0.1", web)
    conn.request("GET", "/api/stream")
    r = conn.getresponse()
    while True:
        line = r.fp.readline()
        if not line: return
        if line.startswith(b"data: ") and b"marker-" in line:
            at = time.monotonic()
            for t in json.loads(line[6:])["trucks"]:
                if t["vehicle_id"] == "marker-1" and t["position"]:
                    seen.setdefault(t["position"]["time"], at)
threading.Thread(target=follow, daemon=True).start()
time.sleep(1)
sent, delays = {}, []
for i in range(60):
    stamp = f"{day}T09:{i // 60:02d}:{i % 60:02d}.000Z"
    event = json.dumps({"v": 1, "type": "position", "event_id": f"marker-{i}", "agent_id": "marker-1", "seq": i + 1,
                        "time": stamp, "vehicle_id": "marker-1", "lat": 51.9, "lon": 4.5, "fix": "3d"})
    sent[stamp] = time.monotonic()
    if not publish("prm/v1/vehicles/marker-1/position", event.encode()): del sent[stamp]
    time.sleep(2)
for stamp, t0 in sent.items():
    if stamp in seen: delays.append((seen[stamp] - t0) * 1000)
delays.sort()
q = lambda p: delays[min(len(delays) - 1, int(p * len(delays)))]
print(f"broker -> page stream: {len(delays)}/{len(sent)} markers seen; delay median {statistics.median(delays):.0f} ms, "
      f"p90 {q(0.9):.0f} ms, max {delays[-1]:.0f} ms")
PY
wait "$sim" || true
curl -s "http://127.0.0.1:$web/api/health" >"$work/health.json"
t0=$(now)
curl -s "http://127.0.0.1:$web/api/board" >"$work/board.json"
t1=$(now)
python3 - "$work/health.json" "$work/board.json" "/proc/$view/status" "$(echo "($t1 - $t0) * 1000" | bc -l)" <<'PY'
import json, os, sys
h = json.load(open(sys.argv[1]))
status = {l.split(":")[0]: l.split()[1] for l in open(sys.argv[3]) if l.startswith(("VmHWM", "VmRSS", "RssAnon"))}
mib = lambda k: int(status[k]) / 1024
print(f"the network at the board: {len(h['agents'])} agents, {h['events']} events, {h['messages']} messages, "
      f"lost {sum(a['lost'] for a in h['agents'])}")
print(f"prm-view memory with the full network: peak RSS {mib('VmHWM'):.1f} MiB, at the end {mib('VmRSS'):.1f} MiB "
      f"(anonymous {mib('RssAnon'):.1f} MiB)")
print(f"the board's JSON (each stream frame): {os.path.getsize(sys.argv[2])} bytes, GET /api/board {float(sys.argv[4]):.0f} ms")
PY
echo "store: $(stat -c %s "$work/net-board.db") bytes"
kill -TERM "$view"; wait "$view" || true
