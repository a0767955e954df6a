# Sourced by the scripts that start brokers and servers of their own.
#
# free_port [EXCEPT...]: a TCP port on 127.0.0.1 that nobody listens on, chosen by the
# kernel (a bind to port 0), and none of EXCEPT: ports handed out earlier that nothing
# listens on yet.
free_port() {
  local p
  while :; do
    p=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    [[ " $* " == *" $p "* ]] || { echo "$p"; return; }
  done
}
