#!/usr/bin/env bash
# Makes sure Debian's Chromium is at /usr/bin/chromium for the dashboard's browser test
# (playwright-core drives it; no browser is downloaded), with a Chinese font so the page and its
# screenshots show characters rather than empty boxes. Idempotent: does nothing when both are
# present. Installs with apt-get as root; otherwise says exactly what to run.
set -euo pipefail

CHROMIUM=${CHROMIUM_PATH:-/usr/bin/chromium}
log() { echo "[chromium] $*"; }
die() {
  echo "[chromium] $*" >&2
  exit 1
}

packages=()
[[ -x $CHROMIUM ]] || packages+=(chromium)
# fc-list comes with fontconfig, which chromium depends on; without it, ask for the font anyway.
if ! fc-list :lang=zh 2>/dev/null | grep -q .; then
  packages+=(fonts-wqy-zenhei)
fi
if ((${#packages[@]} == 0)); then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  die "Missing: ${packages[*]} (Chromium at $CHROMIUM, a Chinese font) and apt-get is not available: install them with your system's package manager (or set CHROMIUM_PATH), then re-run."
fi
if [[ $(id -u) -ne 0 ]]; then
  die "Missing: ${packages[*]}. Install with: sudo apt-get update && sudo apt-get install -y ${packages[*]} (then re-run)."
fi

aptlog=${TMPDIR:-/tmp}/ecomlog-apt-chromium.log
# Another apt run (e.g. the stack installing PostgreSQL) holds the lock: wait for it, up to 10 min.
wait_for_apt_lock() {
  local deadline=$((SECONDS + 600))
  while fuser /var/lib/dpkg/lock-frontend /var/lib/dpkg/lock /var/lib/apt/lists/lock >/dev/null 2>&1; do
    ((SECONDS < deadline)) || die "apt is still locked by another process after 10 minutes; run: apt-get install -y ${packages[*]}"
    sleep 3
  done
}
log "installing ${packages[*]} with apt-get (output in $aptlog) ..."
export DEBIAN_FRONTEND=noninteractive
command -v fuser >/dev/null 2>&1 && wait_for_apt_lock
if ! apt-get install -y -q "${packages[@]}" >>"$aptlog" 2>&1; then
  log "apt-get install failed; running apt-get update and retrying ..."
  command -v fuser >/dev/null 2>&1 && wait_for_apt_lock
  apt-get update -q >>"$aptlog" 2>&1 ||
    die "apt-get update failed (see $aptlog): check the network/apt sources, then run: apt-get update && apt-get install -y ${packages[*]}"
  apt-get install -y -q "${packages[@]}" >>"$aptlog" 2>&1 ||
    die "apt-get install -y ${packages[*]} failed (see the end of $aptlog)."
fi
[[ -x $CHROMIUM ]] || die "chromium was installed but $CHROMIUM is missing; set CHROMIUM_PATH to its location."
log "installed ${packages[*]}"
