#!/usr/bin/env bash
# `npm run test:k8s`: the Kubernetes test layer on its own. Starts the test control plane (building it
# on first use), runs every dist/**/*.k8s.test.js one file at a time, prints the kube-apiserver version
# it ran against, and stops the control plane again (unless it was already running before).
# Under CI=true a missing prerequisite (Go, Chromium, a control plane that does not come up) fails.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
source "$HERE/lib.sh"
cd "$HERE/../.."

# Prerequisites the scripts cannot install themselves: locally their absence skips the layer, under CI fails it.
missing=()
for tool in go curl openssl; do command -v "$tool" >/dev/null 2>&1 || missing+=("$tool"); done
if [[ ${#missing[@]} -gt 0 ]]; then
  if [[ "${CI:-}" == "true" || "${CI:-}" == "1" ]]; then die "prerequisite missing under CI: ${missing[*]}"; fi
  log "skipping the Kubernetes test layer: missing ${missing[*]}"
  exit 0
fi

was_running=false
if [[ -f "$RUN_DIR/kube-apiserver.pid" ]] && kill -0 "$(cat "$RUN_DIR/kube-apiserver.pid")" 2>/dev/null; then was_running=true; fi
if [[ "$was_running" == false ]]; then trap 'bash "$HERE/down.sh"' EXIT; fi

bash "$HERE/up.sh"
source "$RUN_DIR/env"
mapfile -t files < <(find dist -name '*.k8s.test.js' | sort)
[[ ${#files[@]} -gt 0 ]] || die "no *.k8s.test.js under dist/ (run npm run build)"
log "running ${#files[@]} Kubernetes test files against kube-apiserver $SANDGATE_KUBE_SERVER_VERSION"
status=0
SANDGATE_K8S_RUN_DIR="$RUN_DIR" node --test --test-reporter=spec --test-concurrency=1 "${files[@]}" || status=$?
log "Kubernetes tests ran against kube-apiserver $SANDGATE_KUBE_SERVER_VERSION (etcd $ETCD_VERSION, agent-sandbox $AGENT_SANDBOX_VERSION): exit $status"
exit $status
