#!/usr/bin/env bash
# Starts the test control plane on loopback: etcd → kube-apiserver (waits for /readyz) → agent-sandbox
# CRDs (from the downloaded module's k8s/crds/) → kube-controller-manager (garbage collector and
# namespace controller only) → agent-sandbox-controller --extensions. Builds what is missing first.
# Writes $RUN_DIR/admin.kubeconfig and $RUN_DIR/env; prints the kube-apiserver version.
# Stop with down.sh (by PID). Idempotent: a running plane is reused.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
source "$HERE/lib.sh"
source "$HERE/kubeconfig.sh"
started=$SECONDS

bash "$HERE/build.sh" all
bash "$HERE/pki.sh"
PKI="$RUN_DIR/pki"
LOGS="$RUN_DIR/logs"
ADMIN="$RUN_DIR/admin.kubeconfig"
API="https://127.0.0.1:$APISERVER_PORT"
mkdir -p "$LOGS"

kcurl() { curl -sS --fail-with-body --cacert "$PKI/ca.crt" --cert "$PKI/admin.crt" --key "$PKI/admin.key" "$@"; }
alive() { [[ -f "$RUN_DIR/$1.pid" ]] && kill -0 "$(cat "$RUN_DIR/$1.pid")" 2>/dev/null; }
wait_until() { # seconds what command...
  local limit=$1 what=$2; shift 2
  local end=$((SECONDS + limit))
  until "$@" >/dev/null 2>&1; do
    [[ $SECONDS -lt $end ]] || { log "$what not ready after ${limit}s; last log lines:"; tail -n 30 "$LOGS"/*.log >&2 || true; exit 1; }
    sleep 0.2
  done
}
start() { # name binary args... (own session, so down.sh can end the whole process by PID)
  local name=$1; shift
  setsid "$@" >"$LOGS/$name.log" 2>&1 < /dev/null &
  echo $! > "$RUN_DIR/$name.pid"
}

if alive etcd && alive kube-apiserver && alive kube-controller-manager && alive agent-sandbox-controller && kcurl "$API/readyz" >/dev/null 2>&1; then
  log "control plane already running"
else
  bash "$HERE/down.sh" >/dev/null 2>&1 || true
  rm -rf "$RUN_DIR/etcd-data" "$RUN_DIR/webhook-certs"
  start etcd "$BIN_DIR/etcd" --name sandgate-test --data-dir "$RUN_DIR/etcd-data" \
    --listen-client-urls "http://127.0.0.1:$ETCD_CLIENT_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_CLIENT_PORT" \
    --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-cluster "sandgate-test=http://127.0.0.1:$ETCD_PEER_PORT" --unsafe-no-fsync --log-level warn
  wait_until 30 etcd curl -sf "http://127.0.0.1:$ETCD_CLIENT_PORT/health"

  t0=$SECONDS
  start kube-apiserver "$BIN_DIR/kube-apiserver" \
    --etcd-servers "http://127.0.0.1:$ETCD_CLIENT_PORT" \
    --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$APISERVER_PORT" \
    --tls-cert-file "$PKI/apiserver.crt" --tls-private-key-file "$PKI/apiserver.key" --client-ca-file "$PKI/ca.crt" \
    --service-account-issuer https://kubernetes.default.svc.cluster.local \
    --service-account-key-file "$PKI/sa.pub" --service-account-signing-key-file "$PKI/sa.key" \
    --service-cluster-ip-range 10.0.0.0/24 --authorization-mode RBAC \
    --disable-admission-plugins ServiceAccount --allow-privileged=true --profiling=false --v=1
  write_kubeconfig "$ADMIN" admin
  write_kubeconfig "$RUN_DIR/controller-manager.kubeconfig" controller-manager
  write_kubeconfig "$RUN_DIR/agent-sandbox.kubeconfig" agent-sandbox
  wait_until 180 kube-apiserver kcurl "$API/readyz"
  log "kube-apiserver ready in $((SECONDS - t0)) s"

  # CRDs straight from the agent-sandbox module in the Go module cache (server-side apply of its YAML).
  crds="$K8S_CACHE/agent-sandbox-module/k8s/crds"
  [[ -d "$crds" ]] || die "agent-sandbox CRDs not found at $crds (run scripts/k8s/build.sh controller)"
  names=()
  for f in "$crds"/*.yaml; do
    name="$(basename "$f" .yaml)"; name="${name#*_}.${name%%_*}"   # <group>_<plural>.yaml → <plural>.<group>
    kcurl -X PATCH -H 'Content-Type: application/apply-patch+yaml' --data-binary @"$f" \
      "$API/apis/apiextensions.k8s.io/v1/customresourcedefinitions/$name?fieldManager=sandgate-test&force=true" >/dev/null
    names+=("$name")
  done
  established() { for n in "${names[@]}"; do kcurl "$API/apis/apiextensions.k8s.io/v1/customresourcedefinitions/$n" \
    | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const c=JSON.parse(s).status?.conditions??[];process.exit(c.some(x=>x.type==="Established"&&x.status==="True")?0:1)})' || return 1; done; }
  wait_until 30 "agent-sandbox CRDs" established
  kcurl -X POST -H 'Content-Type: application/yaml' --data-binary $'apiVersion: v1\nkind: Namespace\nmetadata: {name: agent-sandbox-system}' \
    "$API/api/v1/namespaces" >/dev/null

  start kube-controller-manager "$BIN_DIR/kube-controller-manager" \
    --kubeconfig "$RUN_DIR/controller-manager.kubeconfig" --controllers garbagecollector,namespace \
    --leader-elect=false --secure-port 0 --v=1
  start agent-sandbox-controller env KUBECONFIG="$RUN_DIR/agent-sandbox.kubeconfig" "$BIN_DIR/agent-sandbox-controller" \
    --extensions --leader-elect=false --metrics-bind-address 0 --health-probe-bind-address "127.0.0.1:${SANDGATE_CONTROLLER_PROBE_PORT:-18081}" \
    --webhook-port "${SANDGATE_CONTROLLER_WEBHOOK_PORT:-19443}" --webhook-cert-dir "$RUN_DIR/webhook-certs"
  wait_until 60 agent-sandbox-controller curl -sf "http://127.0.0.1:${SANDGATE_CONTROLLER_PROBE_PORT:-18081}/readyz"
  alive kube-controller-manager || { tail -n 30 "$LOGS/kube-controller-manager.log" >&2; die "kube-controller-manager exited"; }
fi

version="$(kcurl "$API/version" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).gitVersion))')"
cat > "$RUN_DIR/env" <<ENV
export KUBECONFIG=$ADMIN
export SANDGATE_K8S_RUN_DIR=$RUN_DIR
export SANDGATE_KUBE_SERVER_VERSION=$version
ENV
log "control plane up in $((SECONDS - started)) s: kube-apiserver $version at $API, etcd $ETCD_VERSION, agent-sandbox-controller $AGENT_SANDBOX_VERSION"
log "KUBECONFIG=$ADMIN  (source $RUN_DIR/env)"
