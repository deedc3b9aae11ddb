# shellcheck shell=bash disable=SC2034 # the variables are for the scripts that source this
# Shared by scripts/engines/*.sh (sourced, not run): where each extra engine
# lives, and how to ask an engine whether it answers.

# Debian's docker.io from trixie (26.1), unpacked with dpkg -x; it reuses
# bookworm's containerd 1.6 and runc 1.1, which it starts as its own managed
# containerd under each instance's exec-root.
DOCKER26_PREFIX=/opt/layerlens-engines/docker26
DOCKER26_CLIENT=$DOCKER26_PREFIX/usr/bin/docker
DOCKER20_CLIENT=/usr/bin/docker
ENGINES_CACHE=${LAYERLENS_ENGINES_CACHE:-/var/cache/layerlens-engines}
ENGINES_RUN=/run/layerlens
ENGINES_LOG=/var/log/layerlens
ENGINES_JSON=$ENGINES_RUN/engines.json
PY=/usr/bin/python3

# name|host: every engine the tests may use, the built-in 20.10 one first.
ENGINES=(
  "docker-20.10|unix:///var/run/docker.sock"
  "docker-26|unix://$ENGINES_RUN/docker26.sock"
  "docker-26-containerd|unix://$ENGINES_RUN/docker26-containerd.sock"
  "podman-4.3|unix:///run/podman/podman.sock"
)

socket_of() { printf '%s' "${1#unix://}"; }

# Prints the server version (GET /version) of the engine at $1, or fails.
engine_version() {
  curl -fsS --max-time 5 --unix-socket "$(socket_of "$1")" http://localhost/version 2> /dev/null |
    "$PY" -c 'import json, sys; print(json.load(sys.stdin)["Version"])' 2> /dev/null
}

# wait_for_engine HOST SECONDS PIDFILE: waits for the engine at HOST to
# answer; gives up early once its process has gone.
wait_for_engine() {
  local host=$1 seconds=$2 pidfile=$3 i
  for ((i = 0; i < seconds; i++)); do
    engine_version "$host" > /dev/null && return 0
    if ((i >= 10)) && ! engine_process_running "$pidfile" "$host"; then return 1; fi
    sleep 1
  done
  engine_version "$host" > /dev/null
}

# engine_process_running PIDFILE HOST: the pid in PIDFILE is a live process
# serving HOST. A pidfile left by a killed engine may name a zombie (empty
# cmdline) or a process that reused the pid.
engine_process_running() {
  local pid
  pid=$(cat "$1" 2> /dev/null) || return 1
  [[ -n $pid ]] && grep -qaF "$(socket_of "$2")" "/proc/$pid/cmdline" 2> /dev/null
}
