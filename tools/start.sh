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
First steps (there is no default account):
  npm run registry:create-admin -- admin          # prints the administrator's password once
  npm run registry:import-divisions -- 370982     # a county's real divisions (新泰市)
  curl -s -X POST http://127.0.0.1:3001/v1/auth/login -H 'content-type: application/json' \
       -d '{"username":"admin","password":"<printed password>"}'
MSG
