#!/usr/bin/env bash
# Installs the npm dependencies pinned by package-lock.json when they are missing or stale.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [[ "$node_major" -lt 20 ]]; then
  echo "Node.js 20 or newer is required (found: $(node --version 2>/dev/null || echo none)). Install Node.js 20 LTS." >&2
  exit 1
fi
stamp=node_modules/.ecomlog-lock-sha256
wanted=$(sha256sum package-lock.json | cut -d' ' -f1)
if [[ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]]; then
  echo "[deps] installing npm dependencies pinned by package-lock.json"
  # Not `npm ci`: the registry mirror this project is built against serves only the linux-x64
  # builds of native packages (@swc/core, nx, ...), so the lock file cannot list the other
  # platforms' optional packages and `npm ci` refuses it. `install --no-save` still installs the
  # locked versions and never rewrites the lock file.
  # --prefer-offline: reuse the local npm cache before asking the registry (much faster on reruns).
  npm install --no-audit --no-fund --no-save --prefer-offline --loglevel=error
  echo "$wanted" >"$stamp"
fi
