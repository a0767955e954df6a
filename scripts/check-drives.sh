#!/usr/bin/env bash
# Oracle check of the recorded-drive captures (tests/data/drives/*.nmea): gpsbabel, not our
# code, reads every leg back, and each fix must be the GPX point it was made from — the same
# number of points, the same time to the second, the position within 0.2 m.
#
#   scripts/check-drives.sh [GPX_DIR] [LEG_DIR]
#     GPX_DIR  the original GPX files (default ../shared/drives beside the checkout)
#     LEG_DIR  the captures (default tests/data/drives)
#
# Each leg's header names its source ("points I..J of FILE.gpx"); the expected points are
# the <trkpt> elements I..J of that file in document order, without those whose time is not
# after the previous point's (gpx-to-nmea leaves them out, as the header says). The GPX is
# read through gpsbabel as well, so both sides come from the same reader.
#
# gpsbabel's NMEA reader is run twice per leg, once per sentence type: with both, it
# expects GGA before RMC in an epoch and gives each GGA fix the time of the next RMC, so a
# capture in u-blox order (RMC, then GGA) would read back shifted by one epoch.
#   RMC only: -i nmea,gpgga=0           (date and time from RMC)
#   GGA only: -i nmea,gprmc=0,date=D    (GGA has no date; D is the leg's first date)
# Exit status: 0 every leg matches; 1 a mismatch; 2 missing tools or files.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
gpx_dir=${1:-$root/../shared/drives}
leg_dir=${2:-$root/tests/data/drives}
tolerance_m=0.2

command -v gpsbabel >/dev/null ||
  { echo "check-drives: gpsbabel is missing (apt-get install gpsbabel)" >&2; exit 2; }
shopt -s nullglob
legs=("$leg_dir"/*.nmea)
[ ${#legs[@]} -gt 0 ] || { echo "check-drives: no captures in $leg_dir" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# "index lat lon time" for every <trkpt> of a GPX that gpsbabel wrote (one element per
# line), index counted in document order; with drop_repeated=1 a point whose time is not
# after the last kept one is left out. Times get ".000" when they have no fraction, so
# they compare as strings.
trkpts() {
  awk -v drop_repeated="$2" '
    /<trkpt / {
      n++; t = ""
      match($0, /lat="[^"]*"/); lat = substr($0, RSTART + 5, RLENGTH - 6)
      match($0, /lon="[^"]*"/); lon = substr($0, RSTART + 5, RLENGTH - 6)
    }
    /<time>/ && n > printed {
      t = $0; sub(/.*<time>/, "", t); sub(/<\/time>.*/, "", t)
      if (t !~ /\./) sub(/Z$/, ".000Z", t)
    }
    /<\/trkpt>/ {
      printed = n
      if (drop_repeated && last != "" && t <= last) next
      last = t
      print n, lat, lon, t
    }' "$1"
}

# Compares expected ("index lat lon time") with actual ("index lat lon time") line by
# line; prints "count max_error_m" or the first mismatch, and fails on a mismatch.
compare() {
  awk -v tol="$tolerance_m" -v what="$3" '
    function rad(d) { return d * 3.14159265358979 / 180 }
    NR == FNR { n++; lat[n] = $2; lon[n] = $3; t[n] = $4; idx[n] = $1; next }
    {
      m++
      if (m > n) { printf "%s: more points than the GPX (%d > %d)\n", what, m, n; bad = 1; exit }
      if ($4 != t[m]) {
        printf "%s: fix %d (trkpt %d) at %s, the GPX says %s\n", what, m, idx[m], $4, t[m]
        bad = 1; exit
      }
      # Metres on a local tangent plane: exact enough at 0.2 m.
      dy = rad($2 - lat[m]) * 6371008.8; dx = rad($3 - lon[m]) * 6371008.8 * cos(rad(lat[m]))
      d = sqrt(dx * dx + dy * dy)
      if (d > max) max = d
      if (d > tol) {
        printf "%s: fix %d (trkpt %d) at %s is %.3f m from the GPX point\n", what, m, idx[m], $4, d
        bad = 1; exit
      }
    }
    END {
      if (bad) exit 1
      if (m != n) { printf "%s: %d points read back, the GPX has %d\n", what, m, n; exit 1 }
      printf "%d %.3f\n", m, max
    }' "$1" "$2"
}

failed=0
for leg in "${legs[@]}"; do
  name=$(basename "$leg" .nmea)
  header=$(grep '^#' "$leg" | tr -d '\r' | sed 's/^# *//' | tr '\n' ' ')
  source=$(grep -o 'points [0-9]*\.\.[0-9]* of [^ ]*\.gpx' <<<"$header" || true)
  if [ -z "$source" ]; then
    echo "check-drives: $name: no 'points I..J of FILE.gpx' in its header" >&2
    exit 2
  fi
  read -r _ range _ gpx <<<"$source"
  first=${range%..*}
  last=${range#*..}
  [ -f "$gpx_dir/$gpx" ] || { echo "check-drives: $name: $gpx_dir/$gpx is missing" >&2; exit 2; }

  if [ ! -f "$tmp/$gpx.points" ]; then
    gpsbabel -i gpx -f "$gpx_dir/$gpx" -o gpx -F "$tmp/$gpx.gpx"
    trkpts "$tmp/$gpx.gpx" 1 >"$tmp/$gpx.points"
  fi
  awk -v a="$first" -v b="$last" '$1 >= a && $1 <= b' "$tmp/$gpx.points" >"$tmp/expected"
  date=$(head -1 "$tmp/expected" | awk '{ d = $4; gsub(/-/, "", d); print substr(d, 1, 8) }')

  result="$name:"
  for pass in rmc gga; do
    case $pass in
      rmc) format="nmea,gpgga=0" ;;
      gga) format="nmea,gprmc=0,date=$date" ;;
    esac
    gpsbabel -i "$format" -f "$leg" -o gpx -F "$tmp/back.gpx"
    trkpts "$tmp/back.gpx" 0 >"$tmp/actual"
    if out=$(compare "$tmp/expected" "$tmp/actual" "$name ${pass^^}"); then
      read -r count max <<<"$out"
      result+=" ${pass^^} $count fixes, max $max m;"
    else
      echo "check-drives: $out" >&2
      failed=1
      result+=" ${pass^^} MISMATCH;"
    fi
  done
  echo "${result%;}"
done
[ "$failed" -eq 0 ] && echo "check-drives: every leg matches its GPX points (count, time, within $tolerance_m m)"
exit "$failed"
