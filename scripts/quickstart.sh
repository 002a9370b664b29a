#!/usr/bin/env bash
# The main job on the embedded default: a gateway with local sandboxes, driven by real clients,
# then the bench's quick mode printing the cold / warm / pooled / restore table.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
node dist/cli/main.js doctor || true
node dist/cli/main.js demo
node dist/cli/main.js bench --quick
