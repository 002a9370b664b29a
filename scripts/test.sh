#!/usr/bin/env bash
# Sets up everything and runs the full test suite (unit + integration with real Chromium), then the
# Kubernetes layer (real kube-apiserver + etcd + agent-sandbox controller; built once, ~30 min, cached).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npm test
npm run test:k8s
