#!/usr/bin/env bash
# Copies the fixture app images and their bases from the Docker 20.10 engine
# into every other engine in $ENGINES_JSON that answered (run start.sh and
# scripts/fixtures/build.sh first): `docker save | docker load` for the Docker
# engines, `docker save | podman load` for podman (which names them
# localhost/layerlens-fixtures/…).
# Idempotent: an image is skipped while the engine still holds what the last
# load of the same 20.10 image id gave it (recorded in $ENGINES_CACHE/loaded/).
# An engine whose load fails is marked skipped in $ENGINES_JSON; only a
# failure on Docker 26 makes the exit status non-zero.
set -euo pipefail
# shellcheck source=scripts/engines/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

PREFIX=layerlens-fixtures
# The Debian roots too: without them an engine names python:3.11's base
# differently (by fingerprint, not as a local image), so its findings differ.
IMAGES=(
  "$PREFIX/debian:bookworm" "$PREFIX/debian:bookworm-slim"
  "$PREFIX/python:3.11" "$PREFIX/python:3.11-slim"
  "$PREFIX/lesson-before:classic" "$PREFIX/lesson-before:buildkit"
  "$PREFIX/lesson-after:classic" "$PREFIX/lesson-after:buildkit"
)
STAMPS=$ENGINES_CACHE/loaded

source_id() { "$DOCKER20_CLIENT" image inspect --format '{{.Id}}' "$1"; }

# The image's id as engine $1 reports it (GET /images/{name}/json), or nothing.
# The containerd store reports the manifest digest; podman resolves the name
# without its localhost/ prefix.
target_id() {
  local ref=${2//\//%2F}
  curl -fsS --max-time 10 --unix-socket "$(socket_of "$1")" "http://localhost/images/${ref//:/%3A}/json" 2> /dev/null |
    "$PY" -c 'import json, sys; print(json.load(sys.stdin)["Id"])' 2> /dev/null || true
}

# engine_cli NAME HOST ARGS...: the engine's own CLI.
engine_cli() {
  local name=$1 host=$2
  shift 2
  case $name in
    podman-*) podman "$@" ;;
    *) "$DOCKER26_CLIENT" --host "$host" "$@" ;;
  esac
}

# $STAMPS/<engine> has a line "<image> <20.10 id> <engine's id>" per earlier load.
stamped() { grep -qxF "$2 $3 $4" "$STAMPS/$1" 2> /dev/null; }

record_stamp() {
  local name=$1 image=$2
  { awk -v image="$image" '$1 != image' "$STAMPS/$name" 2> /dev/null || true; echo "$image ${*:3}"; } > "$STAMPS/$name.new"
  mv "$STAMPS/$name.new" "$STAMPS/$name"
}

load_engine() {
  local name=$1 host=$2 image wanted=() started=$SECONDS
  for image in "${IMAGES[@]}"; do
    stamped "$name" "$image" "${SOURCE_IDS[$image]}" "$(target_id "$host" "$image")" || wanted+=("$image")
  done
  if ((${#wanted[@]} == 0)); then
    echo "$name: all ${#IMAGES[@]} fixture images present"
    return
  fi
  echo "$name: loading ${wanted[*]}"
  if ! "$DOCKER20_CLIENT" save "${wanted[@]}" | engine_cli "$name" "$host" load --quiet; then
    echo "$name: docker save | load failed" >&2
    return 1
  fi
  # Earlier versions of rebuilt fixtures are left untagged: drop them.
  engine_cli "$name" "$host" image prune --force > /dev/null
  local id
  for image in "${wanted[@]}"; do
    id=$(target_id "$host" "$image")
    [[ -n $id ]] || { echo "$name: $image is missing after the load" >&2; return 1; }
    record_stamp "$name" "$image" "${SOURCE_IDS[$image]}" "$id"
  done
  echo "$name: loaded ${#wanted[@]} images in $((SECONDS - started)) s"
}

# Prints "<name> <host>" for each engine that answered, but the 20.10 source.
target_engines() {
  "$PY" -c '
import json, sys
for e in json.load(open(sys.argv[1])):
    if "skipped" not in e and e["name"] != "docker-20.10":
        print(e["name"], e["host"])
' "$ENGINES_JSON"
}

# Lists engine $1 as skipped in $ENGINES_JSON, with reason $2.
mark_skipped() {
  "$PY" -c '
import json, sys
path, name, reason = sys.argv[1:4]
engines = json.load(open(path))
for e in engines:
    if e["name"] == name:
        e.pop("version", None)
        e["skipped"] = reason
with open(path + ".tmp", "w") as out:
    json.dump(engines, out, indent=2)
    out.write("\n")
' "$ENGINES_JSON" "$1" "$2"
  mv "$ENGINES_JSON.tmp" "$ENGINES_JSON"
}

main() {
  [[ -f $ENGINES_JSON ]] || { echo "no $ENGINES_JSON; run scripts/engines/start.sh first" >&2; exit 1; }
  mkdir -p "$STAMPS" "$ENGINES_LOG"
  declare -gA SOURCE_IDS=()
  local image entry engines name docker26_failed=0
  for image in "${IMAGES[@]}"; do
    SOURCE_IDS[$image]=$(source_id "$image") || {
      echo "$image is not in Docker 20.10; run scripts/fixtures/build.sh first" >&2
      exit 1
    }
  done
  # The engines load side by side: on 2 cores that took 65 s instead of 104 s.
  mapfile -t engines < <(target_engines)
  declare -A pids=()
  for entry in "${engines[@]}"; do
    name=${entry%% *}
    load_engine "$name" "${entry#* }" > "$ENGINES_LOG/load-$name.log" 2>&1 &
    pids[$name]=$!
  done
  for entry in "${engines[@]}"; do
    name=${entry%% *}
    if wait "${pids[$name]}"; then
      cat "$ENGINES_LOG/load-$name.log"
      continue
    fi
    cat "$ENGINES_LOG/load-$name.log" >&2
    mark_skipped "$name" "loading the fixture images failed: $(tail -n 1 "$ENGINES_LOG/load-$name.log")"
    [[ $name != docker-26 ]] || docker26_failed=1
  done
  return "$docker26_failed"
}

main "$@"
