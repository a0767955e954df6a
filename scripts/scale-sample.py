#!/usr/bin/env python3
"""One sample of a scripts/scale.sh fleet, read straight from /proc in one process (a shell
loop forking sed and awk per agent took minutes at 1,000 agents and skewed the CPU figures).
Writes the machine's memory in use and, per process, pid, name, CPU ticks, RSS and PSS (KiB).

usage: scale-sample.py OUT AGENT_CMDLINE_PREFIX BROKER_PID"""
import os
import sys

out, prefix, broker = sys.argv[1], sys.argv[2].encode(), sys.argv[3]


def field(path, key):
    try:
        with open(path) as f:
            for line in f:
                if line.startswith(key):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


lines = []
with open("/proc/meminfo") as f:
    mem = {l.split(":")[0]: int(l.split()[1]) for l in f}
lines.append(f"mem_used_kb {mem['MemTotal'] - mem['MemAvailable']}")
for pid in os.listdir("/proc"):
    if not pid.isdigit():
        continue
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            cmd = f.read().replace(b"\0", b" ")
        if pid == broker:
            name = "mosquitto"
        elif prefix in cmd:
            name = "agent"
        else:
            continue
        with open(f"/proc/{pid}/stat") as f:
            stat = f.read().rsplit(") ", 1)[1].split()
    except OSError:
        continue
    ticks = int(stat[11]) + int(stat[12])
    rss = field(f"/proc/{pid}/status", "VmRSS")
    pss = field(f"/proc/{pid}/smaps_rollup", "Pss:")
    lines.append(f"proc {pid} {name} {ticks} {rss} {pss}")
with open(out, "w") as f:
    f.write("\n".join(lines) + "\n")
