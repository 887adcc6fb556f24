#!/usr/bin/env bash
# Stops the demo simulator, the services, then the stack. Data stays in .stack/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash tools/demo/simulator.sh stop
bash tools/services.sh down
bash tools/stack/stack.sh down
