#!/usr/bin/env bash
# Stops the five services, then the stack. Data stays in .stack/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash tools/services.sh down
bash tools/stack/stack.sh down
