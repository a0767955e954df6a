#!/usr/bin/env bash
# Runs the fault drills in full (docs/drills.md): each prints its figure, one line, and the
# script exits non-zero when any drill lost an accepted event or failed otherwise.
#
#   scripts/drill.sh BUILD_DIR [NAME...]     NAME: bad-link full-disk power-cuts corrupt-db
#                                             clock-steps rabbitmq-cluster (default: all, in
#                                             that order)
#
# make test runs the short version of each (ctest -L drill); this is the long one: a
# 60 s dead link, 1,000 power cuts, ten corrupt files, 30 agents on a RabbitMQ cluster. Needs root (the full-disk drill
# mounts a tmpfs), as make test does. PRM_DRILL_SEED varies the power cuts' moments.
set -euo pipefail

build=${1:?usage: drill.sh BUILD_DIR [NAME...]}
shift
names=("$@")
[ ${#names[@]} -gt 0 ] || names=(bad-link full-disk power-cuts corrupt-db clock-steps rabbitmq-cluster)
bin="$build/bin/integration_drills"
[ -x "$bin" ] || { echo "drill: $bin is missing (cmake --build $build)" >&2; exit 1; }

declare -A test_of=(
  [bad-link]="drill: a bad link*"
  [full-disk]="drill: a full disk*"
  [power-cuts]="drill: power cuts*"
  [corrupt-db]="drill: a corrupt database*"
  [clock-steps]="drill: the wall clock stepped*"
  [rabbitmq-cluster]="drill: a RabbitMQ node dies*"
)

failed=()
for name in "${names[@]}"; do
  pattern=${test_of[$name]:-}
  [ -n "$pattern" ] || { echo "drill: no drill named '$name' (${!test_of[*]})" >&2; exit 2; }
  log="$build/drill-$name.log"
  echo "drill $name: running (log: $log)"
  if PRM_DRILL=full "$bin" "$pattern" >"$log" 2>&1; then
    grep "^drill $name:" "$log" || { echo "drill $name: passed but printed no figure" >&2; failed+=("$name"); }
  else
    grep "^drill $name:" "$log" || true
    echo "drill $name: FAILED (the end of $log follows)" >&2
    tail -40 "$log" >&2
    failed+=("$name")
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "drill: failed: ${failed[*]}" >&2
  exit 1
fi
echo "drill: all ${#names[@]} passed"
