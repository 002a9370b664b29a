#!/usr/bin/env bash
# The main job on the embedded default: a gateway with local sandboxes, driven by real clients.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
node dist/cli/main.js doctor
node dist/cli/main.js demo
