#!/usr/bin/env bash
# Runs a registry command-line tool against the local stack's registry database.
#   tools/registry-cli.sh create-admin <username> [regionPrefix] [display name]
#   tools/registry-cli.sh import-divisions <2|4|6-digit prefix>
# Uses the same variables as tools/services.sh (PGPORT, PGUSER, PGPASSWORD, KAFKA_PORT, REDIS_PORT).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tool=${1:-}
[[ -n "$tool" ]] || { echo "usage: tools/registry-cli.sh create-admin|import-divisions ..." >&2; exit 2; }
shift
script=$ROOT/dist/apps/registry/src/cli/$tool.js
if [[ ! -f $script ]]; then
  (cd "$ROOT" && npm run --silent build)
fi
[[ -f $script ]] || { echo "unknown registry tool: $tool (expected create-admin or import-divisions)" >&2; exit 2; }
export DB_PORT=${DB_PORT:-${PGPORT:-5432}} DB_USER=${DB_USER:-${PGUSER:-ecomlog}} DB_PASSWORD=${DB_PASSWORD:-${PGPASSWORD:-ecomlog}}
export KAFKA_BROKERS=${KAFKA_BROKERS:-127.0.0.1:${KAFKA_PORT:-9092}} REDIS_URL=${REDIS_URL:-redis://127.0.0.1:${REDIS_PORT:-6379}/0}
export KAFKAJS_NO_PARTITIONER_WARNING=1
exec node "$script" "$@"
