#!/usr/bin/env bash
# Sets up everything and runs the full test suite (unit + integration with real Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npm test
