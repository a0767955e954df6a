#!/usr/bin/env bash
# The partner network as a load: every truck and dock gateway a real prm-agent, one
# mosquitto (docs/performance.md, "The partner network").
#   1. the whole network's day at --speed 60 (a morning in about 3 minutes): agents, events
#      and messages that reached the broker per wall second (prm-view --summary-after as
#      the subscriber), CPU and peak RSS of every agent, of mosquitto and of prm-sim, from
#      /proc sampled every second;
#   From each: what one truck costs per simulated second (all processes / trucks / speed)
#   and so how many such trucks this machine runs in real time.
#   2. the same network at --speed 1 for REALTIME_S seconds: the start of the day in real
#      time (trucks at their depots, receivers at 1 Hz, agents idle but live), the floor of
#      that estimate; x60 compresses fixed per-wall-second costs, x1 shows them.
#   3. the estimate tried: the network's trucks COPIES times over (each copy its own trucks,
#      trips and pallets, on the same sites and roads at the same times) at --speed 10 for
#      SCALE_S seconds, the trucks leaving their depots and driving.
#
#   scripts/bench-network.sh [BUILD_DIR] [NETWORK] [REALTIME_S] [COPIES] [SCALE_S]
set -euo pipefail
build=${1:-build}
network=${2:-rotterdam-morning}
realtime_s=${3:-120}
copies=${4:-10}
scale_s=${5:-90}
here=$(cd "$(dirname "$0")" && pwd)
bin="$build/bin"
file="$here/../simulator/networks/$network.json"
work=$(mktemp -d "${TMPDIR:-/tmp}/prm-bench-network.XXXXXX")
sim=""
cleanup() {
  [ -n "$sim" ] && kill -TERM "$sim" 2>/dev/null && wait "$sim" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT INT TERM
hz=$(getconf CLK_TCK)

# sample DIR SIM_PID: until SIM_PID ends, every second, one line per process of the run
# (prm-sim and its children): pid name cpu_ticks rss_kb. The last line of a pid is its
# total CPU; its largest rss is its peak.
sample() {
  local dir=$1 pid=$2
  while kill -0 "$pid" 2>/dev/null; do
    for p in "$pid" $(pgrep -P "$pid" || true); do
      [ -r "/proc/$p/stat" ] || continue
      local name; name=$(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null |
        sed -E 's#.*agents/([^ ]+)\.json.*#\1#; s#^[^ ]*/mosquitto .*#mosquitto#; s#^[^ ]*/prm-sim .*#prm-sim#')
      # Fields after the ")" of the command: utime is the 12th, stime the 13th.
      local ticks; ticks=$(sed 's/.*) //' "/proc/$p/stat" 2>/dev/null | awk '{print $12 + $13}')
      local rss; rss=$(awk '/^VmRSS/ {print $2}' "/proc/$p/status" 2>/dev/null || echo 0)
      echo "$p $name $ticks ${rss:-0}"
    done >>"$dir/samples"
    sleep 1
  done
}

# run_network NAME SPEED SECONDS|done: runs, samples, prints the figures.
run_network() {
  local name=$1 speed=$2 until=$3 dir="$work/$1"
  mkdir -p "$dir"
  local stop_args=(--exit-when-done)
  [ "$until" != done ] && stop_args=(--duration "$until")
  local t0; t0=$(date +%s.%N)
  "$bin/prm-sim" network "${network_file:-$file}" --speed "$speed" --work "$dir/net" "${stop_args[@]}" \
    --status-every 0 >"$dir/sim.out" 2>"$dir/sim.log" &
  sim=$!
  local broker=""
  for _ in $(seq 300); do
    broker=$(sed -n 's/^broker: //p' "$dir/sim.out"); [ -n "$broker" ] && break; sleep 0.1
  done
  [ -n "$broker" ] || { echo "bench: prm-sim did not start:" >&2; cat "$dir/sim.log" >&2; exit 1; }
  "$bin/prm-view" --broker "$broker" --summary-after 100000 >"$dir/summary.json" 2>/dev/null &
  local view=$!
  sample "$dir" "$sim" &
  local sampler=$!
  wait "$sim" || true
  sim=""
  local t1; t1=$(date +%s.%N)
  kill -INT "$view"; wait "$view" || true
  wait "$sampler" || true
  local wall; wall=$(echo "$t1 - $t0" | bc -l)
  python3 - "$dir/samples" "$dir/summary.json" "$wall" "$hz" "$speed" <<'PY'
import json, sys
samples, summary, wall, hz, speed = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
cpu, rss, names = {}, {}, {}
for line in open(samples):
    fields = line.split()
    if len(fields) != 4: continue  # a process caught exiting (no command line)
    pid, name, ticks, kb = fields
    names[pid] = name
    cpu[pid] = int(ticks) / hz
    rss[pid] = max(rss.get(pid, 0), int(kb))
s = json.load(open(summary))
trucks = [p for p in names if names[p].startswith("truck")]
gateways = [p for p in names if names[p].startswith("gw-")]
def stats(pids):
    c = sorted(cpu[p] / wall * 100 for p in pids); r = sorted(rss[p] / 1024 for p in pids)
    return f"CPU {c[0]:.1f}..{c[-1]:.1f} % (mean {sum(c)/len(c):.1f}), peak RSS {r[0]:.1f}..{r[-1]:.1f} MiB"
# mosquitto is restarted once in the day: both of its processes count.
named = lambda n: [p for p in names if names[p] == n]
print(f"wall {wall:.0f} s at x{speed:g}: {s['agents']} agents ({len(trucks)} trucks, {len(gateways)} gateways)")
print(f"at the broker: {s['events']} events, {s['messages']} messages: {s['events']/wall:.0f} events/s, {s['messages']/wall:.0f} messages/s; seq gaps {s['seq_gaps_total']}")
print(f"  arrivals {s['arrivals']}, check-ins {s['checkins']}, pallets loaded {s['pallets_loaded']}, received {s['pallets_received']}, discrepancies {s['discrepancies']}")
print(f"truck agents:   {stats(trucks)}")
if gateways: print(f"dock gateways:  {stats(gateways)}")
for n in ("mosquitto", "prm-sim"):
    ps = named(n)
    print(f"{n:15s} CPU {sum(cpu[p] for p in ps)/wall*100:.1f} %, peak RSS {max(rss[p] for p in ps)/1024:.1f} MiB")
total = sum(cpu.values()) / wall * 100
print(f"all processes:  CPU {total:.1f} % of one core ({total/2:.1f} % of this 2-core machine)")
# One truck's cost per simulated second: its agent and its share of everything else (the
# gateways, the broker, the simulator). Nearly all of it scales with simulated time (fixes,
# positions, scans, statuses are all on the agents' faked clocks), so at x1 it is the
# same per wall second: how many such trucks fit in 80 % of this machine's two cores.
per_truck = total / speed / len(trucks)
print(f"one truck in real time (all processes / trucks / speed): {per_truck:.3f} % of a core")
by_cpu = int(2 * 80 / per_truck)
# Memory: every truck is an agent process; RSS counts its shared libraries too, so this
# bound is conservative.
mem_kb = next(int(l.split()[1]) for l in open("/proc/meminfo") if l.startswith("MemTotal"))
mean_rss = sum(rss[p] for p in trucks) / len(trucks)
by_memory = int(mem_kb * 0.8 / mean_rss)
print(f"trucks one 2-core machine runs in real time: {by_cpu} by CPU (80 % of 2 cores), "
      f"{by_memory} by memory (80 % of {mem_kb / 1048576:.0f} GiB at {mean_rss / 1024:.1f} MiB RSS each): "
      f"{min(by_cpu, by_memory)}")
PY
}

echo "# prm-edge network bench $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(nproc) cores, $(uname -r)"
echo "# network $network ($file)"
echo
echo "## 1. the whole day at x60"
run_network day 60 done
echo
echo "## 2. real time (x1) for $realtime_s s: the first minutes, trucks at their depots"
run_network realtime 1 "$realtime_s"
echo
echo "## 3. $copies copies of the trucks at x10 for $scale_s s: leaving the depots, driving"
python3 - "$file" "$copies" >"$work/scaled.json" <<'PY'
import copy, json, re, sys
net = json.loads(re.sub(r"^\s*//.*$", "", open(sys.argv[1]).read(), flags=re.M))
trucks, shipments = list(net["trucks"]), list(net["shipments"])
for k in range(2, int(sys.argv[2]) + 1):
    rename = {s["shipment"]: f"{s['shipment']}-{k}" for s in shipments}
    for s in shipments:
        c = copy.deepcopy(s); c["shipment"] = rename[s["shipment"]]; net["shipments"].append(c)
    for t in trucks:
        c = copy.deepcopy(t)
        c["truck"], c["trip_id"] = f"{t['truck']}-{k}", f"{t['trip_id']}-{k}"
        for stop in c["stops"]:
            for key in ("load", "unload"):
                if key in stop: stop[key] = [rename[x] for x in stop[key]]
        net["trucks"].append(c)
net["name"] += f"-x{sys.argv[2]}"
print(json.dumps(net))
PY
network_file="$work/scaled.json" run_network scaled 10 "$scale_s"
