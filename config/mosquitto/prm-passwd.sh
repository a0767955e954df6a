#!/bin/sh
# Adds users with fresh random passwords to a mosquitto password file (made if missing),
# and prints "USER PASSWORD" per user on stdout: put each into that agent's
# mqtt.username / mqtt.password (docs/broker-acl.md). A user already in the file gets a
# new password. Passwords go to mosquitto_passwd on its stdin, never on a command line.
#
#   prm-passwd.sh /etc/mosquitto/prm/passwd truck-042 dock-dc1 planner partner-acme
#
# MOSQUITTO_PASSWD names the mosquitto_passwd binary (default: the one on PATH).
set -eu

usage() {
  echo "usage: $0 PASSWORD_FILE USER..." >&2
  exit 2
}
[ $# -ge 2 ] || usage
file=$1
shift
passwd_bin=${MOSQUITTO_PASSWD:-mosquitto_passwd}

for user in "$@"; do
  # An agent's user name is its agent_id; '/', '+' and '#' would break the ACL's %u.
  case $user in
    '' | *[!A-Za-z0-9._-]*)
      echo "$0: user \"$user\": only letters, digits, '-', '_' and '.' are allowed" >&2
      exit 2
      ;;
  esac
done

umask 077  # a new password file is readable by its owner only
for user in "$@"; do
  # 18 random bytes: 24 characters of URL-safe base64, safe in JSON and shells.
  password=$(head -c 18 /dev/urandom | base64 | tr '+/' '-_')
  if [ -e "$file" ]; then
    printf '%s\n%s\n' "$password" "$password" | "$passwd_bin" "$file" "$user" >/dev/null
  else
    printf '%s\n%s\n' "$password" "$password" | "$passwd_bin" -c "$file" "$user" >/dev/null
  fi
  printf '%s %s\n' "$user" "$password"
done
echo "$0: ${#} user(s) in $file; the passwords above are not stored anywhere else" >&2
