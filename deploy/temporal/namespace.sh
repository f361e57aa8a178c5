#!/bin/sh
# Registers the services' namespace once the Temporal server answers (registering it again is
# refused: fine), waits until the frontend knows it, and registers the workflows' search
# attribute: docker-compose.yml's one-shot job, and scripts/temporal-cluster.ts.
set -eu
address=${TEMPORAL_ADDRESS:-temporal:7233}
namespace=${TEMPORAL_NAMESPACE:-default}
# Mutual TLS to the frontend when the job is given a client certificate (deploy/pki.sh).
if [ -n "${TEMPORAL_TLS_DIR:-}" ]; then
  set -- --tls-ca-path "$TEMPORAL_TLS_DIR/ca.crt" --tls-cert-path "$TEMPORAL_TLS_DIR/tls.crt" \
    --tls-key-path "$TEMPORAL_TLS_DIR/tls.key" --tls-server-name "${TEMPORAL_TLS_SERVER_NAME:-temporal}"
fi
tries=0
until temporal operator cluster health --address "$address" "$@" >/dev/null 2>&1; do
  tries=$((tries + 1)); [ "$tries" -lt 120 ] || { echo "the Temporal server at $address never answered"; exit 1; }; sleep 1
done
temporal operator namespace create --namespace "$namespace" --retention "${NAMESPACE_RETENTION:-72h}" --address "$address" "$@" || true
tries=0
until temporal operator namespace describe --namespace "$namespace" --address "$address" "$@" >/dev/null 2>&1; do
  tries=$((tries + 1)); [ "$tries" -lt 60 ] || { echo "namespace $namespace never appeared"; exit 1; }; sleep 1
done
# The search attribute the registration saga sets (RiskLevel). The worker registers it too, but a
# cluster's history service learns a new attribute only within a minute: registered here, it is
# known before any worker starts. Registering it again is refused: fine.
temporal operator search-attribute create --namespace "$namespace" --name RiskLevel --type Keyword --address "$address" "$@" >/dev/null 2>&1 || true
echo "namespace $namespace ready"
