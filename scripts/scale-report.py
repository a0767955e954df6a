#!/usr/bin/env python3
"""The figures of a scripts/scale.sh run (docs/scale.md), from its work directory: the
steady state, the two reconnect storms, and the check that every seq each agent committed
reached the subscriber or was announced. Exits 1 when an accepted event was lost.

usage: scale-report.py WORK AGENTS STEADY_S CLK_TCK"""
import collections
import glob
import json
import os
import sqlite3
import statistics
import sys

work, agents, steady_s, hz = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])


def read_sample(name):
    procs, mem = {}, 0
    for line in open(os.path.join(work, name)):
        f = line.split()
        if f[0] == "mem_used_kb":
            mem = int(f[1])
        else:
            procs[f[1]] = (f[2], int(f[3]), int(f[4]), int(f[5] or 0))
    return procs, mem


def spread(values, unit, digits=1):
    if not values:
        return "-"
    return (f"mean {statistics.mean(values):.{digits}f} {unit}, "
            f"{min(values):.{digits}f}-{max(values):.{digits}f}")


# 1. Steady state.
idle, mem_idle = read_sample("idle")
start, _ = read_sample("steady.start")
end, mem_end = read_sample("steady.end")
t0 = float(open(os.path.join(work, "steady.t0")).read())
t1 = float(open(os.path.join(work, "steady.t1")).read())
lines0, lines1 = map(int, open(os.path.join(work, "steady.lines")).read().split())
elapsed = t1 - t0
cpu, rss, pss = [], [], []
broker = None
for pid, (name, ticks, r, p) in end.items():
    if pid not in start:
        continue
    pct = (ticks - start[pid][1]) / hz / elapsed * 100
    if name == "agent":
        cpu.append(pct)
        rss.append(r / 1024)
        pss.append(p / 1024)
    else:
        broker = (pct, r / 1024)
print(f"steady state, {len(cpu)} agents, {elapsed:.0f} s:")
print(f"  agent CPU        {spread(cpu, '% of a core', 2)}; all agents {sum(cpu):.1f} % of a core")
print(f"  agent RSS        {spread(rss, 'MiB')}")
print(f"  agent PSS        {spread(pss, 'MiB', 2)} (shared libraries split among the processes)")
print(f"  machine memory   {(mem_end - mem_idle) / 1024:.0f} MiB more in use than before the fleet "
      f"({(mem_end - mem_idle) / 1024 / max(len(cpu), 1):.2f} MiB an agent)")
if broker:
    print(f"  mosquitto        CPU {broker[0]:.1f} % of a core, RSS {broker[1]:.1f} MiB")
kinds = collections.defaultdict(lambda: [0, 0])
with open(os.path.join(work, "sub.log"), errors="replace") as sub:
    for n, line in enumerate(sub):
        if lines0 <= n < lines1:
            topic, _, payload = line.rstrip("\n").partition(" ")
            k = kinds[topic.rsplit("/", 1)[-1]]
            k[0] += 1
            k[1] += len(topic) + len(payload)
total_bytes = sum(b for _, b in kinds.values())
print(f"  at the subscriber {(lines1 - lines0) / elapsed:.0f} messages/s, "
      f"{total_bytes / elapsed / 1024:.0f} KiB/s of topic and payload")
for kind, (count, size) in sorted(kinds.items(), key=lambda kv: -kv[1][0]):
    print(f"    {kind:10s} {count / elapsed:8.1f}/s, mean {size / count:.0f} bytes")

# 2. The storms: connections per second after the broker came back.
for storm in ("jitter", "plain"):
    if not os.path.exists(os.path.join(work, storm + ".restart")):
        continue
    restart = float(open(os.path.join(work, storm + ".restart")).read())
    back = float(open(os.path.join(work, storm + ".back")).read())
    before = open(os.path.join(work, storm + ".log-before")).read().count("\n")
    first = {}
    per_second = collections.Counter()
    connects = 0
    for line in open(os.path.join(work, storm + ".log-after")).read().splitlines()[before:]:
        if "New client connected" not in line:
            continue
        stamp, _, rest = line.partition(": ")
        client = rest.split(" as ")[1].split(" ")[0] if " as " in rest else ""
        if not client.startswith("truck-"):
            continue
        t = float(stamp) - int(restart)
        connects += 1
        per_second[int(t)] += 1
        first.setdefault(client, t)
    times = sorted(first.values())
    label = "full jitter" if storm == "jitter" else "plain exponential (baseline)"
    if not times:
        print(f"storm, {label}: no connections logged")
        continue
    peak_s, peak = max(per_second.items(), key=lambda kv: kv[1])
    median = times[len(times) // 2]
    print(f"storm, {label}: {len(first)} of {agents} agents reconnected, {connects} connections; "
          f"all back {times[-1]:.0f} s after the broker (median {median:.0f} s); "
          f"peak {peak} connections in second {peak_s}; online statuses all seen after "
          f"{back - restart:.1f} s")
    print("  connections per second: " +
          " ".join(f"{s}:{per_second[s]}" for s in range(0, int(times[-1]) + 1) if per_second[s]))

# 3. Nothing lost.
received = collections.defaultdict(dict)
announced = collections.defaultdict(set)
duplicates = 0


def take(e):
    global duplicates
    if not isinstance(e, dict) or "seq" not in e or "agent_id" not in e:
        return
    ids = received[e["agent_id"]]
    if e["seq"] in ids:
        duplicates += 1
    ids[e["seq"]] = e.get("event_id")
    if e.get("type") == "dropped":
        for a, b in e.get("seqs", []):
            announced[e["agent_id"]].update(range(a, b + 1))


for line in open(os.path.join(work, "sub.log"), errors="replace"):
    topic, _, payload = line.rstrip("\n").partition(" ")
    try:
        j = json.loads(payload)
    except ValueError:
        continue
    for e in (j if isinstance(j, list) else [j]):
        take(e)

accepted = delivered = dropped = lost = 0
lost_agents = []
for db in sorted(glob.glob(os.path.join(work, "agents", "*.db"))):
    agent = os.path.basename(db)[:-3]
    c = sqlite3.connect(db)
    last = c.execute("SELECT max((SELECT value FROM meta WHERE key = 'next_seq') - 1, "
                     "coalesce((SELECT max(seq) FROM events), 0))").fetchone()[0]
    c.close()
    got, ann = received.get(agent, {}), announced.get(agent, set())
    missing = [s for s in range(1, int(last) + 1) if s not in got and s not in ann]
    accepted += int(last)
    delivered += sum(1 for s in got if s <= int(last))
    dropped += len(ann)
    lost += len(missing)
    if missing:
        lost_agents.append(f"{agent} ({len(missing)}, first {missing[0]})")
print(f"events: accepted {accepted}, delivered {delivered}, announced {dropped}, lost {lost}, "
      f"duplicates {duplicates}")
if lost_agents:
    print("  lost at: " + ", ".join(lost_agents[:10]))
sys.exit(1 if lost else 0)
