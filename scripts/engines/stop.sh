#!/usr/bin/env bash
# Stops the engines started by start.sh (never the Docker 20.10 daemon), by
# the pids in their pidfiles, and removes $ENGINES_JSON. Images stay on disk;
# `--purge` also deletes the engines' data roots and the unpacked Docker 26.
set -euo pipefail
# shellcheck source=scripts/engines/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# stop_engine NAME PIDFILE HOST: SIGTERM, then waits up to 30 s.
stop_engine() {
  local name=$1 pidfile=$2 host=$3 pid i
  if engine_process_running "$pidfile" "$host"; then
    pid=$(cat "$pidfile")
    echo "stopping $name (pid $pid)"
    kill -TERM "$pid"
    for ((i = 0; i < 30; i++)); do
      engine_process_running "$pidfile" "$host" || break
      sleep 1
    done
    if engine_process_running "$pidfile" "$host"; then
      echo "$name (pid $pid) did not stop within 30 s" >&2
      return 1
    fi
  fi
  rm -f "$pidfile"
}

main() {
  stop_engine docker-26 "$ENGINES_RUN/docker26.pid" "unix://$ENGINES_RUN/docker26.sock"
  stop_engine docker-26-containerd "$ENGINES_RUN/docker26-containerd.pid" \
    "unix://$ENGINES_RUN/docker26-containerd.sock"
  stop_engine podman-4.3 "$ENGINES_RUN/podman.pid" "unix:///run/podman/podman.sock"
  rm -f "$ENGINES_JSON"
  if [[ ${1:-} == --purge ]]; then
    local root
    # dockerd bind-mounts a data root that sits on a shared mount onto itself.
    for root in /var/lib/layerlens-docker26 /var/lib/layerlens-docker26-containerd; do
      if mountpoint -q "$root"; then umount "$root"; fi
    done
    rm -rf /var/lib/layerlens-docker26 /var/lib/layerlens-docker26-containerd \
      "$DOCKER26_PREFIX" "$ENGINES_CACHE"
    if command -v podman > /dev/null; then podman rmi --all --force > /dev/null; fi
  fi
}

main "$@"
