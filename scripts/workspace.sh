# Sourced by the benchmarks that start processes of their own.
#
# workspace NAME: $work becomes a fresh directory under TMPDIR (prm-NAME.XXXXXX) and $pids
# an empty list; append every process started to $pids. At exit, or on INT or TERM, those
# processes are stopped and $work is removed.
workspace() {
  work=$(mktemp -d "${TMPDIR:-/tmp}/prm-$1.XXXXXX")
  pids=()
  trap workspace_cleanup EXIT INT TERM
}

workspace_cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
