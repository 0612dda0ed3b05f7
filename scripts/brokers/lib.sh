# Sourced by the broker scripts (kafka.sh, elasticmq.sh, fauxqs.sh, artemis.sh): the one way they tell whether
# the process of a PID file runs, end it, and wait for it to become ready. Only PIDs we started and wrote
# into our own PID files are ever signalled.

# pid_running <pid-file>: the file exists and its process is alive.
pid_running() { [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

# stop_pid <pid> <grace-seconds>: SIGTERM, wait up to the grace period, then SIGKILL and wait until it is gone
# (a port is free again when this returns).
stop_pid() {
  local pid="$1" steps=$(( $2 * 5 ))
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 "$steps"); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.2; done
  echo "pid $pid ignored SIGTERM for $2 s: SIGKILL" >&2
  kill -KILL "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
}

# wait_until_ready <name> <pid-file> <log> <timeout-s> <poll-s> <command...>: polls the command until it
# succeeds; fails (showing the log's tail) when the process exits first or the timeout passes.
wait_until_ready() {
  local name="$1" pid_file="$2" log="$3" timeout="$4" poll="$5"
  shift 5
  local deadline=$((SECONDS + timeout))
  until "$@"; do
    if ! pid_running "$pid_file"; then echo "$name: exited during start; see $log" >&2; tail -30 "$log" >&2; return 1; fi
    if ((SECONDS > deadline)); then echo "$name: not ready after ${timeout}s; see $log" >&2; tail -30 "$log" >&2; return 1; fi
    sleep "$poll"
  done
}

# stop_service <name> <pid-file> <grace-seconds>: stop_pid for the process of a PID file, then remove the file.
stop_service() {
  local name="$1" pid_file="$2"
  if ! pid_running "$pid_file"; then rm -f "$pid_file"; echo "$name: not running"; return 0; fi
  local pid; pid="$(cat "$pid_file")"
  stop_pid "$pid" "$3"
  rm -f "$pid_file"
  echo "$name: stopped (pid $pid)"
}
