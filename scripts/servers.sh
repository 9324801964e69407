#!/usr/bin/env bash
# PostgreSQL 15 (wal_level=logical), NATS with JetStream and Redis on loopback, for a
# person trying herald and for the demo. The integration tests start their own servers
# (tests/support); this is the same setup, kept running in the background.
#
#   scripts/servers.sh start  [DIR]   start the three servers (idempotent), write DIR/env
#   scripts/servers.sh env    [DIR]   print DIR/env:  eval "$(scripts/servers.sh env)"
#   scripts/servers.sh status [DIR]   say what runs where (exit 0 = all three running)
#   scripts/servers.sh logs   [DIR]   the last lines of each server's log
#   scripts/servers.sh stop   [DIR]   stop all three (safe to repeat)
#
# DIR defaults to $HERALD_SERVERS_DIR, else ./tmp/servers. Data survives stop/start
# (PostgreSQL keeps fsync on here); delete DIR to start afresh. Ports are picked free on
# first start and reused afterwards while they stay free. As root, PostgreSQL runs as the
# `postgres` user (initdb refuses root), so DIR must be reachable by that user.
set -euo pipefail

readonly PG_BIN=/usr/lib/postgresql/15/bin
readonly PG_USER=herald     # superuser, trust auth on loopback and the socket
readonly PG_DATABASE=herald # the database DATABASE_URL names

die() {
  echo "servers.sh: $*" >&2
  exit 1
}

usage() {
  awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"
}

# --- helpers ---------------------------------------------------------------------------

as_postgres() { # runs a command as the user that owns the PostgreSQL data directory
  if [[ $EUID -eq 0 ]]; then
    (cd / && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

port_is_free() {
  if command -v ss >/dev/null; then
    [[ -z "$(ss -Hltn "sport = :$1" 2>/dev/null)" ]]
  else
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 1; fi
  fi
}

pick_port() { # a free port, not one of the arguments
  local port
  for _ in $(seq 100); do
    port=$((20000 + RANDOM % 40000))
    if [[ " $* " != *" $port "* ]] && port_is_free "$port"; then
      echo "$port"
      return
    fi
  done
  die "found no free port"
}

http_status() { # port, path: the HTTP status code, or nothing
  local status=""
  if { exec 3<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null; then
    printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "$2" >&3
    read -r -t 2 _ status _ <&3 || true
    exec 3>&-
  fi
  echo "$status"
}

redis_pong() { # port: succeeds when Redis answers PING
  local reply=""
  if { exec 3<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null; then
    printf 'PING\r\n' >&3
    read -r -t 2 reply <&3 || true
    exec 3>&-
  fi
  [[ "${reply%$'\r'}" == "+PONG" ]]
}

wait_until() { # seconds, command...: polls the command until it succeeds
  local seconds=$1
  shift
  local deadline=$((SECONDS + seconds))
  until "$@"; do
    ((SECONDS < deadline)) || return 1
    sleep 0.1
  done
}

pid_alive() { # pidfile, program name: succeeds when that program runs with that pid
  local pid
  [[ -s "$1" ]] || return 1
  pid=$(<"$1")
  [[ -r "/proc/$pid/cmdline" ]] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q "$2"
}

process_gone() { # pid: exited (a zombie counts: it holds no port or file)
  ! kill -0 "$1" 2>/dev/null || grep -q '^State:.*Z' "/proc/$1/status" 2>/dev/null
}

start_background() { # pidfile, log, command...: runs it in its own session, records the pid
  local pidfile=$1 log=$2
  shift 2
  setsid "$@" >>"$log" 2>&1 </dev/null &
  echo $! >"$pidfile"
}

stop_pid() { # pidfile, program name
  local pid
  pid_alive "$1" "$2" || return 0
  pid=$(<"$1")
  kill -TERM "$pid"
  if ! wait_until 30 process_gone "$pid"; then
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$1"
}

save_ports() {
  cat >"$DIR/ports" <<EOF
PG_PORT=$PG_PORT
NATS_PORT=$NATS_PORT
NATS_MONITOR_PORT=$NATS_MONITOR_PORT
REDIS_PORT=$REDIS_PORT
EOF
}

load_ports() {
  PG_PORT="" NATS_PORT="" NATS_MONITOR_PORT="" REDIS_PORT=""
  if [[ -f "$DIR/ports" ]]; then
    # shellcheck disable=SC1091
    source "$DIR/ports"
  fi
}

write_env() {
  cat >"$DIR/env" <<EOF
# herald's servers, started by scripts/servers.sh (eval "\$(scripts/servers.sh env)")
export DATABASE_URL='postgresql://$PG_USER@127.0.0.1:$PG_PORT/$PG_DATABASE'
export NATS_URL='nats://127.0.0.1:$NATS_PORT'
export REDIS_URL='redis://127.0.0.1:$REDIS_PORT'
EOF
}

# --- PostgreSQL ------------------------------------------------------------------------

pg_running() { [[ -f "$DIR/pg/data/PG_VERSION" ]] && as_postgres "$PG_BIN/pg_ctl" -D "$DIR/pg/data" status >/dev/null 2>&1; }

pg_init() {
  [[ -f "$DIR/pg/data/PG_VERSION" ]] && return 0
  mkdir -p "$DIR/pg/socket"
  if [[ $EUID -eq 0 ]]; then
    chown -R postgres:postgres "$DIR/pg"
    runuser -u postgres -- test -w "$DIR/pg" ||
      die "the postgres user cannot reach $DIR/pg (initdb refuses root): choose a DIR it can reach, e.g. /tmp/herald-servers"
  fi
  echo "initdb $DIR/pg/data"
  as_postgres "$PG_BIN/initdb" -D "$DIR/pg/data" -U "$PG_USER" --auth=trust --encoding=UTF8 \
    --locale=C >"$DIR/pg/initdb.log" 2>&1 || die "initdb failed: $(tail -5 "$DIR/pg/initdb.log")"
  as_postgres tee -a "$DIR/pg/data/postgresql.conf" >/dev/null <<'EOF'

# herald (scripts/servers.sh)
listen_addresses = '127.0.0.1'
wal_level = logical
max_replication_slots = 32
max_wal_senders = 32
max_connections = 200
EOF
  as_postgres tee "$DIR/pg/data/pg_hba.conf" >/dev/null <<'EOF'
# herald (scripts/servers.sh): trust on the socket and loopback only
local   all          all                 trust
host    all          all   127.0.0.1/32  trust
local   replication  all                 trust
host    replication  all   127.0.0.1/32  trust
EOF
}

pg_start() {
  if pg_running; then
    echo "postgres  already running on 127.0.0.1:$PG_PORT"
    return 0
  fi
  pg_init
  local attempt
  for attempt in 1 2 3 4 5; do
    if [[ -z "$PG_PORT" ]] || ! port_is_free "$PG_PORT"; then
      PG_PORT=$(pick_port "$NATS_PORT" "$NATS_MONITOR_PORT" "$REDIS_PORT")
    fi
    # pg_ctl -w waits until the server accepts connections (crash recovery included).
    if as_postgres "$PG_BIN/pg_ctl" -D "$DIR/pg/data" -l "$DIR/pg/postgres.log" -w -t 120 \
      -o "-p $PG_PORT -k $DIR/pg/socket -c listen_addresses=127.0.0.1" start >/dev/null; then
      break
    fi
    tail -20 "$DIR/pg/postgres.log" | grep -q "could not bind" ||
      die "postgres did not start; log:"$'\n'"$(tail -20 "$DIR/pg/postgres.log")"
    PG_PORT=""
    ((attempt < 5)) || die "postgres found no free port"
  done
  if [[ "$("$PG_BIN/psql" -XAtq -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d postgres \
    -c "SELECT 1 FROM pg_database WHERE datname = '$PG_DATABASE'")" != 1 ]]; then
    "$PG_BIN/psql" -Xq -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d postgres \
      -c "CREATE DATABASE $PG_DATABASE" >/dev/null
  fi
  echo "postgres  started on 127.0.0.1:$PG_PORT (data $DIR/pg/data)"
}

pg_stop() {
  if ! pg_running; then
    echo "postgres  not running"
    return 0
  fi
  as_postgres "$PG_BIN/pg_ctl" -D "$DIR/pg/data" -m fast -w -t 60 stop >/dev/null
  echo "postgres  stopped"
}

# --- NATS ------------------------------------------------------------------------------

nats_running() { pid_alive "$DIR/nats/nats.pid" nats-server; }
nats_ready() { [[ "$(http_status "$NATS_MONITOR_PORT" '/healthz?js-enabled-only=true')" == 200 ]]; }
# "exited" looks at the pid alone: just after the fork the process may not carry its
# program's name yet, and a name check would take it for dead.
nats_ready_or_exited() { nats_ready || process_gone "$(<"$DIR/nats/nats.pid")"; }

nats_start() {
  if nats_running; then
    echo "nats      already running on 127.0.0.1:$NATS_PORT"
    return 0
  fi
  mkdir -p "$DIR/nats/store"
  local attempt
  for attempt in 1 2 3 4 5; do
    if [[ -z "$NATS_PORT" ]] || ! port_is_free "$NATS_PORT"; then
      NATS_PORT=$(pick_port "$PG_PORT" "$NATS_MONITOR_PORT" "$REDIS_PORT")
    fi
    if [[ -z "$NATS_MONITOR_PORT" ]] || ! port_is_free "$NATS_MONITOR_PORT"; then
      NATS_MONITOR_PORT=$(pick_port "$PG_PORT" "$NATS_PORT" "$REDIS_PORT")
    fi
    start_background "$DIR/nats/nats.pid" "$DIR/nats/nats.log" nats-server -a 127.0.0.1 \
      -p "$NATS_PORT" -m "$NATS_MONITOR_PORT" -js -sd "$DIR/nats/store"
    wait_until 30 nats_ready_or_exited || true
    nats_running && nats_ready && break
    tail -20 "$DIR/nats/nats.log" | grep -q "address already in use" ||
      die "nats-server did not start; log:"$'\n'"$(tail -20 "$DIR/nats/nats.log")"
    NATS_PORT="" NATS_MONITOR_PORT=""
    ((attempt < 5)) || die "nats-server found no free port"
  done
  nats_ready || die "nats-server did not become ready; log:"$'\n'"$(tail -20 "$DIR/nats/nats.log")"
  echo "nats      started on 127.0.0.1:$NATS_PORT (monitoring $NATS_MONITOR_PORT, store $DIR/nats/store)"
}

nats_stop() {
  if ! nats_running; then
    echo "nats      not running"
    return 0
  fi
  stop_pid "$DIR/nats/nats.pid" nats-server
  echo "nats      stopped"
}

# --- Redis -----------------------------------------------------------------------------

redis_running() { pid_alive "$DIR/redis/redis.pid" redis-server; }
redis_ready_or_exited() { redis_pong "$REDIS_PORT" || process_gone "$(<"$DIR/redis/redis.pid")"; }

redis_start() {
  if redis_running; then
    echo "redis     already running on 127.0.0.1:$REDIS_PORT"
    return 0
  fi
  mkdir -p "$DIR/redis"
  local attempt
  for attempt in 1 2 3 4 5; do
    if [[ -z "$REDIS_PORT" ]] || ! port_is_free "$REDIS_PORT"; then
      REDIS_PORT=$(pick_port "$PG_PORT" "$NATS_PORT" "$NATS_MONITOR_PORT")
    fi
    start_background "$DIR/redis/redis.pid" "$DIR/redis/redis.log" redis-server \
      --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no --dir "$DIR/redis"
    wait_until 30 redis_ready_or_exited || true
    redis_running && redis_pong "$REDIS_PORT" && break
    tail -20 "$DIR/redis/redis.log" | grep -q "Address already in use" ||
      die "redis-server did not start; log:"$'\n'"$(tail -20 "$DIR/redis/redis.log")"
    REDIS_PORT=""
    ((attempt < 5)) || die "redis-server found no free port"
  done
  echo "redis     started on 127.0.0.1:$REDIS_PORT"
}

redis_stop() {
  if ! redis_running; then
    echo "redis     not running"
    return 0
  fi
  stop_pid "$DIR/redis/redis.pid" redis-server
  echo "redis     stopped"
}

# --- commands --------------------------------------------------------------------------

cmd_start() {
  mkdir -p "$DIR"
  load_ports
  if pg_running && nats_running && redis_running && [[ -f "$DIR/env" ]]; then
    echo "already running ($DIR):" >&2
    cat "$DIR/env"
    return 0
  fi
  pg_start
  save_ports
  nats_start
  save_ports
  redis_start
  save_ports
  write_env
  echo "environment in $DIR/env; load it with: eval \"\$(scripts/servers.sh env $DIR)\"" >&2
  cat "$DIR/env"
}

cmd_env() {
  [[ -f "$DIR/env" ]] || die "no servers in $DIR; run: scripts/servers.sh start"
  cat "$DIR/env"
}

cmd_status() {
  load_ports
  local all=0
  if pg_running; then echo "postgres  running  127.0.0.1:$PG_PORT"; else echo "postgres  stopped"; all=3; fi
  if nats_running; then echo "nats      running  127.0.0.1:$NATS_PORT (monitoring $NATS_MONITOR_PORT)"; else echo "nats      stopped"; all=3; fi
  if redis_running; then echo "redis     running  127.0.0.1:$REDIS_PORT"; else echo "redis     stopped"; all=3; fi
  return $all
}

cmd_stop() {
  load_ports
  pg_stop
  nats_stop
  redis_stop
}

cmd_logs() {
  local log
  for log in "$DIR/pg/postgres.log" "$DIR/nats/nats.log" "$DIR/redis/redis.log"; do
    echo "==> $log <=="
    if [[ -f "$log" ]]; then tail -n "${LINES_SHOWN:-30}" "$log"; else echo "(none)"; fi
  done
}

main() {
  local command=${1:-}
  [[ -n "$command" ]] || { usage >&2; exit 1; }
  local dir=${2:-${HERALD_SERVERS_DIR:-./tmp/servers}}
  if [[ "$command" == start ]]; then mkdir -p "$dir" || die "cannot create $dir"; fi
  # Absolute, so the env file and pg_ctl work from any directory.
  DIR=$(cd "$dir" 2>/dev/null && pwd) || DIR=$(realpath -m "$dir")
  case "$command" in
    start) cmd_start ;;
    env) cmd_env ;;
    status) cmd_status ;;
    stop) cmd_stop ;;
    logs) cmd_logs ;;
    -h | --help | help) usage ;;
    *) usage >&2; exit 1 ;;
  esac
}

main "$@"
