#!/usr/bin/env bash
# Builds and runs the five services (and the officials' dashboard, once apps/dashboard exists) as
# background processes against the local stack.
#
# Usage: tools/services.sh up | down | status
# Ports (HTTP, 127.0.0.1): REGISTRY_PORT [3001] SITES_PORT [3002] PARCELS_PORT [3003]
#   FUNDS_PORT [3004] ANALYTICS_PORT [3005] DASHBOARD_PORT [3006]. Stack settings (PGPORT, PGUSER,
#   PGPASSWORD, KAFKA_PORT, REDIS_PORT, STACK_DIR) are the same variables tools/stack/stack.sh reads.
# Logs: $STACK_DIR/services/<service>.log (JSON lines).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
STACK_DIR=${STACK_DIR:-$ROOT/.stack}
RUN_DIR=$STACK_DIR/services
# shellcheck source=stack/kafka-principals.sh
source "$ROOT/tools/stack/kafka-principals.sh"
SERVICES=(registry sites parcels funds analytics)
# The dashboard (no database of its own) is started last, after the services it proxies.
if [[ -f $ROOT/apps/dashboard/src/main.ts ]]; then SERVICES+=(dashboard); fi

port_of() {
  case $1 in
    registry) echo "${REGISTRY_PORT:-3001}" ;;
    sites) echo "${SITES_PORT:-3002}" ;;
    parcels) echo "${PARCELS_PORT:-3003}" ;;
    funds) echo "${FUNDS_PORT:-3004}" ;;
    analytics) echo "${ANALYTICS_PORT:-3005}" ;;
    dashboard) echo "${DASHBOARD_PORT:-3006}" ;;
  esac
}

running_pid() {
  local pidfile=$RUN_DIR/$1.pid pid
  [[ -f $pidfile ]] || return 1
  pid=$(cat "$pidfile")
  kill -0 "$pid" 2>/dev/null && grep -q "dist/apps/$1/" "/proc/$pid/cmdline" 2>/dev/null && echo "$pid"
}

wait_ready() {
  local service=$1 port=$2 deadline=$((SECONDS + 60))
  until curl -fsS "http://127.0.0.1:$port/ready" >/dev/null 2>&1; do
    if ! running_pid "$service" >/dev/null; then
      echo "[services] $service exited during start-up; last log lines:" >&2
      tail -n 20 "$RUN_DIR/$service.log" >&2
      return 1
    fi
    if ((SECONDS > deadline)); then
      echo "[services] $service did not become ready within 60 s on port $port; see $RUN_DIR/$service.log" >&2
      return 1
    fi
    sleep 0.5
  done
}

cmd_up() {
  mkdir -p "$RUN_DIR"
  (cd "$ROOT" && npm run --silent build)
  for service in "${SERVICES[@]}"; do
    local port
    port=$(port_of "$service")
    if pid=$(running_pid "$service"); then
      echo "[services] $service already running (pid $pid, port $port)"
      continue
    fi
    (
      cd "$ROOT"
      export HTTP_PORT=$port DB_PORT=${PGPORT:-5432} DB_USER=${PGUSER:-ecomlog} DB_PASSWORD=${PGPASSWORD:-ecomlog}
      export KAFKA_BROKERS=127.0.0.1:${KAFKA_PORT:-9092} REDIS_URL=redis://127.0.0.1:${REDIS_PORT:-6379}/0
      # Each service signs in to Kafka as its own user (ACLs from libs/contracts kafka-access.ts).
      export_service_kafka_env "$service"
      # The broker validates couriers' and subscribers' tokens with the keys this registry keeps here.
      if [[ $service == registry ]]; then export KAFKA_JWKS_FILE=$STACK_DIR/kafka/jwks.json; fi
      # Tokens are checked with the keys of this registry, wherever its port is.
      export AUTH_JWKS_URL=http://127.0.0.1:$(port_of registry)/.well-known/jwks.json
      if [[ $service == dashboard ]]; then
        export REGISTRY_URL=http://127.0.0.1:$(port_of registry) SITES_URL=http://127.0.0.1:$(port_of sites)
        export PARCELS_URL=http://127.0.0.1:$(port_of parcels) FUNDS_URL=http://127.0.0.1:$(port_of funds)
        export ANALYTICS_URL=http://127.0.0.1:$(port_of analytics)
      fi
      setsid nohup node --enable-source-maps "dist/apps/$service/src/main.js" >>"$RUN_DIR/$service.log" 2>&1 &
      echo $! >"$RUN_DIR/$service.pid"
    )
  done
  for service in "${SERVICES[@]}"; do
    wait_ready "$service" "$(port_of "$service")"
    echo "[services] $service ready: http://127.0.0.1:$(port_of "$service")  (docs: /docs, metrics: /metrics)"
  done
}

cmd_down() {
  for service in "${SERVICES[@]}"; do
    if pid=$(running_pid "$service"); then
      kill -TERM "$pid"
      for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
      kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
      echo "[services] $service stopped"
    fi
    rm -f "$RUN_DIR/$service.pid"
  done
}

cmd_status() {
  local all_ok=0
  for service in "${SERVICES[@]}"; do
    local port
    port=$(port_of "$service")
    if pid=$(running_pid "$service") && curl -fsS "http://127.0.0.1:$port/ready" >/dev/null 2>&1; then
      echo "[services] $service: ready (pid $pid, http://127.0.0.1:$port)"
    else
      echo "[services] $service: not ready"
      all_ok=1
    fi
  done
  return $all_ok
}

case ${1:-} in
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  *) echo "usage: tools/services.sh up|down|status" >&2; exit 2 ;;
esac
