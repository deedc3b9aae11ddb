#!/usr/bin/env bash
# Starts the engines that run beside the Docker 20.10 daemon, each on its own
# socket, data root and exec root:
#   docker-26             trixie's dockerd 26.1, classic (overlay2) image store
#   docker-26-containerd  the same dockerd with the containerd image store
#   podman-4.3            bookworm's podman, Docker-compatible API service
# An engine that already answers is left alone. Each one gets up to 60 s; one
# that fails prints its log tail and is listed as skipped. Writes
# $ENGINES_JSON (see README.md). Exits non-zero only when Docker 26 fails.
set -euo pipefail
HERE=$(dirname "${BASH_SOURCE[0]}")
# shellcheck source=scripts/engines/common.sh
. "$HERE/common.sh"

WAIT_SECONDS=60
declare -A SKIPPED=()   # engine name -> reason

log_file() { printf '%s/%s.log' "$ENGINES_LOG" "$1"; }

# start_engine NAME HOST PIDFILE COMMAND...: runs COMMAND, which writes its
# own PIDFILE, in the background unless the engine answers already or the
# process in PIDFILE is still coming up.
start_engine() {
  local name=$1 host=$2 pidfile=$3
  shift 3
  if engine_version "$host" > /dev/null; then
    echo "$name already answers on $host"
    return 0
  fi
  if engine_process_running "$pidfile" "$host"; then
    echo "$name is starting (pid $(cat "$pidfile")), waiting for it"
  else
    echo "starting $name (log: $(log_file "$name"))"
    setsid "$@" > "$(log_file "$name")" 2>&1 < /dev/null &
  fi
  if ! wait_for_engine "$host" "$WAIT_SECONDS" "$pidfile"; then
    echo "$name did not come up on $host (exited, or no answer within $WAIT_SECONDS s); log tail:" >&2
    tail -n 20 "$(log_file "$name")" >&2 || true
    SKIPPED[$name]="did not come up: $(tail -n 1 "$(log_file "$name")" 2> /dev/null)"
    return 1
  fi
}

start_docker26() {
  local name=$1 host=$2 id=$3
  shift 3
  PATH=$DOCKER26_PREFIX/usr/sbin:$DOCKER26_PREFIX/usr/bin:$PATH start_engine "$name" "$host" \
    "$ENGINES_RUN/$id.pid" \
    "$DOCKER26_PREFIX/usr/sbin/dockerd" "$@" \
    --host "$host" \
    --data-root "/var/lib/layerlens-$id" \
    --exec-root "/run/layerlens-$id" \
    --pidfile "$ENGINES_RUN/$id.pid" \
    --bridge=none --iptables=false --ip6tables=false
}

start_docker26_engines() {
  if ! bash "$HERE/fetch-docker26.sh"; then
    SKIPPED[docker-26]="could not fetch trixie's docker.io (see output above)"
    SKIPPED[docker-26-containerd]=${SKIPPED[docker-26]}
    return
  fi
  start_docker26 docker-26 "unix://$ENGINES_RUN/docker26.sock" docker26 || true
  # Each dockerd starts its own managed containerd under its exec-root and
  # data-root, so this instance's "moby" namespace cannot meet the other's.
  local config=$ENGINES_RUN/docker26-containerd.json
  echo '{"features":{"containerd-snapshotter":true}}' > "$config"
  start_docker26 docker-26-containerd "unix://$ENGINES_RUN/docker26-containerd.sock" \
    docker26-containerd --config-file "$config" || true
}

start_podman() {
  if ! command -v podman > /dev/null; then
    echo "installing podman (apt-get)"
    if ! apt-get install -y -q --no-install-recommends podman > "$(log_file podman-install)" 2>&1; then
      tail -n 20 "$(log_file podman-install)" >&2
      SKIPPED[podman-4.3]="apt-get install podman failed: $(tail -n 1 "$(log_file podman-install)")"
      return
    fi
  fi
  mkdir -p /run/podman
  local pidfile=$ENGINES_RUN/podman.pid
  # podman system service has no --pidfile; the shell writes its pid, then execs it.
  # shellcheck disable=SC2016 # $$ and $1 are that shell's
  start_engine podman-4.3 "unix:///run/podman/podman.sock" "$pidfile" \
    sh -c 'echo $$ > "$1"; exec podman system service --time=0 unix:///run/podman/podman.sock' \
    sh "$pidfile" || true
}

# Prints name<TAB>host<TAB>version<TAB>skip-reason for every engine.
engine_rows() {
  local entry name host version
  for entry in "${ENGINES[@]}"; do
    name=${entry%%|*}
    host=${entry#*|}
    version=$(engine_version "$host") || version=""
    if [[ -n $version ]]; then
      printf '%s\t%s\t%s\t\n' "$name" "$host" "$version"
    else
      printf '%s\t%s\t\t%s\n' "$name" "$host" "${SKIPPED[$name]:-does not answer on $host}"
    fi
  done
}

write_engines_json() {
  engine_rows | "$PY" -c '
import json, sys
engines = []
for line in sys.stdin:
    name, host, version, skipped = line.rstrip("\n").split("\t")
    entry = {"name": name, "host": host}
    if skipped:
        entry["skipped"] = skipped
    else:
        entry["version"] = version
    engines.append(entry)
with open(sys.argv[1] + ".tmp", "w") as out:
    json.dump(engines, out, indent=2)
    out.write("\n")
' "$ENGINES_JSON"
  mv "$ENGINES_JSON.tmp" "$ENGINES_JSON"
}

main() {
  mkdir -p "$ENGINES_RUN" "$ENGINES_LOG"
  start_docker26_engines
  start_podman
  write_engines_json
  echo "engines ($ENGINES_JSON):"
  "$PY" -c '
import json, sys
for e in json.load(open(sys.argv[1])):
    print("  %-22s %-46s %s" % (e["name"], e["host"], e.get("version") or "skipped: " + e["skipped"]))
' "$ENGINES_JSON"
  [[ -z ${SKIPPED[docker-26]:-} ]] || { echo "Docker 26 did not start" >&2; exit 1; }
}

main "$@"
