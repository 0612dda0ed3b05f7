#!/usr/bin/env bash
# ActiveMQ Artemis on 127.0.0.1:${HYPC_ARTEMIS_PORT:-61616} (one acceptor speaking AMQP 1.0, CORE, OpenWire, STOMP):
# start | stop | status | restart | reset.
# The distribution comes from Maven Central (scripts/brokers/artemis/pom.xml), cached in .cache/artemis/;
# the broker instance (config, journal, PID, log) lives in .brokers/artemis/. Login: hypc / hypc
# (override: HYPC_ARTEMIS_USER / HYPC_ARTEMIS_PASSWORD). Journal on disk: a restart loses nothing durable.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VERSION="2.40.0"
PORT="${HYPC_ARTEMIS_PORT:-61616}"
USER_NAME="${HYPC_ARTEMIS_USER:-hypc}"
PASSWORD="${HYPC_ARTEMIS_PASSWORD:-hypc}"
CACHE="$ROOT/.cache/artemis"
HOME_DIR="$CACHE/apache-artemis-$VERSION"
STATE="${HYPC_ARTEMIS_STATE:-$ROOT/.brokers/artemis}"  # another dir = a private instance (fault tests)
INSTANCE="$STATE/instance"
PID_FILE="$STATE/artemis.pid"
LOG="$STATE/artemis.log"
READY_TIMEOUT_S="${HYPC_BROKER_READY_TIMEOUT_S:-90}"

# shellcheck source=lib.sh
source "$ROOT/scripts/brokers/lib.sh"
running() { pid_running "$PID_FILE"; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; }
# Ready = the broker logged "server started" (AMQ221007) and its acceptor takes connections.
artemis_ready() { grep -q "AMQ221007" "$LOG" && port_open; }

fetch_distribution() {
  if [[ -x "$HOME_DIR/bin/artemis" ]]; then return; fi
  mkdir -p "$CACHE/dist"
  mvn -B -q -f "$ROOT/scripts/brokers/artemis/pom.xml" \
    org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
    -DoutputDirectory="$CACHE/dist" -DexcludeTransitive=true
  tar xzf "$CACHE/dist/apache-artemis-$VERSION-bin.tar.gz" -C "$CACHE"
}

create_instance() {
  if [[ -f "$INSTANCE/etc/broker.xml" ]]; then return; fi
  # Only the one multi-protocol acceptor: the separate AMQP (5672), MQTT (1883), STOMP (61613) and HornetQ
  # acceptors would collide with RabbitMQ and mosquitto on this machine, and the seed names port 61616.
  "$HOME_DIR/bin/artemis" create "$INSTANCE" --silent --force --nio --no-web \
    --user "$USER_NAME" --password "$PASSWORD" --require-login \
    --host 127.0.0.1 --default-port "$PORT" \
    --no-amqp-acceptor --no-mqtt-acceptor --no-stomp-acceptor --no-hornetq-acceptor \
    --java-memory 512M >"$STATE/create.log" 2>&1
  # Queues of consumer groups must outlive their consumers (no message is ever dropped): no auto-delete.
  # Redelivery after a nack without delay, DLQ after 10 attempts (the runtime's retry middleware dead-letters
  # with a reason first; this is the broker's safety net).
  sed -i 's#<auto-delete-queues>true</auto-delete-queues>#<auto-delete-queues>false</auto-delete-queues>#g;
          s#<auto-delete-addresses>true</auto-delete-addresses>#<auto-delete-addresses>false</auto-delete-addresses>#g' \
    "$INSTANCE/etc/broker.xml"
  if ! grep -q "<auto-delete-queues>" "$INSTANCE/etc/broker.xml"; then
    sed -i 's#<auto-create-queues>true</auto-create-queues>#<auto-create-queues>true</auto-create-queues>\n            <auto-delete-queues>false</auto-delete-queues>\n            <auto-delete-created-queues>false</auto-delete-created-queues>\n            <auto-delete-addresses>false</auto-delete-addresses>#' \
      "$INSTANCE/etc/broker.xml"
  fi
}

start() {
  if running; then echo "artemis: already running (pid $(cat "$PID_FILE"), port $PORT)"; return; fi
  mkdir -p "$STATE"
  fetch_distribution
  create_instance
  : >"$LOG"
  nohup "$INSTANCE/bin/artemis" run >>"$LOG" 2>&1 &
  echo $! >"$PID_FILE"
  if ! wait_until_ready artemis "$PID_FILE" "$LOG" "$READY_TIMEOUT_S" 0.3 artemis_ready; then stop; exit 1; fi
  echo "artemis: ready on tcp://127.0.0.1:$PORT (pid $(cat "$PID_FILE"), user $USER_NAME)"
}

stop() { stop_service artemis "$PID_FILE" 20; }

status() {
  if running && port_open; then echo "artemis: running (pid $(cat "$PID_FILE"), tcp://127.0.0.1:$PORT)"; return 0; fi
  echo "artemis: not running"; return 1
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  restart) stop; start ;;
  status) status ;;
  reset) stop; rm -rf "$INSTANCE"; echo "artemis: instance removed" ;;
  *) echo "usage: $0 start|stop|restart|status|reset" >&2; exit 2 ;;
esac
