#!/usr/bin/env python3
"""How a road's shape goes with the speed driven on it, on real legs (docs/tracking.md,
"Known limits": the leg's prior speed knows only the leg's length).

Each leg's valid $GPRMC fixes are resampled every 100 m of driven path and cut into
pieces of 2 km. For each piece: its turning (the sum of the heading changes between
consecutive 100 m steps, degrees per km) and its speed (driven length over elapsed time,
stops included). Prints the correlation of the two over all pieces and the median speed
per band of turning.

    scripts/route-shape-speed.py tests/data/drives/*.nmea
"""
import datetime
import math
import statistics
import sys

STEP_M = 100
PIECE_STEPS = 20  # 2 km
BAND_DEG_PER_KM = 25


def fixes(path):
    out = []
    with open(path, encoding="ascii", errors="replace") as f:
        for line in f:
            if not line.startswith("$GPRMC"):
                continue
            p = line.split("*")[0].split(",")
            if len(p) < 10 or p[2] != "A":
                continue
            lat = float(p[3][:2]) + float(p[3][2:]) / 60
            lon = float(p[5][:3]) + float(p[5][3:]) / 60
            lat = -lat if p[4] == "S" else lat
            lon = -lon if p[6] == "W" else lon
            when = datetime.datetime.strptime(p[9] + p[1].split(".")[0], "%d%m%y%H%M%S")
            out.append((when.replace(tzinfo=datetime.timezone.utc).timestamp(), lat, lon))
    return out


def metres(a, b):
    la1, lo1, la2, lo2 = map(math.radians, (a[1], a[2], b[1], b[2]))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * 6371000 * math.asin(math.sqrt(h))


def heading(a, b):
    la1, lo1, la2, lo2 = map(math.radians, (a[1], a[2], b[1], b[2]))
    y = math.sin(lo2 - lo1) * math.cos(la2)
    x = math.cos(la1) * math.sin(la2) - math.sin(la1) * math.cos(la2) * math.cos(lo2 - lo1)
    return math.degrees(math.atan2(y, x))


def pieces(points):
    steps, run = [points[0]], 0.0
    for prev, cur in zip(points, points[1:]):
        run += metres(prev, cur)
        if run >= STEP_M:
            steps.append(cur)
            run = 0.0
    for start in range(0, len(steps) - PIECE_STEPS - 1, PIECE_STEPS):
        piece = steps[start:start + PIECE_STEPS + 1]
        turning = sum(
            abs((heading(piece[i], piece[i + 1]) - heading(piece[i - 1], piece[i]) + 180) % 360 - 180)
            for i in range(1, len(piece) - 1))
        length = sum(metres(piece[i], piece[i + 1]) for i in range(len(piece) - 1))
        seconds = piece[-1][0] - piece[0][0]
        if seconds > 0:
            yield turning / (length / 1000), length / seconds * 3.6


def main(paths):
    if not paths:
        print(__doc__.strip().splitlines()[-1].strip(), file=sys.stderr)
        return 2
    data = [p for path in paths for p in pieces(fixes(path))]
    turns = [t for t, _ in data]
    speeds = [v for _, v in data]
    print(f"pieces={len(data)} correlation_turning_speed={statistics.correlation(turns, speeds):.2f}")
    bands = {}
    for t, v in data:
        bands.setdefault(int(t // BAND_DEG_PER_KM), []).append(v)
    for band in sorted(bands):
        low = band * BAND_DEG_PER_KM
        print(f"turning_deg_per_km={low}-{low + BAND_DEG_PER_KM} pieces={len(bands[band])} "
              f"median_speed_kmh={statistics.median(bands[band]):.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
