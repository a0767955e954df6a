#!/usr/bin/env bash
# make deb: builds the Debian package (debian/, docs/debian-package.md) into OUT.
#
#   scripts/deb.sh [OUT [JOBS]]     (defaults: build/deb 1)
#
# Builds from a copy of the working tree (tracked and untracked files, not the ignored
# ones) in OUT/prm-edge-VERSION, so nothing is written into the source tree; the copy is
# removed when the build succeeds. Then lintian (a warning fails the build, as an error
# does), the installed size and the unit's `systemd-analyze security` score, which must
# stay at or below MAX_EXPOSURE.
#
# The version is the project's (project(... VERSION) in CMakeLists.txt), exactly when HEAD
# is tagged v<version>; otherwise <version>+git<commits>.<hash>, which sorts after the
# release and after every earlier commit of the same branch. It goes into a changelog
# entry of the copy, dated with the commit.
#
# Installs what it needs when it is missing (apt-get, `apt-get update` first; as root or
# through sudo): dpkg-dev, debhelper, lintian, systemd (for systemd-analyze) and the
# Build-Depends of debian/control.
set -euo pipefail

out=${1:-build/deb}
jobs=${2:-1}
max_exposure=1.6
cd "$(dirname "$0")/.."
mkdir -p "$out"
out=$(cd "$out" && pwd)

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "deb: need root or sudo to install packages" >&2; exit 1; }
  sudo="sudo"
fi
updated=false
apt_install() {
  export DEBIAN_FRONTEND=noninteractive
  $updated || { $sudo apt-get update -q; updated=true; }
  $sudo apt-get install -y -q --no-install-recommends "$@"
}

tools=(dpkg-dev debhelper lintian systemd)
missing=()
for p in "${tools[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "deb: installing ${missing[*]}"
  apt_install "${missing[@]}"
fi

upstream=$(sed -n 's/^project(prm-edge VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)
[ -n "$upstream" ] || { echo "deb: no project(prm-edge VERSION ...) in CMakeLists.txt" >&2; exit 1; }
hash=$(git rev-parse --short=7 HEAD)
if git describe --exact-match --tags --match "v$upstream" HEAD >/dev/null 2>&1; then
  version=$upstream
else
  version="$upstream+git$(git rev-list --count HEAD).$hash"
fi
dirty=""
[ -z "$(git status --porcelain)" ] || dirty=", with uncommitted changes"

# A clean state: nothing of an earlier run is left in OUT (only what this script makes
# there is removed).
rm -rf "$out"/prm-edge-*/ "$out"/prm-edge_* "$out"/prm-edge-dbgsym_* "$out/build.log"
src="$out/prm-edge-$version"
mkdir -p "$src"
git ls-files -z --cached --others --exclude-standard |
  while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
  tar --null -T - -cf - | tar -xf - -C "$src"

top=$(dpkg-parsechangelog -l "$src/debian/changelog" -S Version)
if [ "$top" != "$version" ]; then
  maintainer=$(sed -n 's/^Maintainer: //p' "$src/debian/control")
  # Dated with the commit, or a second after the entry below it (dates must increase).
  when=$(git log -1 --format=%ct HEAD)
  below=$(dpkg-parsechangelog -l "$src/debian/changelog" -S Timestamp)
  [ "$when" -gt "$below" ] || when=$((below + 1))
  {
    printf 'prm-edge (%s) bookworm; urgency=medium\n\n' "$version"
    printf '  * Built from git commit %s%s.\n\n' "$hash" "$dirty"
    printf ' -- %s  %s\n\n' "$maintainer" "$(LC_ALL=C date -u -R -d "@$when")"
    cat "$src/debian/changelog"
  } >"$src/debian/changelog.new"
  mv "$src/debian/changelog.new" "$src/debian/changelog"
fi

if ! (cd "$src" && dpkg-checkbuilddeps 2>/dev/null); then
  echo "deb: installing the Build-Depends of debian/control"
  export DEBIAN_FRONTEND=noninteractive
  $updated || { $sudo apt-get update -q; updated=true; }
  $sudo apt-get build-dep -y -q --no-install-recommends "$src"
fi

echo "deb: building prm-edge $version in $src (-j$jobs, log: $out/build.log)"
if ! (cd "$src" && nice dpkg-buildpackage -b -us -uc -j"$jobs") >"$out/build.log" 2>&1; then
  tail -40 "$out/build.log" >&2
  echo "deb: dpkg-buildpackage failed; the tree is kept in $src, the log in $out/build.log" >&2
  exit 1
fi
rm -rf "$src"

arch=$(dpkg --print-architecture)
deb="$out/prm-edge_${version}_${arch}.deb"
changes="$out/prm-edge_${version}_${arch}.changes"
echo "deb: $deb"
dpkg-deb -I "$deb" | sed -n 's/^ \(Version\|Installed-Size\|Depends\): /deb:   \1: /p'

echo "deb: lintian $changes (checks the .deb too)"
lintian --fail-on error,warning --display-info "$changes"
echo "deb: lintian: no errors or warnings"

unit_dir=$(mktemp -d)
trap 'rm -rf "$unit_dir"' EXIT
dpkg-deb -x "$deb" "$unit_dir"
unit="$unit_dir/lib/systemd/system/prm-agent.service"
score=$(systemd-analyze security --offline=yes "$unit" 2>/dev/null |
  sed -n 's/.*Overall exposure level for prm-agent.service: \([0-9.]*\).*/\1/p')
echo "deb: systemd-analyze security of the packaged unit: $score (at most $max_exposure)"
awk -v s="$score" -v m="$max_exposure" 'BEGIN { exit !(s != "" && s + 0 <= m + 0) }' ||
  { echo "deb: the unit's exposure $score is above $max_exposure" >&2; exit 1; }
