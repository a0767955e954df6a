#!/usr/bin/env bash
# Installs the Debian packages prm-edge needs to build, test and run the demo.
# Idempotent: does nothing when everything is present; runs `apt-get update` once
# before installing. Uses sudo when not root.
set -euo pipefail

packages=(
  build-essential cmake pkg-config clang-format
  clang libclang-rt-dev
  libpaho-mqttpp-dev libpaho-mqtt-dev libssl-dev openssl
  libsqlite3-dev sqlite3 nlohmann-json3-dev catch2
  mosquitto mosquitto-clients
  gpsd gpsd-clients socat systemd bc faketime
  procps python3
  libcpp-httplib-dev chromium fonts-dejavu-core curl
  rabbitmq-server
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
# The GS1 and EPCIS oracle tests run GS1's own JavaScript tooling; the machine image may
# bring its own node and npm, otherwise Debian's.
command -v node >/dev/null && command -v npm >/dev/null || missing+=(nodejs npm)
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
# The Debian mosquitto package enables a system broker; tests and the demo start their
# own on free ports, so a system one is not needed (and is left as the admin set it).
