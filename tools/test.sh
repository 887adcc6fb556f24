#!/usr/bin/env bash
# The whole test suite: format, lint (type-checked), typecheck, unit tests, then integration,
# end-to-end (with the crash/fault test) and browser tests against the real Kafka, PostgreSQL and
# Redis (started here when not up, and stopped again at the end).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false NX_SKIP_NX_CACHE=${NX_SKIP_NX_CACHE:-${CI:+true}}

step() { printf '\n=== %s ===\n' "$*"; }

step "dependencies"
bash tools/ensure-deps.sh

step "format (prettier --check)"
npx prettier --check . --log-level warn

step "lint, typecheck and unit tests"
npx nx run-many -t lint typecheck test --outputStyle=static

step "infrastructure (Kafka, PostgreSQL, Redis; Chromium for the browser test)"
# Idempotent: starts what is not running and installs what a fresh machine lacks. The parts of this
# checkout's stack (STACK_DIR) that already run are left running; the ones started here are stopped
# again when this script ends, also on failure (data kept). Ports held by another checkout's stack
# make `stack.sh up` fail, naming its processes.
started_here=()
for part in kafka postgres redis; do
  bash tools/stack/stack.sh pid "$part" >/dev/null 2>&1 || started_here+=("$part")
done
stop_started() {
  local rc=$? part
  local -a running=()
  trap - EXIT
  for part in "${started_here[@]}"; do
    bash tools/stack/stack.sh pid "$part" >/dev/null 2>&1 && running+=("$part")
  done
  if ((${#running[@]} > 0)); then
    step "stopping what this run started: ${running[*]}"
    if ! bash tools/stack/stack.sh down "${running[@]}" && ((rc == 0)); then
      rc=1
    fi
  fi
  exit "$rc"
}
trap stop_started EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
bash tools/stack/stack.sh up
npm run --silent stack:topics
bash tools/ensure-chromium.sh
# The API contract test's fuzzer (schemathesis, pinned in tools/api-contract) in a venv of its own.
bash tools/api-contract/ensure-schemathesis.sh >/dev/null

step "build"
npm run --silent build

step "integration tests (real broker, database and cache)"
npx nx run-many -t integration --parallel=1 --outputStyle=static

step "end-to-end tests (services as processes across the real broker; SIGKILL and restart faults; the API contract: schemathesis with every check on each service's OpenAPI document)"
npx nx run e2e:e2e --outputStyle=static

step "browser test (the dashboard in headless Chromium, screenshots in apps/dashboard/screenshots)"
npx nx run dashboard:browser --outputStyle=static

echo
echo "All test stages passed."
