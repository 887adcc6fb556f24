#!/usr/bin/env bash
# Runs the demo simulator in the background (pid and log under $STACK_DIR/demo/), used by
# `npm start` and `npm run stop`.
#
# Usage: tools/demo/simulator.sh start [simulator options, e.g. --rate 50] | stop | status
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
STACK_DIR=${STACK_DIR:-$ROOT/.stack}
DEMO_DIR=$STACK_DIR/demo
PIDFILE=$DEMO_DIR/simulator.pid
LOG=$DEMO_DIR/simulator.log

running_pid() {
  [[ -f $PIDFILE ]] || return 1
  local pid
  pid=$(cat "$PIDFILE")
  kill -0 "$pid" 2>/dev/null && grep -q "tools/demo/simulator.ts" "/proc/$pid/cmdline" 2>/dev/null && echo "$pid"
}

cmd_start() {
  if pid=$(running_pid); then
    echo "[demo] simulator already running (pid $pid, log $LOG)"
    return 0
  fi
  mkdir -p "$DEMO_DIR"
  chmod 700 "$DEMO_DIR"
  (
    cd "$ROOT"
    SWC_NODE_PROJECT=tools/tsconfig.json KAFKAJS_NO_PARTITIONER_WARNING=1 setsid nohup \
      node -r @swc-node/register tools/demo/simulator.ts "$@" >>"$LOG" 2>&1 &
    echo $! >"$PIDFILE"
  )
  sleep 3
  if ! pid=$(running_pid); then
    echo "[demo] the simulator exited at once; last log lines:" >&2
    tail -n 20 "$LOG" >&2
    return 1
  fi
  echo "[demo] simulator running (pid $pid, log $LOG)"
}

cmd_stop() {
  if pid=$(running_pid); then
    kill -TERM "$pid"
    for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
    echo "[demo] simulator stopped"
  fi
  rm -f "$PIDFILE"
}

cmd_status() {
  if pid=$(running_pid); then
    echo "[demo] simulator running (pid $pid); last report: $(grep 'scans/s' "$LOG" | tail -n 1)"
  else
    echo "[demo] simulator not running"
    return 1
  fi
}

command=${1:-}
shift || true
case $command in
  start) cmd_start "$@" ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  *) echo "usage: tools/demo/simulator.sh start [options]|stop|status" >&2; exit 2 ;;
esac
