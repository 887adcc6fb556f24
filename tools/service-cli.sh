#!/usr/bin/env bash
# Runs a service's command-line tool (dist/apps/<service>/src/cli/<tool>.js) against the local
# stack, building first when needed:
#   tools/service-cli.sh registry create-admin <username> [regionPrefix] [display name]
#   tools/service-cli.sh registry import-divisions <2|4|6-digit prefix>
#   tools/service-cli.sh analytics rebuild
# Uses the same variables as tools/services.sh (PGPORT, PGUSER, PGPASSWORD, KAFKA_PORT, REDIS_PORT,
# STACK_DIR); signs in to Kafka as the service's own user (or KAFKA_USERNAME/KAFKA_PASSWORD).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
service=${1:-}
tool=${2:-}
[[ -n "$service" && -n "$tool" ]] || { echo "usage: tools/service-cli.sh <service> <tool> [args...]" >&2; exit 2; }
shift 2
script=$ROOT/dist/apps/$service/src/cli/$tool.js
if [[ ! -f $script ]]; then
  (cd "$ROOT" && npm run --silent build)
fi
if [[ ! -f $script ]]; then
  available=$(ls "$ROOT/dist/apps/$service/src/cli" 2>/dev/null | sed -n 's/\.js$//p' | tr '\n' ' ')
  echo "unknown $service tool: $tool (available: ${available:-none})" >&2
  exit 2
fi
export DB_PORT=${DB_PORT:-${PGPORT:-5432}} DB_USER=${DB_USER:-${PGUSER:-ecomlog}} DB_PASSWORD=${DB_PASSWORD:-${PGPASSWORD:-ecomlog}}
export KAFKA_BROKERS=${KAFKA_BROKERS:-127.0.0.1:${KAFKA_PORT:-9092}} REDIS_URL=${REDIS_URL:-redis://127.0.0.1:${REDIS_PORT:-6379}/0}
export KAFKAJS_NO_PARTITIONER_WARNING=1
STACK_DIR=${STACK_DIR:-$ROOT/.stack}
# shellcheck source=stack/kafka-principals.sh
source "$ROOT/tools/stack/kafka-principals.sh"
export_service_kafka_env "$service"
exec node "$script" "$@"
