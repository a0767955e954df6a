#!/usr/bin/env bash
# Installs what the arm64 cross-build and its test run under qemu need (make test-arm64,
# docs/arm64.md), on top of scripts/install-deps.sh: the cross compiler, qemu user mode
# and the arm64 -dev packages of what the agent links, through Debian multiarch.
# Opt-in: `make test` never runs this. Idempotent; uses sudo when not root.
set -euo pipefail

# Libraries the build links (CMakeLists.txt, agent/CMakeLists.txt), and the arm64 libc and
# libstdc++ the tests run with under qemu (cmake/aarch64-linux-gnu.cmake). nlohmann-json3-dev
# (Architecture: all) and catch2 (Multi-Arch: foreign, header-only) serve both
# architectures as installed by install-deps.sh.
libs=(libc6 libstdc++6 libpaho-mqttpp-dev libpaho-mqtt-dev libssl-dev libsqlite3-dev
      libcpp-httplib-dev)
tools=(crossbuild-essential-arm64 qemu-user file)

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps-arm64: need root or sudo" >&2; exit 1; }
  sudo="sudo"
fi

added_arch=0
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
  echo "install-deps-arm64: dpkg --add-architecture arm64"
  $sudo dpkg --add-architecture arm64
  added_arch=1
fi

missing=()
for p in "${tools[@]}"; do installed "$p" || missing+=("$p"); done
for p in "${libs[@]}"; do installed "$p:arm64" || missing+=("$p:arm64"); done
[ ${#missing[@]} -eq 0 ] && [ $added_arch -eq 0 ] && exit 0

# All are Multi-Arch: same, so both architectures must have the same version; when
# the amd64 one is older than the archive's (libssl-dev 3.0.19 against 3.0.22 here), apt
# upgrades it in the same step (docs/arm64.md). Nothing amd64 is removed.
echo "install-deps-arm64: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
