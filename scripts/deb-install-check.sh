#!/usr/bin/env bash
# The package on a fresh Debian 12 (docs/debian-package.md): debootstraps bookworm into
# DIR/base (once; later runs copy it), installs the .deb into a copy with apt, so its
# Depends come from the archive, writes /etc/prm-edge/agent.json for a mosquitto on the
# container's own loopback, boots the copy with `systemd-nspawn --boot --private-network`
# and, inside, runs `systemctl start prm-agent` and checks that the unit is active, that
# the journal says the agent started and connected, that its retained online status and a
# position from a replayed drive reach the broker, and the unit's systemd-analyze security
# score (at most MAX_EXPOSURE); then that installing on the running system neither enables
# nor starts the agent and that an upgrade restarts an enabled one.
#
#   scripts/deb-install-check.sh [DEB [DIR]]
#       DEB  default: the newest build/deb/prm-edge_*.deb (make deb)
#       DIR  default: build/deb-check
#
# A one-off check, not part of `make test`: it needs root, downloads about 60 MB from the
# Debian mirror this machine's apt uses (read from its sources at run time) and takes a
# few minutes. Installs debootstrap and systemd-container when they are missing.
set -euo pipefail

cd "$(dirname "$0")/.."
deb=${1:-$(ls -t build/deb/prm-edge_*.deb 2>/dev/null | head -1)}
dir=${2:-build/deb-check}
max_exposure=1.6
boot_timeout_s=600
[ -f "$deb" ] || { echo "install-check: no .deb (run make deb first, or give its path)" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || { echo "install-check: needs root (debootstrap, systemd-nspawn)" >&2; exit 1; }
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
deb=$(cd "$(dirname "$deb")" && pwd)/$(basename "$deb")
say() { echo "install-check: $*"; }

missing=()
for p in debootstrap systemd-container; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# The mirror and suites of this machine's apt sources (bookworm, bookworm-updates,
# bookworm-security), so the check uses whatever mirror the machine is set up with.
targets() {
  apt-get indextargets --format '$(REPO_URI) $(RELEASE) $(COMPONENT)' 'Identifier: Packages' |
    awk '$2 ~ /^bookworm(-updates|-security)?$/ && $3 == "main"' | sort -u
}
[ -n "$(targets)" ] || apt-get update -q
mirror=$(targets | awk '$2 == "bookworm" { print $1; exit }')
[ -n "$mirror" ] || { echo "install-check: no bookworm main in this machine's apt sources" >&2; exit 1; }

base="$dir/base"
if [ ! -f "$base/.prm-debootstrap-done" ]; then
  say "debootstrap bookworm (minbase + systemd-sysv) from $mirror into $base"
  rm -rf "$base"
  debootstrap --variant=minbase --include=systemd-sysv bookworm "$base" "$mirror" \
    >"$dir/debootstrap.log" 2>&1 || { tail -20 "$dir/debootstrap.log" >&2; exit 1; }
  targets | while read -r uri suite component; do
    echo "deb $uri $suite $component"
  done >"$base/etc/apt/sources.list"
  touch "$base/.prm-debootstrap-done"
fi

root="$dir/root"
say "a fresh copy of the base in $root"
rm -rf "$root"
cp -a "$base" "$root"
rm "$root/.prm-debootstrap-done"
# systemd-nspawn wants a machine id to boot; a fresh image gets one on first boot.
: >"$root/etc/machine-id"
echo prm-install-check >"$root/etc/hostname"

# --register=no --keep-unit: no machined and no scope unit, so the host needs no systemd
# of its own (a container's PID 1 often is not).
in_root() { systemd-nspawn -q --register=no --keep-unit --resolv-conf=copy-host -D "$root" "$@"; }

# Not /tmp: systemd-nspawn mounts a fresh tmpfs there.
cp "$deb" "$root/var/tmp/"
say "apt-get install ./$(basename "$deb") (Depends from the archive), then mosquitto"
in_root env DEBIAN_FRONTEND=noninteractive sh -c "
  apt-get update -q &&
  apt-get install -y -q --no-install-recommends /var/tmp/$(basename "$deb") &&
  apt-get install -y -q --no-install-recommends mosquitto mosquitto-clients" \
  >"$dir/apt.log" 2>&1 || { tail -30 "$dir/apt.log" >&2; exit 1; }
grep -E '^(Setting up|Unpacking) ' "$dir/apt.log" | sed 's/^/install-check:   /'

say "in the root, before booting it:"
in_root sh -c '
  set -e
  id prm-agent
  ls -l /etc/prm-edge /lib/systemd/system/prm-agent.service /usr/lib/sysusers.d/prm-agent.conf
  echo "conffiles:"; dpkg-query -W -f="\${Conffiles}\n" prm-edge
  systemctl is-enabled prm-agent || true
  systemd-analyze verify /lib/systemd/system/prm-agent.service && echo "systemd-analyze verify: ok"
  systemd-analyze security --offline=yes /lib/systemd/system/prm-agent.service | tail -1
' 2>&1 | sed 's/^/install-check:   /'

# The installer's part: a config from the truck sample, with a drive replayed ten times
# faster than it was driven instead of a receiver, and the container's own mosquitto.
mkdir -p "$root/usr/local/share/prm-install-check"
cp tests/data/drives/rome-urban-loop-m241-leg1.nmea "$root/usr/local/share/prm-install-check/drive.nmea"
sed -e 's|"agent_id": "truck-042"|"agent_id": "install-check"|' \
  -e 's|"vehicle_id": "truck-042"|"vehicle_id": "install-check"|' \
  -e 's|"status_interval_s": 60|"status_interval_s": 5|' \
  -e 's|"source": "serial:/dev/ttyUSB0?baud=9600"|"source": "file:/usr/local/share/prm-install-check/drive.nmea?rate=10"|' \
  -e 's|"uri": "ssl://broker.example.net:8883"|"uri": "tcp://127.0.0.1:1883"|' \
  "$root/etc/prm-edge/vehicle.json.sample" >"$root/etc/prm-edge/agent.json"
[ "$(grep -c -e install-check -e 'tcp://127.0.0.1:1883' -e '"status_interval_s": 5,' \
  "$root/etc/prm-edge/agent.json")" -eq 5 ] ||
  { echo "install-check: the sample changed; the edits of agent.json did not apply" >&2; exit 1; }
in_root prm-agent --config /etc/prm-edge/agent.json --check | sed 's/^/install-check:   /'

# What runs inside the booted container: the checks, then poweroff whatever happened.
cat >"$root/usr/local/sbin/prm-install-check" <<'EOF'
#!/bin/sh
exec >/var/log/prm-install-check.log 2>&1
# minbase has no D-Bus: systemctl says it cannot reach the bus, then powers off through
# systemd's private socket.
trap 'systemctl poweroff --no-block --check-inhibitors=no 2>/dev/null' EXIT
ok=true
check() { if "$@"; then echo "ok: $*"; else echo "FAILED: $*"; ok=false; fi; }
journal_has() {
  for _ in $(seq 30); do
    journalctl -b -u prm-agent --no-pager | grep -q "$1" && return 0
    sleep 1
  done
  return 1
}
# One message of TOPIC within TIMEOUT_S, printed, must contain TEXT.
broker_has() {
  message=$(mosquitto_sub -h 127.0.0.1 -t "$1" -C 1 -W "$2")
  echo "$1: $message"
  case $message in *"$3"*) return 0 ;; *) return 1 ;; esac
}
echo "systemctl start prm-agent"
check systemctl start prm-agent
check journal_has "prm-agent .* agent_id=install-check"
check journal_has "mqtt: connected to tcp://127.0.0.1:1883"
check journal_has "status: connected"
echo "systemctl is-active prm-agent: $(systemctl is-active prm-agent)"
check systemctl is-active --quiet prm-agent
check broker_has prm/v1/agents/install-check/status 20 '"state":"online"'
check broker_has prm/v1/vehicles/install-check/position 60 '"type":"position"'
echo "systemctl status prm-agent:"
systemctl status prm-agent --no-pager --lines=0 || true
echo "systemd-analyze security prm-agent.service:"
systemd-analyze security prm-agent.service | tail -1
echo "systemctl stop prm-agent"
check systemctl stop prm-agent
check broker_has prm/v1/agents/install-check/status 20 '"state":"offline"'
echo "journalctl -u prm-agent:"
journalctl -b -u prm-agent --no-pager | tail -20
# The maintainer scripts on a running system: an installation neither enables nor starts
# the agent; an upgrade (here: the same package again) restarts it where it is enabled.
deb=$(ls /var/tmp/prm-edge_*.deb)
echo "dpkg -r prm-edge; dpkg -i $deb"
dpkg -r prm-edge >/dev/null && dpkg -i "$deb" | tail -1
check sh -c '! systemctl is-enabled --quiet prm-agent && ! systemctl is-active --quiet prm-agent'
echo "systemctl enable --now prm-agent"
check systemctl enable --now prm-agent
before=$(systemctl show -P MainPID prm-agent)
echo "dpkg -i $deb (the upgrade path)"
dpkg -i "$deb" | tail -1
after=$(systemctl show -P MainPID prm-agent)
echo "MainPID before $before, after $after"
check sh -c "[ $before != $after ] && systemctl is-active --quiet prm-agent"
if $ok; then echo "RESULT: PASS"; else echo "RESULT: FAIL"; fi
EOF
chmod +x "$root/usr/local/sbin/prm-install-check"
cat >"$root/etc/systemd/system/prm-install-check.service" <<'EOF'
[Unit]
Description=prm-edge package install check (scripts/deb-install-check.sh)
Wants=mosquitto.service
After=multi-user.target mosquitto.service

[Service]
Type=oneshot
ExecStart=/usr/local/sbin/prm-install-check

[Install]
WantedBy=multi-user.target
EOF
ln -s /etc/systemd/system/prm-install-check.service \
  "$root/etc/systemd/system/multi-user.target.wants/prm-install-check.service"

say "booting it: systemd-nspawn --boot --private-network (console: $dir/console.log)"
rc=0
timeout --kill-after=10 "$boot_timeout_s" systemd-nspawn -q --register=no --keep-unit --private-network \
  --console=pipe -D "$root" --boot </dev/null >"$dir/console.log" 2>&1 || rc=$?
[ "$rc" -eq 0 ] || say "systemd-nspawn exited $rc (124: timed out after $boot_timeout_s s)"
log="$root/var/log/prm-install-check.log"
[ -f "$log" ] || { tail -30 "$dir/console.log" >&2; echo "install-check: the check did not run in the booted system" >&2; exit 1; }
sed 's/^/install-check:   /' "$log"
score=$(sed -n 's/.*Overall exposure level for prm-agent.service: \([0-9.]*\).*/\1/p' "$log")
awk -v s="$score" -v m="$max_exposure" 'BEGIN { exit !(s != "" && s + 0 <= m + 0) }' ||
  { echo "install-check: the unit's exposure '$score' is above $max_exposure" >&2; exit 1; }
grep -q '^RESULT: PASS' "$log" || { echo "install-check: FAIL" >&2; exit 1; }
say "PASS: installed with apt on a fresh bookworm, prm-agent started and online (exposure $score)"
