#!/usr/bin/env bash
# Installs what sandgate needs on Debian (idempotent): Chromium from Debian, npm packages
# from the lockfile, and the TypeScript build. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

need_apt=()
[ -x /usr/lib/chromium/chromium ] || need_apt+=(chromium)
command -v bwrap >/dev/null 2>&1 || need_apt+=(bubblewrap)
if [ "${#need_apt[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null; then
    echo "setup: need root (or sudo) to install: ${need_apt[*]}" >&2
    exit 1
  fi
  SUDO=$([ "$(id -u)" -eq 0 ] && echo "" || echo sudo)
  say "installing Debian packages: ${need_apt[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

# gVisor (runsc): the 2024 build from bookworm-backports (bookworm's own 2022 build lacks systrap and
# live checkpoint/restore of a browser). The backports suite is added on the mirror already in use.
if ! command -v runsc >/dev/null 2>&1 && [ -f /etc/debian_version ] && grep -q '^12' /etc/debian_version; then
  if [ "$(id -u)" -eq 0 ]; then
    mirror=$(grep -hoE 'https?://[^ ]+/debian/?' /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null | grep -v security | head -1)
    mirror=${mirror:-http://deb.debian.org/debian}
    if ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
      say "enabling bookworm-backports on ${mirror}"
      printf 'Types: deb\nURIs: %s\nSuites: bookworm-backports\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' "$mirror" \
        > /etc/apt/sources.list.d/bookworm-backports.sources
    fi
    say "installing runsc (gVisor) from bookworm-backports"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -t bookworm-backports runsc >/dev/null
  else
    echo "setup: runsc missing (local-gvisor backend); run as root to install it from bookworm-backports" >&2
  fi
fi

node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 20 ]; then
  echo "setup: Node.js 20 or newer is required (found: $(node --version 2>/dev/null || echo none))" >&2
  exit 1
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm packages (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
fi
say "building"
npm run --silent build
say "ready: $(node dist/cli/main.js --version), $(/usr/lib/chromium/chromium --version 2>/dev/null)"
