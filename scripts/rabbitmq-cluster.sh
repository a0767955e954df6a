#!/usr/bin/env bash
# A RabbitMQ cluster with its MQTT plugin on this machine, for tests and drills
# (docs/rabbitmq.md): NODES nodes with distinct names and ports, on 127.0.0.1 only, all
# state under DIR. Debian's rabbitmq-server, run as the calling user; the system service
# (if any) is left alone: other ports, another epmd, another cookie.
#
#   scripts/rabbitmq-cluster.sh start DIR NODES BASE   start and cluster the nodes
#   scripts/rabbitmq-cluster.sh kill DIR I             SIGKILL node I (a node dies)
#   scripts/rabbitmq-cluster.sh stop-node DIR I        stop node I cleanly
#   scripts/rabbitmq-cluster.sh restart DIR I          start node I again; it rejoins
#   scripts/rabbitmq-cluster.sh stop DIR               stop every node and the epmd
#
# Ports from BASE: epmd BASE; node I (1..NODES) AMQP BASE+10*I, MQTT BASE+10*I+1,
# distribution BASE+10*I+2. `start` writes DIR/nodes: one line per node, "I NAME MQTT_PORT",
# and prints each node's MQTT URI. Node names are prmI@localhost: unique per epmd, and
# each cluster has its own.
set -euo pipefail

rabbit_bin=/usr/lib/rabbitmq/bin
die() { echo "rabbitmq-cluster: $*" >&2; exit 1; }
[ -x "$rabbit_bin/rabbitmq-server" ] || die "rabbitmq-server is not installed (scripts/install-deps.sh)"

cmd=${1:-}
dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || die "usage: $0 start|kill|stop-node|restart|stop DIR [...]"
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)

# Everything a node and the CLI tools need to find each other, per cluster.
cluster_env() {
  export HOME="$dir/home"  # the Erlang cookie lives there: one per cluster
  export ERL_EPMD_PORT ERL_EPMD_ADDRESS=127.0.0.1
  ERL_EPMD_PORT=$(cat "$dir/epmd_port")
}

node_env() {
  local i=$1 base
  base=$(cat "$dir/base")
  local nd="$dir/node$i"
  mkdir -p "$nd"
  export RABBITMQ_NODENAME="prm$i@localhost"
  export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
  export RABBITMQ_NODE_PORT=$((base + 10 * i))
  export RABBITMQ_DIST_PORT=$((base + 10 * i + 2))
  export RABBITMQ_CONFIG_FILE="$nd/rabbitmq.conf"
  export RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins"
  export RABBITMQ_MNESIA_BASE="$nd/mnesia"
  export RABBITMQ_LOG_BASE="$nd/log"
  export RABBITMQ_PID_FILE="$nd/pid"
  export RABBITMQ_ALLOW_INPUT=
}

ctl() { "$rabbit_bin/rabbitmqctl" -q "$@"; }

start_node() {
  local i=$1
  (
    node_env "$i"
    rm -f "$RABBITMQ_PID_FILE"
    setsid "$rabbit_bin/rabbitmq-server" >"$dir/node$i/server.out" 2>&1 </dev/null &
  )
}

await_node() {
  local i=$1
  # wait: until the node has written its pid file and finished booting.
  if ! ctl -n "prm$i@localhost" wait "$dir/node$i/pid" --timeout 120 >/dev/null 2>&1; then
    echo "rabbitmq-cluster: node prm$i@localhost did not start; its output:" >&2
    tail -30 "$dir/node$i/server.out" >&2 || true
    exit 1
  fi
}

write_node_config() {
  local i=$1 nodes=$2 base
  base=$(cat "$dir/base")
  mkdir -p "$dir/node$i"
  {
    echo "listeners.tcp.default = 127.0.0.1:$((base + 10 * i))"
    echo "mqtt.listeners.tcp.default = 127.0.0.1:$((base + 10 * i + 1))"
    # guest may connect from loopback only, which is all there is here.
    echo "mqtt.allow_anonymous = true"
    echo "mqtt.default_user = guest"
    echo "mqtt.default_pass = guest"
    # A QoS 1 subscription is a durable queue; a classic one lives on the node the client
    # first connected to, and while that node is down the client cannot subscribe anywhere
    # ("home node ... is down"), so it cannot fail over. Quorum queues are replicated.
    echo "mqtt.durable_queue_type = quorum"
    # The whole cluster is known up front: a node booting the first time joins the others.
    echo "cluster_formation.peer_discovery_backend = classic_config"
    for ((n = 1; n <= nodes; ++n)); do
      echo "cluster_formation.classic_config.nodes.$n = prm$n@localhost"
    done
    echo "log.file.level = info"
    echo "log.console = false"
  } >"$dir/node$i/rabbitmq.conf"
}

case $cmd in
  start)
    nodes=${3:?usage: $0 start DIR NODES BASE}
    base=${4:?usage: $0 start DIR NODES BASE}
    echo "$base" >"$dir/base"
    echo "$base" >"$dir/epmd_port"
    mkdir -p "$dir/home"
    [ -f "$dir/home/.erlang.cookie" ] || {
      head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$dir/home/.erlang.cookie"
      chmod 400 "$dir/home/.erlang.cookie"
    }
    echo "[rabbitmq_mqtt]." >"$dir/enabled_plugins"
    cluster_env
    : >"$dir/nodes"
    for ((i = 1; i <= nodes; ++i)); do
      write_node_config "$i" "$nodes"
      echo "$i prm$i@localhost $((base + 10 * i + 1))" >>"$dir/nodes"
    done
    # The first node forms the cluster; the others then boot side by side and join it.
    start_node 1
    await_node 1
    for ((i = 2; i <= nodes; ++i)); do start_node "$i"; done
    for ((i = 2; i <= nodes; ++i)); do await_node "$i"; done
    running=$(ctl -n prm1@localhost eval \
      'length(rabbit_nodes:all_running()).' 2>/dev/null || echo 0)
    [ "$running" = "$nodes" ] || die "cluster has $running of $nodes nodes running (logs in $dir/node*/log)"
    while read -r i name port; do
      echo "node $name mqtt tcp://127.0.0.1:$port"
    done <"$dir/nodes"
    ;;
  kill)
    i=${3:?usage: $0 kill DIR I}
    pid=$(cat "$dir/node$i/pid" 2>/dev/null) || die "node $i has no pid file"
    kill -KILL "$pid" 2>/dev/null || true
    ;;
  stop-node)
    i=${3:?usage: $0 stop-node DIR I}
    cluster_env
    ctl -n "prm$i@localhost" stop >/dev/null
    ;;
  restart)
    i=${3:?usage: $0 restart DIR I}
    cluster_env
    start_node "$i"
    await_node "$i"
    ;;
  stop)
    [ -f "$dir/epmd_port" ] || exit 0
    cluster_env
    if [ -f "$dir/nodes" ]; then
      while read -r i name port; do
        ctl -n "$name" stop >/dev/null 2>&1 &
      done <"$dir/nodes"
      wait
      # Whatever did not stop in time (a node that hangs on the way down) is killed.
      while read -r i name port; do
        pid=$(cat "$dir/node$i/pid" 2>/dev/null) || continue
        kill -KILL "$pid" 2>/dev/null || true
      done <"$dir/nodes"
    fi
    epmd -kill >/dev/null 2>&1 || true
    ;;
  *)
    die "unknown command '$cmd' (start, kill, stop-node, restart, stop)"
    ;;
esac
