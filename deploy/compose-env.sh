#!/usr/bin/env bash
# Prints fresh secrets for docker-compose.yml, for a .env beside it (never committed):
#   deploy/compose-env.sh > .env
# and makes the internal certificates once, into .pki/ beside it (never committed; deploy/pki.sh).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
"$here/pki.sh" "$here/../.pki"
secret() { head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n'; }
cat <<ENV
SERVICE_CREDENTIAL=$(secret)
OPERATOR_CREDENTIAL=$(secret)
PAYLOAD_KEYS=compose-$(date -u +%Y-%m-%d):$(head -c 32 /dev/urandom | base64 | tr -d '\n')
AUTH_DB_PASSWORD=$(secret)
PROFILE_DB_PASSWORD=$(secret)
TEMPORAL_VISIBILITY_DB_PASSWORD=$(secret)
ENV
