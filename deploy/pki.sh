#!/usr/bin/env bash
# The internal certificates for docker-compose.yml (and the tests), into the directory given, once:
#   deploy/pki.sh .pki
# Two certificate authorities, so that each listener trusts only its callers:
#   internal  auth's and profile's internal listeners (servers), the worker and operators (clients)
#   temporal  Temporal's frontend (server; it is its own system worker's client too), and its
#             clients: auth (starts workflows), the worker, the Web UI, the admin jobs, operators
# Each leaf is a directory as cert-manager writes a Secret (ca.crt: its listener's or server's CA,
# tls.crt, tls.key), named <role>-<authority>; a client's certificate names it (CN = worker,
# operator, ...), which the internal listeners bind to the credential it presents. ECDSA P-256,
# two years (CAs ten). The CAs' keys stay in ca-*/ and are mounted nowhere. Kubernetes makes the
# same with cert-manager (deploy/k8s/base/certificates.yaml).
set -euo pipefail
out=${1:?usage: deploy/pki.sh OUT_DIR}
[ -f "$out/.complete" ] && exit 0
rm -rf "$out.tmp" && mkdir -p "$out.tmp"
cd "$out.tmp"

key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }

authority() { # name
  mkdir "ca-$1"
  key "ca-$1/ca.key"
  openssl req -x509 -new -key "ca-$1/ca.key" -days 3650 -subj "/O=FlowShield/CN=FlowShield $1 CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -out "ca-$1/ca.crt" 2>/dev/null
}

leaf() { # authority, directory, common name, extended key usage, subject alt names (optional)
  local ca=$1 dir=$2 cn=$3 usage=$4 sans=${5:-}
  mkdir "$dir"
  key "$dir/tls.key"
  openssl req -new -key "$dir/tls.key" -subj "/O=FlowShield/CN=$cn" -out "$dir/tls.csr" 2>/dev/null
  {
    echo "basicConstraints=critical,CA:FALSE"
    echo "keyUsage=critical,digitalSignature"
    echo "extendedKeyUsage=$usage"
    [ -z "$sans" ] || echo "subjectAltName=$sans"
  } >"$dir/ext.cnf"
  openssl x509 -req -in "$dir/tls.csr" -CA "ca-$ca/ca.crt" -CAkey "ca-$ca/ca.key" -CAcreateserial -days 730 \
    -extfile "$dir/ext.cnf" -out "$dir/tls.crt" 2>/dev/null
  rm "$dir/tls.csr" "$dir/ext.cnf"
  cp "ca-$ca/ca.crt" "$dir/ca.crt"
  # Read by the container's own user, whatever its uid: each container mounts its own directory only.
  chmod 644 "$dir/tls.key"
}

authority internal
authority temporal
leaf internal auth-internal auth serverAuth "DNS:auth,DNS:auth-internal,DNS:localhost,IP:127.0.0.1"
leaf internal profile-internal profile serverAuth "DNS:profile,DNS:profile-internal,DNS:localhost,IP:127.0.0.1"
leaf internal worker-internal worker clientAuth
leaf internal operator-internal operator clientAuth
leaf temporal temporal-temporal temporal "serverAuth,clientAuth" "DNS:temporal,DNS:temporal-frontend,DNS:localhost,IP:127.0.0.1"
for client in auth worker temporal-ui temporal-admin operator; do leaf temporal "$client-temporal" "$client" clientAuth; done
rm -f ca-*/ca.srl
touch .complete
cd - >/dev/null
rm -rf "$out" && mv "$out.tmp" "$out"
