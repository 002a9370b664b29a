#!/usr/bin/env bash
# Generates the test control plane's PKI under $RUN_DIR/pki (once): a CA, the API server's serving
# cert, client certs (admin in system:masters, kube-controller-manager, agent-sandbox controller) and the
# ServiceAccount token signing key. Test-only material, never in the repository.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
PKI="$RUN_DIR/pki"
[[ -f "$PKI/.done-v2" ]] && exit 0
rm -rf "$PKI"
mkdir -p "$PKI"
cd "$PKI"
command -v openssl >/dev/null || die "openssl is missing (apt-get install -y openssl)"
q() { "$@" >/dev/null 2>&1 || { "$@"; exit 1; }; }

q openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 3650 -subj "/CN=sandgate-test-ca"

cat > apiserver.ext <<EXT
subjectAltName = IP:127.0.0.1, IP:10.0.0.1, DNS:localhost, DNS:kubernetes, DNS:kubernetes.default, DNS:kubernetes.default.svc, DNS:kubernetes.default.svc.cluster.local
extendedKeyUsage = serverAuth
EXT
q openssl req -newkey rsa:2048 -nodes -keyout apiserver.key -out apiserver.csr -subj "/CN=kube-apiserver"
q openssl x509 -req -in apiserver.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out apiserver.crt -days 3650 -extfile apiserver.ext

client() { # name CN O
  local subj="/CN=$2"; [[ -n "${3:-}" ]] && subj="/O=$3/CN=$2"
  printf 'extendedKeyUsage = clientAuth\n' > "$1.ext"
  q openssl req -newkey rsa:2048 -nodes -keyout "$1.key" -out "$1.csr" -subj "$subj"
  q openssl x509 -req -in "$1.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -out "$1.crt" -days 3650 -extfile "$1.ext"
}
client admin sandgate-admin system:masters
# kube-controller-manager runs its garbage collector and namespace controller with its own credentials
# (no per-controller service accounts here), so it needs their broad rights; so does the agent-sandbox
# controller (its own RBAC is not under test).
client controller-manager system:kube-controller-manager system:masters
client agent-sandbox agent-sandbox-controller system:masters

q openssl genrsa -out sa.key 2048
q openssl rsa -in sa.key -pubout -out sa.pub
rm -f ./*.csr ./*.ext ./*.srl
touch .done-v2
