#!/usr/bin/env bash
# Makes the pinned schemathesis (the API contract test's fuzzer) available in a Python venv of its
# own, outside the repo's sources: $SCHEMATHESIS_VENV [.stack/python/schemathesis-<version>].
# Idempotent: does nothing when the venv already holds the pinned version. Prints the binary's path
# on its last line. Needs python3 with venv (Debian: python3-venv) and PyPI (or a pip mirror set
# through PIP_INDEX_URL).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
VERSION=$(tr -d '[:space:]' <"$ROOT/tools/api-contract/schemathesis.version")
VENV=${SCHEMATHESIS_VENV:-${STACK_DIR:-$ROOT/.stack}/python/schemathesis-$VERSION}
BIN=$VENV/bin/schemathesis
log() { echo "[schemathesis] $*" >&2; }
die() {
  echo "[schemathesis] $*" >&2
  exit 1
}

if [[ -x $BIN ]] && "$BIN" --version 2>/dev/null | grep -qF "version $VERSION"; then
  echo "$BIN"
  exit 0
fi
command -v python3 >/dev/null 2>&1 || die "python3 is missing: install it (Debian: apt-get install -y python3 python3-venv), then re-run."
if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    log "installing python3-venv with apt-get ..."
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-venv >/dev/null 2>&1 ||
      { apt-get update -q >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-venv >/dev/null 2>&1; } ||
      die "apt-get install -y python3-venv failed; install it, then re-run."
  else
    die "python3 has no venv module: install python3-venv (e.g. sudo apt-get install -y python3-venv), then re-run."
  fi
fi
log "creating $VENV with schemathesis $VERSION ..."
rm -rf "$VENV"
mkdir -p "$(dirname "$VENV")"
python3 -m venv "$VENV"
"$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$VERSION" >&2 ||
  die "pip install schemathesis==$VERSION failed (PyPI unreachable? set PIP_INDEX_URL to a mirror), then re-run."
"$BIN" --version >&2
echo "$BIN"
