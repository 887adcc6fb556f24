#!/usr/bin/env bash
# The newcomer's first command: the whole platform on this machine (stack + five services).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash tools/ensure-deps.sh
bash tools/stack/stack.sh up
npm run --silent stack:topics
bash tools/services.sh up
cat <<MSG

The platform is running. Stop it with: npm run stop   (stack data is kept in .stack/)
MSG
