#!/usr/bin/env bash
# Stops the test control plane by the PIDs up.sh recorded (never by process name), newest first.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

stop() { # name
  local file="$RUN_DIR/$1.pid" pid
  [[ -f "$file" ]] || return 0
  pid="$(cat "$file")"
  # Only a process that still runs one of our binaries (never a recycled PID).
  if kill -0 "$pid" 2>/dev/null && [[ "$(readlink "/proc/$pid/exe" 2>/dev/null)" == "$BIN_DIR/"* ]]; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    log "stopped $1 (pid $pid)"
  fi
  rm -f "$file"
}
for name in agent-sandbox-controller kube-controller-manager kube-apiserver etcd; do stop "$name"; done
if [[ "${1:-}" != "--keep-data" ]]; then rm -rf "$RUN_DIR/etcd-data"; fi
