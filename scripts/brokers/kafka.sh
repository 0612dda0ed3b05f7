#!/usr/bin/env bash
# A real Kafka (KRaft, combined broker+controller) for tests and local runs, from Maven Central jars.
#
#   scripts/brokers/kafka.sh start|stop|status|restart|wipe     single node  127.0.0.1:9092 (controller 9093,
#                                                               SASL_PLAINTEXT 9094, SSL 9095)
#   scripts/brokers/kafka.sh start-cluster|stop-cluster|status-cluster
#                                                               three nodes 19092/29092/39092 (controllers +1)
#   scripts/brokers/kafka.sh start-node N|stop-node N           one node of the cluster (fault tests)
#
# Idempotent: start on a running node only checks it; stop on a stopped node does nothing. State (data,
# logs, PID, generated properties and TLS material) lives under .brokers/<instance>/ and is kept between
# stop and start (restart tests need the log); `wipe` deletes it. Jars: .cache/kafka/libs (from
# scripts/brokers/kafka/pom.xml; ~/.m2 keeps the downloads). Env: KAFKA_HEAP (default -Xmx512m),
# KAFKA_START_TIMEOUT (seconds, default 90), HYPC_KAFKA_INSTANCE / HYPC_KAFKA_PORT to run a second single
# node elsewhere (e.g. HYPC_KAFKA_INSTANCE=kafka-faults HYPC_KAFKA_PORT=9192: ports 9192..9195).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
HERE="$ROOT/scripts/brokers/kafka"
LIBS="$ROOT/.cache/kafka/libs"
STATE_ROOT="$ROOT/.brokers"
HEAP="${KAFKA_HEAP:--Xmx512m -Xms128m}"
START_TIMEOUT="${KAFKA_START_TIMEOUT:-90}"
SINGLE_NAME="${HYPC_KAFKA_INSTANCE:-kafka}"
SINGLE_PORT="${HYPC_KAFKA_PORT:-9092}"

log() { printf '[kafka.sh] %s\n' "$*" >&2; }

fetch_jars() {
  if [ -f "$LIBS/.complete" ] && [ "$LIBS/.complete" -nt "$HERE/pom.xml" ]; then return; fi
  log "collecting Kafka jars into $LIBS (Maven Central, cached in ~/.m2)"
  rm -rf "$LIBS"
  mkdir -p "$LIBS"
  mvn -B -q -Dstyle.color=never -f "$HERE/pom.xml" org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
    -DoutputDirectory="$LIBS" -DincludeScope=runtime >"$ROOT/.cache/kafka/mvn.log" 2>&1 \
    || { log "mvn failed:"; cat "$ROOT/.cache/kafka/mvn.log" >&2; return 1; }
  touch "$LIBS/.complete"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# shellcheck source=lib.sh
source "$ROOT/scripts/brokers/lib.sh"
pid_alive() { pid_running "$1/kafka.pid"; }

# The cluster id is made once per instance and kept: a new id on an existing log dir is refused by Kafka.
cluster_id() {
  local file="$1"
  if [ ! -s "$file" ]; then
    head -c 16 /dev/urandom | base64 | tr '+/' '-_' | cut -c1-22 >"$file"
  fi
  cat "$file"
}

# A private CA and a server certificate for 127.0.0.1, so the SSL listener is testable without a real PKI.
make_tls() {
  local dir="$1"
  [ -f "$dir/server.p12" ] && return
  mkdir -p "$dir"
  (
    cd "$dir"
    # EC P-256 keys: generated in milliseconds even on a loaded machine (RSA keygen takes seconds there).
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 3650 -subj "/CN=hypc test CA" \
      -keyout ca.key -out ca.pem >/dev/null 2>&1
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "/CN=127.0.0.1" \
      -keyout server.key -out server.csr >/dev/null 2>&1
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' >san.ext
    openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 3650 \
      -extfile san.ext -out server.pem >/dev/null 2>&1
    openssl pkcs12 -export -in server.pem -inkey server.key -certfile ca.pem -name kafka \
      -passout pass:hypc-test -out server.p12
  )
}

# write_properties <dir> <node_id> <voters> <listeners> <advertised> <rf> <min_isr> [tls_dir]
write_properties() {
  local dir="$1" tls_dir="${8:-$1/tls}" offsets_partitions=1
  [ "$6" -gt 1 ] && offsets_partitions=3
  sed -e "s#@NODE_ID@#$2#" -e "s#@VOTERS@#$3#" -e "s#@LISTENERS@#$4#" -e "s#@ADVERTISED@#$5#" \
    -e "s#@RF@#$6#g" -e "s#@MIN_ISR@#$7#g" -e "s#@OFFSETS_PARTITIONS@#$offsets_partitions#g" \
    -e "s#@LOG_DIR@#$dir/data#" -e "s#@TLS_DIR@#$tls_dir#" \
    "$HERE/server.properties.template" >"$dir/server.properties"
}

# shellcheck disable=SC2206 # HEAP holds several JVM flags on purpose
JVM_FLAGS=($HEAP -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true
  -Dorg.slf4j.simpleLogger.defaultLogLevel=info -Dorg.slf4j.simpleLogger.showDateTime=true
  -Dorg.slf4j.simpleLogger.log.kafka.log=warn -Dorg.slf4j.simpleLogger.log.org.apache.kafka.storage=warn
  -cp "$LIBS/*")
java_cmd() { java "${JVM_FLAGS[@]}" "$@"; }

# launch <dir>: format storage (once) and start the JVM in the background; does not wait.
launch() {
  local dir="$1"
  local id
  id="$(cluster_id "$dir/cluster.id")"
  if [ ! -f "$dir/data/meta.properties" ]; then
    java_cmd kafka.tools.StorageTool format --cluster-id="$id" -c "$dir/server.properties" --ignore-formatted \
      >"$dir/format.log" 2>&1 || { log "storage format failed:"; cat "$dir/format.log" >&2; return 1; }
  fi
  : >"$dir/server.log"
  # setsid: the broker must not die with the shell (or the test process) that started it. The subshell is
  # not a process-group leader, so setsid execs in place and $! is the JVM's PID.
  (exec setsid java "${JVM_FLAGS[@]}" kafka.Kafka "$dir/server.properties" >>"$dir/server.log" 2>&1 </dev/null) &
  echo $! >"$dir/kafka.pid"
}

# wait_ready <dir> <port> <t0>: the log says the server started and its client port accepts connections.
wait_ready() {
  local dir="$1" port="$2" deadline=$(( $(date +%s) + START_TIMEOUT ))
  while [ "$(date +%s)" -lt "$deadline" ]; do
    if ! pid_alive "$dir"; then
      log "broker in $dir exited during start-up; last log lines:"
      tail -n 30 "$dir/server.log" >&2
      return 1
    fi
    if grep -q "Kafka Server started" "$dir/server.log" 2>/dev/null && port_open "$port"; then
      return 0
    fi
    sleep 0.2
  done
  log "broker in $dir not ready after ${START_TIMEOUT}s; last log lines:"
  tail -n 30 "$dir/server.log" >&2
  return 1
}

stop_dir() {
  local dir="$1"
  if ! pid_alive "$dir"; then rm -f "$dir/kafka.pid"; return 0; fi
  local pid
  pid="$(cat "$dir/kafka.pid")"
  stop_pid "$pid" 30
  rm -f "$dir/kafka.pid"
}

# ---------------------------------------------------------------------------------------------------
# single node

single_dir() { echo "$STATE_ROOT/$SINGLE_NAME"; }

prepare_single() {
  local dir p="$SINGLE_PORT"
  dir="$(single_dir)"
  mkdir -p "$dir/data"
  make_tls "$dir/tls"
  write_properties "$dir" 1 "1@127.0.0.1:$((p + 1))" \
    "PLAINTEXT://127.0.0.1:$p,CONTROLLER://127.0.0.1:$((p + 1)),SASL_PLAINTEXT://127.0.0.1:$((p + 2)),SSL://127.0.0.1:$((p + 3))" \
    "PLAINTEXT://127.0.0.1:$p,SASL_PLAINTEXT://127.0.0.1:$((p + 2)),SSL://127.0.0.1:$((p + 3))" 1 1
}

start_single() {
  local dir t0
  dir="$(single_dir)"
  t0=$(date +%s%N)
  if pid_alive "$dir"; then
    wait_ready "$dir" "$SINGLE_PORT"
    log "already running (pid $(cat "$dir/kafka.pid")) on 127.0.0.1:$SINGLE_PORT"
    return 0
  fi
  if port_open "$SINGLE_PORT"; then
    log "port $SINGLE_PORT is taken by a process this script did not start; refusing to start"
    return 1
  fi
  fetch_jars
  prepare_single
  launch "$dir"
  wait_ready "$dir" "$SINGLE_PORT"
  log "ready on 127.0.0.1:$SINGLE_PORT (pid $(cat "$dir/kafka.pid")) in $(( ($(date +%s%N) - t0) / 1000000 )) ms"
}

status_dir() {
  local dir="$1" port="$2"
  if pid_alive "$dir" && port_open "$port"; then
    echo "running pid $(cat "$dir/kafka.pid") 127.0.0.1:$port"
  else
    echo "stopped 127.0.0.1:$port"
    return 3
  fi
}

# ---------------------------------------------------------------------------------------------------
# three-node cluster

CLUSTER_VOTERS="1@127.0.0.1:19093,2@127.0.0.1:29093,3@127.0.0.1:39093"
node_dir() { echo "$STATE_ROOT/kafka-cluster/node-$1"; }
node_port() { echo "${1}9092"; }

prepare_node() {
  local n="$1" dir port
  dir="$(node_dir "$n")"
  port="$(node_port "$n")"
  mkdir -p "$dir/data"
  # All nodes must share one cluster id.
  cluster_id "$STATE_ROOT/kafka-cluster/cluster.id" >/dev/null
  cp "$STATE_ROOT/kafka-cluster/cluster.id" "$dir/cluster.id"
  # The cluster has no SSL listener; the nodes share one keystore only so the properties stay uniform.
  make_tls "$STATE_ROOT/kafka-cluster/tls"
  write_properties "$dir" "$n" "$CLUSTER_VOTERS" \
    "PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$((port + 1))" "PLAINTEXT://127.0.0.1:$port" 3 2 \
    "$STATE_ROOT/kafka-cluster/tls"
}

start_nodes() {
  local t0 n dir
  t0=$(date +%s%N)
  fetch_jars
  mkdir -p "$STATE_ROOT/kafka-cluster"
  # Launch every node first: a KRaft quorum of three needs two voters before anyone is ready.
  for n in "$@"; do
    dir="$(node_dir "$n")"
    if pid_alive "$dir"; then continue; fi
    if port_open "$(node_port "$n")"; then log "port $(node_port "$n") taken by a foreign process"; return 1; fi
    prepare_node "$n"
    launch "$dir"
  done
  for n in "$@"; do wait_ready "$(node_dir "$n")" "$(node_port "$n")"; done
  log "nodes $* ready in $(( ($(date +%s%N) - t0) / 1000000 )) ms (bootstrap 127.0.0.1:19092,127.0.0.1:29092,127.0.0.1:39092)"
}

# All nodes at once: one by one, the last ones wait for a controller quorum that is already gone.
stop_cluster() {
  local n pids=()
  for n in 1 2 3; do
    stop_dir "$(node_dir "$n")" &
    pids+=($!)
  done
  for n in "${pids[@]}"; do wait "$n"; done
}

cmd="${1:-}"
case "$cmd" in
  start) start_single ;;
  stop) stop_dir "$(single_dir)" ;;
  restart) stop_dir "$(single_dir)"; start_single ;;
  status) status_dir "$(single_dir)" "$SINGLE_PORT" ;;
  wipe) stop_dir "$(single_dir)"; rm -rf "$(single_dir)" ;;
  start-cluster) start_nodes 1 2 3 ;;
  stop-cluster) stop_cluster ;;
  status-cluster)
    rc=0
    for n in 1 2 3; do status_dir "$(node_dir "$n")" "$(node_port "$n")" || rc=3; done
    exit $rc ;;
  wipe-cluster) stop_cluster; rm -rf "$STATE_ROOT/kafka-cluster" ;;
  start-node) start_nodes "${2:?node number 1-3}" ;;
  stop-node) stop_dir "$(node_dir "${2:?node number 1-3}")" ;;
  *)
    echo "usage: $0 start|stop|restart|status|wipe|start-cluster|stop-cluster|status-cluster|wipe-cluster|start-node N|stop-node N" >&2
    exit 2 ;;
esac
