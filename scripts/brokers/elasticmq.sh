#!/usr/bin/env bash
# ElasticMQ (SQS emulator) on 127.0.0.1:${HYPC_ELASTICMQ_PORT:-9324}: start | stop | status | restart.
# Jars come from Maven Central (scripts/brokers/elasticmq/pom.xml) and are cached in .cache/elasticmq/libs.
# Queues and messages are persisted in H2 under .brokers/elasticmq/ so a restart loses nothing
# (the fault tests restart the server under load). Idempotent: start on a running server is a no-op.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PORT="${HYPC_ELASTICMQ_PORT:-9324}"
STATE="${HYPC_ELASTICMQ_STATE:-$ROOT/.brokers/elasticmq}"  # another dir = a private instance (fault tests)
LIBS="$ROOT/.cache/elasticmq/libs"
PID_FILE="$STATE/elasticmq.pid"
LOG="$STATE/elasticmq.log"
READY_TIMEOUT_S="${HYPC_BROKER_READY_TIMEOUT_S:-60}"

# shellcheck source=lib.sh
source "$ROOT/scripts/brokers/lib.sh"
running() { pid_running "$PID_FILE"; }

# Ready = the SQS API answers a ListQueues call (not just an open port).
ready() { curl -sf -o /dev/null -X POST -H 'Content-Type: application/x-www-form-urlencoded' \
  --data 'Action=ListQueues&Version=2012-11-05' "http://127.0.0.1:$PORT/"; }

fetch_jars() {
  if [[ -f "$LIBS/elasticmq-server_2.13-1.6.16.jar" ]]; then return; fi
  mkdir -p "$LIBS"
  mvn -B -q -f "$ROOT/scripts/brokers/elasticmq/pom.xml" \
    org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
    -DoutputDirectory="$LIBS" -DincludeScope=runtime
}

write_config() {
  cat >"$STATE/elasticmq.conf" <<CONF
include classpath("application.conf")
node-address { protocol = "http", host = "127.0.0.1", port = $PORT, context-path = "" }
rest-sqs { enabled = true, bind-port = $PORT, bind-hostname = "127.0.0.1", sqs-limits = strict }
rest-stats { enabled = false }
queues-storage { enabled = true, path = "$STATE/queues.conf" }
messages-storage { enabled = true, uri = "jdbc:h2:$STATE/messages-h2" }
aws { region = "eu-west-1", accountId = "000000000000" }
CONF
  # Quiet logback: only warnings (the default config logs every request at DEBUG/INFO).
  cat >"$STATE/logback.xml" <<'XML'
<configuration>
  <appender name="STDOUT" class="ch.qos.logback.core.ConsoleAppender">
    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{36} - %msg%n</pattern></encoder>
  </appender>
  <root level="WARN"><appender-ref ref="STDOUT"/></root>
</configuration>
XML
}

start() {
  if running; then echo "elasticmq: already running (pid $(cat "$PID_FILE"), port $PORT)"; return; fi
  mkdir -p "$STATE"
  fetch_jars
  write_config
  nohup java -Xmx256m -XX:+UseSerialGC -Dconfig.file="$STATE/elasticmq.conf" \
    -Dlogback.configurationFile="$STATE/logback.xml" \
    -cp "$LIBS/*" org.elasticmq.server.Main >>"$LOG" 2>&1 &
  echo $! >"$PID_FILE"
  if ! wait_until_ready elasticmq "$PID_FILE" "$LOG" "$READY_TIMEOUT_S" 0.3 ready; then stop; exit 1; fi
  echo "elasticmq: ready on http://127.0.0.1:$PORT (pid $(cat "$PID_FILE"))"
}

stop() { stop_service elasticmq "$PID_FILE" 10; }

status() {
  if running && ready; then echo "elasticmq: running (pid $(cat "$PID_FILE"), http://127.0.0.1:$PORT)"; return 0; fi
  echo "elasticmq: not running"; return 1
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  restart) stop; start ;;
  status) status ;;
  *) echo "usage: $0 start|stop|restart|status" >&2; exit 2 ;;
esac
