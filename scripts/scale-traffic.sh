#!/usr/bin/env bash
# What one truck and one dock door put on the broker, per hour of their day, by message
# kind: the partner network's day (prm-sim network, every truck and gateway a real
# prm-agent with the shipped defaults) with a subscriber taking every message. The
# per-hour rates and sizes that docs/scale.md multiplies out to a large network.
#
#   scripts/scale-traffic.sh [BUILD_DIR] [NETWORK] [SPEED]
set -euo pipefail
build=${1:-build}
network=${2:-rotterdam-morning}
speed=${3:-60}
here=$(cd "$(dirname "$0")" && pwd)
file="$here/../simulator/networks/$network.json"
work=$(mktemp -d "${TMPDIR:-/tmp}/prm-traffic.XXXXXX")
sim=""
sub=""
cleanup() {
  [ -n "$sub" ] && kill "$sub" 2>/dev/null
  [ -n "$sim" ] && kill -TERM "$sim" 2>/dev/null && wait "$sim" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

"$build/bin/prm-sim" network "$file" --speed "$speed" --work "$work/net" --exit-when-done \
  --status-every 0 --quiet >"$work/sim.out" &
sim=$!
for _ in $(seq 100); do grep -q '^broker:' "$work/sim.out" 2>/dev/null && break; sleep 0.1; done
port=$(sed -n 's/^broker: tcp:\/\/127.0.0.1:\([0-9]*\)$/\1/p' "$work/sim.out")
[ -n "$port" ] || { echo "scale-traffic: prm-sim network did not start" >&2; exit 1; }
# -N: no newline of our own; each line is "topic<TAB>length<TAB>payload", so an empty
# payload (a cleared retained ETA) is seen too.
mosquitto_sub -h 127.0.0.1 -p "$port" -q 1 -t 'prm/v1/#' -F '%t\t%l\t%p' >"$work/sub.log" &
sub=$!
echo "scale-traffic: $network at x$speed, broker port $port"
wait "$sim"
sim=""
sleep 1
kill "$sub"
sub=""
python3 - "$file" "$work/sub.log" <<'PY'
import collections, json, sys
from datetime import datetime
net = json.loads("\n".join(l for l in open(sys.argv[1]) if not l.lstrip().startswith("//")))
trucks = len(net["trucks"])
doors = sum(len(s.get("docks", [])) for s in net["sites"])
kinds = collections.defaultdict(lambda: [0, 0])
times = []
for line in open(sys.argv[2], errors="replace"):
    topic, length, payload = (line.rstrip("\n").split("\t", 2) + ["", ""])[:3]
    parts = topic.split("/")
    leaf = parts[-1]
    kind = leaf
    try:
        j = json.loads(payload) if payload else None
    except ValueError:
        j = None
    if isinstance(j, dict):
        if leaf in ("events", "scans"):
            kind = f"{leaf}:{j.get('type')}"
        if "time" in j and j.get("type") != "status":
            times.append(j["time"])
    if "cmd" in parts or "reply" in parts:
        kind = ("cmd:" if "cmd" in parts else "reply:") + leaf
    if leaf == "eta" and not payload:
        kind = "eta (cleared)"
    who = "door" if "docks" in parts else "truck"
    if parts[2] == "agents" and (leaf == "status" or "cmd" in parts or "reply" in parts):
        who = "agent"
    k = kinds[(who, kind)]
    k[0] += 1
    k[1] += len(topic) + int(length or 0)
t = sorted(times)
span_h = (datetime.fromisoformat(t[-1].replace("Z", "+00:00")) -
          datetime.fromisoformat(t[0].replace("Z", "+00:00"))).total_seconds() / 3600
gateways = sum(1 for s in net["sites"] if s.get("docks"))
count = {"truck": trucks, "door": doors, "agent": trucks + gateways}
print(f"{trucks} trucks, {doors} dock doors at {gateways} gateways, a day of {span_h:.2f} h "
      f"(first to last event time), {sum(c for c, _ in kinds.values())} messages")
print(f"{'per':6s} {'kind':28s} {'msgs':>6s} {'per hour':>9s} {'mean bytes':>10s}")
for (who, kind), (n, size) in sorted(kinds.items()):
    print(f"{who:6s} {kind:28s} {n:6d} {n / count[who] / span_h:9.2f} {size / n:10.0f}")
PY
