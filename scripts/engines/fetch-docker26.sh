#!/usr/bin/env bash
# Fetches Debian trixie's docker.io and docker-cli (Docker 26.1) as .deb files
# with a private apt configuration, and unpacks them into $DOCKER26_PREFIX.
# The system's sources stay bookworm-only: the trixie source, its package
# lists and its download cache all live under $ENGINES_CACHE/apt.
# Idempotent: does nothing when the prefix already holds a Docker 26 dockerd.
set -euo pipefail
# shellcheck source=scripts/engines/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

MIRROR=${LAYERLENS_TRIXIE_MIRROR:-http://deb.debian.org/debian}
APT_DIR=$ENGINES_CACHE/apt
PACKAGES=(docker.io docker-cli)

installed_version() { "$DOCKER26_PREFIX/usr/sbin/dockerd" --version 2> /dev/null; }

private_apt() {
  apt-get -q \
    -o Dir::Etc::sourcelist=- \
    -o Dir::Etc::sourceparts="$APT_DIR/sources.list.d" \
    -o Dir::State::Lists="$APT_DIR/lists" \
    -o Dir::Cache="$APT_DIR/cache" \
    -o APT::Sandbox::User=root \
    "$@"
}

main() {
  if [[ $(installed_version) == "Docker version 26."* ]]; then
    echo "docker 26 already unpacked: $(installed_version)"
    return
  fi
  rm -rf "$APT_DIR"/debs
  mkdir -p "$APT_DIR"/{sources.list.d,lists/partial,cache/archives/partial,debs}
  cat > "$APT_DIR/sources.list.d/trixie.sources" <<SOURCES
Types: deb
URIs: $MIRROR
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
  private_apt update
  (cd "$APT_DIR/debs" && private_apt download "${PACKAGES[@]}")

  local staging=$DOCKER26_PREFIX.new deb
  rm -rf "$staging"
  mkdir -p "$staging"
  for deb in "$APT_DIR"/debs/*.deb; do dpkg -x "$deb" "$staging"; done
  [[ $("$staging/usr/sbin/dockerd" --version) == "Docker version 26."* ]] || {
    echo "trixie's docker.io is not Docker 26: $("$staging/usr/sbin/dockerd" --version)" >&2
    exit 1
  }
  rm -rf "$DOCKER26_PREFIX"
  mv "$staging" "$DOCKER26_PREFIX"
  rm -rf "$APT_DIR"/{lists,cache,debs}   # 50 MB needed only for the download
  echo "unpacked into $DOCKER26_PREFIX: $(installed_version)"
}

main "$@"
