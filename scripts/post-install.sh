#!/usr/bin/env bash
# After `cmake --install`: create the prm-agent system user, put a config in place when
# there is none yet (never overwriting one), and tell systemd about the unit.
set -euo pipefail
prefix=${1:-/usr/local}
etc="$prefix/etc/prm-edge"
[ "$prefix" = "/usr" ] && etc=/etc/prm-edge
if [ ! -f "$etc/agent.json" ] && [ -f "$etc/agent.json.sample" ]; then
  cp "$etc/agent.json.sample" "$etc/agent.json"
  echo "post-install: wrote $etc/agent.json from the sample: edit agent_id, gps.source and mqtt.uri"
fi
if command -v systemd-sysusers >/dev/null && [ -d /run/systemd/system ]; then
  systemd-sysusers "$prefix/lib/sysusers.d/prm-agent.conf"
  systemctl daemon-reload
  echo "post-install: enable with: systemctl enable --now prm-agent"
else
  echo "post-install: systemd is not running here; create the user with:"
  echo "  systemd-sysusers $prefix/lib/sysusers.d/prm-agent.conf"
fi
