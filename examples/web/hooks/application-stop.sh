#!/usr/bin/env bash
# Stops the server this release started, if it still runs. "Not running" is fine: the first
# install has nothing to stop, and a crashed server left only its pid file.
set -euo pipefail
pid_file="$SIGNET_RUN_DIR/web.pid"
if [[ ! -f $pid_file ]]; then
  echo "web is not running (no pid file)"
  exit 0
fi
read -r pid <"$pid_file" || pid=''

# Running and not a zombie: a killed server stays a zombie until init reaps it, and kill -0
# cannot tell the two apart.
running() {
  local stat
  read -r stat 2>/dev/null <"/proc/$1/stat" || return 1
  stat=${stat##*) }
  [[ ${stat:0:1} != Z ]]
}

# Only signal a process that is still this app's server: pids are reused, so it must run
# server.js from one of this app's release directories.
releases=$(cd -P -- "$SIGNET_HOME/$SIGNET_APP/releases" 2>/dev/null && pwd) || releases=''
ours() {
  local cwd
  [[ -n $releases ]] || return 1
  cwd=$(cd -P -- "/proc/$1/cwd" 2>/dev/null && pwd) || return 1
  [[ $cwd == "$releases"/* ]] && [[ $(tr '\0' ' ' <"/proc/$1/cmdline") == *server.js* ]]
}
if [[ $pid =~ ^[0-9]+$ ]] && ours "$pid"; then
  kill -TERM "$pid"
  for _ in $(seq 1 50); do
    running "$pid" || break
    sleep 0.1
  done
  if running "$pid"; then
    echo "web (pid $pid) ignored TERM for 5 s; killing it"
    kill -KILL "$pid"
  fi
  echo "stopped web (pid $pid)"
else
  echo "web is not running (stale pid file)"
fi
rm -f "$pid_file"
