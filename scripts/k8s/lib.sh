# Shared settings for the Kubernetes test control plane scripts (sourced, not run).
# Everything built or generated lives under $SANDGATE_CACHE (default ~/.cache/sandgate), never in the repo.
KUBE_VERSION="${SANDGATE_KUBE_VERSION:-v1.36.3}"
ETCD_VERSION="${SANDGATE_ETCD_VERSION:-v3.6.8}"
AGENT_SANDBOX_VERSION="${SANDGATE_AGENT_SANDBOX_VERSION:-v0.5.0}"
# helm renders deploy/helm/sandgate in the chart tests (helm template needs no cluster).
HELM_VERSION="${SANDGATE_HELM_VERSION:-v3.22.0}"
# The checksum database has no entry for sigs.k8s.io/agent-sandbox, so its module hash is pinned here
# (h1: hash of the v0.5.0 module zip as served by the Go module proxy) and checked before building.
AGENT_SANDBOX_SUM_v0_5_0="h1:RDro6If6nsoFJL/M6lAfGi06SvwTlcBORLNaVjVV6G0="

CACHE_ROOT="${SANDGATE_CACHE:-$HOME/.cache/sandgate}"
K8S_CACHE="$CACHE_ROOT/k8s"
BIN_DIR="$K8S_CACHE/bin"
SRC_DIR="$K8S_CACHE/src"
RUN_DIR="${SANDGATE_K8S_RUN_DIR:-$K8S_CACHE/run}"
# Loopback ports of the test control plane (override to run two at once).
ETCD_CLIENT_PORT="${SANDGATE_ETCD_PORT:-23790}"
ETCD_PEER_PORT="${SANDGATE_ETCD_PEER_PORT:-23800}"
APISERVER_PORT="${SANDGATE_APISERVER_PORT:-16443}"

log() { printf '[k8s %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

require_go() {
  command -v go >/dev/null 2>&1 || die "go is not installed (needed to build kube-apiserver, etcd and the agent-sandbox controller)"
}
