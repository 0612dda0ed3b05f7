#!/usr/bin/env bash
# fauxqs (SNS + SQS emulator from node_modules) on 127.0.0.1:${HYPC_FAUXQS_PORT:-4566}: start | stop | status | restart.
# State is in memory only (a restart empties it). PID file and log under .brokers/fauxqs/. Idempotent.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PORT="${HYPC_FAUXQS_PORT:-4566}"
STATE="$ROOT/.brokers/fauxqs"
PID_FILE="$STATE/fauxqs.pid"
LOG="$STATE/fauxqs.log"
READY_TIMEOUT_S="${HYPC_BROKER_READY_TIMEOUT_S:-30}"

# shellcheck source=lib.sh
source "$ROOT/scripts/brokers/lib.sh"
running() { pid_running "$PID_FILE"; }
ready() { curl -sf -o /dev/null "http://127.0.0.1:$PORT/health"; }

start() {
  if running; then echo "fauxqs: already running (pid $(cat "$PID_FILE"), port $PORT)"; return; fi
  mkdir -p "$STATE"
  # Run from the repo root so `import "fauxqs"` resolves in node_modules.
  cd "$ROOT"
  HYPC_FAUXQS_PORT="$PORT" nohup node scripts/brokers/fauxqs.mjs >>"$LOG" 2>&1 &
  echo $! >"$PID_FILE"
  if ! wait_until_ready fauxqs "$PID_FILE" "$LOG" "$READY_TIMEOUT_S" 0.2 ready; then stop; exit 1; fi
  echo "fauxqs: ready on http://127.0.0.1:$PORT (pid $(cat "$PID_FILE"))"
}

stop() { stop_service fauxqs "$PID_FILE" 5; }

status() {
  if running && ready; then echo "fauxqs: running (pid $(cat "$PID_FILE"), http://127.0.0.1:$PORT)"; return 0; fi
  echo "fauxqs: not running"; return 1
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  restart) stop; start ;;
  status) status ;;
  *) echo "usage: $0 start|stop|restart|status" >&2; exit 2 ;;
esac
