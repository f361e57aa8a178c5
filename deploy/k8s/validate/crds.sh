#!/usr/bin/env bash
# The CRDs of the operators the manifests use, from their pinned releases through the Go module
# proxy (the only registry that carries them here), into the directory given: CloudNativePG's
# Cluster and ScheduledBackup, Scylla Operator's ScyllaCluster, and the Prometheus Operator's
# ServiceMonitor and PrometheusRule (the copies Scylla Operator ships, for its own monitoring), and
# cert-manager's Certificate and Issuer. Scylla Operator's
# release is not in the Go checksum database, so every file is checked against crds.sha256 here.
# Usage: crds.sh OUT_DIR CNPG_VERSION SCYLLA_OPERATOR_VERSION
set -euo pipefail
out=$1 cnpg=$2 scylla=$3
here=$(cd "$(dirname "$0")" && pwd)

module_dir() { # module@version → its extracted directory in the module cache
  GONOSUMDB=github.com/scylladb/scylla-operator GOFLAGS=-mod=mod \
    go mod download -json "$1" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p'
}
cnpg_dir=$(module_dir "github.com/cloudnative-pg/cloudnative-pg@$cnpg")
scylla_dir=$(module_dir "github.com/scylladb/scylla-operator@$scylla")

rm -rf "$out.tmp" && mkdir -p "$out.tmp"
cp "$cnpg_dir"/config/crd/bases/postgresql.cnpg.io_{clusters,scheduledbackups}.yaml "$out.tmp/"
cp "$scylla_dir"/pkg/api/scylla/v1/scylla.scylladb.com_scyllaclusters.yaml "$out.tmp/"
# cert-manager's CRDs (Certificate, Issuer: base/certificates.yaml) from the install manifest Scylla
# Operator ships for the cert-manager it needs (v1.14); the validator reads only its CRDs.
cp "$scylla_dir/examples/third-party/cert-manager.yaml" "$out.tmp/cert-manager.yaml"
for kind in servicemonitors prometheusrules; do
  cp "$scylla_dir/examples/third-party/prometheus-operator/00_monitoring.coreos.com_$kind.crd.yaml" \
    "$out.tmp/monitoring.coreos.com_$kind.yaml"
done
chmod -R u+w "$out.tmp"
(cd "$out.tmp" && sha256sum --check --quiet "$here/crds.sha256")
rm -rf "$out" && mv "$out.tmp" "$out"
