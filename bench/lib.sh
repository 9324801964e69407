# shellcheck shell=bash
# Helpers for bench/capture.sh (sourced; uses its globals: DIR, HERALD, SLOT, READER_SLOT,
# STREAM, PG_BIN, NATS_MONITOR_PORT, DATABASE_URL and the measurement arrays).

HERALD_PID=""
READER_PID=""
LATENCY_PID=""

cleanup() {
  local status=$?
  set +e # everything below runs, whatever fails
  [[ -n "$LATENCY_PID" ]] && kill "$LATENCY_PID" 2>/dev/null
  stop_herald 2>/dev/null || true
  stop_reader 2>/dev/null || true
  if [[ -n "$DIR" && -f "$DIR/ports" ]]; then
    bash "$ROOT/scripts/servers.sh" stop "$DIR" >>"$DIR/servers.log" 2>&1 || true
  fi
  if ((KEEP == 0 && status == 0)) && [[ "$DIR" == /tmp/herald-bench.* ]]; then
    rm -rf "$DIR"
  elif [[ -n "$DIR" ]]; then
    echo "capture.sh: logs and data kept in $DIR" >&2
  fi
}

sql() { # one statement; prints unaligned, tuples only
  "$PG_BIN/psql" -XAtq -v ON_ERROR_STOP=1 "$DATABASE_URL" -c "$1"
}

write_fixtures() {
  cat >"$DIR/schema.sql" <<'EOF'
CREATE TABLE IF NOT EXISTS tb_bench (
  id bigserial PRIMARY KEY,
  payload text NOT NULL,
  amount numeric(12, 2) NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
)
EOF
  # One row per transaction (pgbench runs each script as one autocommit transaction).
  cat >"$DIR/insert.sql" <<'EOF'
\set n random(1, 1000000000)
INSERT INTO tb_bench (payload, amount, created_at) VALUES (md5(:n::text), :n / 100.0, now());
EOF
  cat >"$DIR/batch.sql.in" <<'EOF'
INSERT INTO tb_bench (payload, amount, created_at)
  SELECT md5(g::text), g / 100.0, now() FROM generate_series(1, @ROWS@) AS g;
EOF
  cat >"$DIR/herald.toml" <<EOF
[database]
url = "\${DATABASE_URL}"

[observers]
backend = "nats"
nats_url = "\${NATS_URL}"
subject_prefix = "bench"
stream = "$STREAM"
slot = "$SLOT"
publication = "$SLOT"
batch_window_ms = $BATCH_WINDOW_MS

[[observers]]
table = "tb_bench"
event = "INSERT"
EOF
}

# --- PostgreSQL ------------------------------------------------------------------------

run_pgbench() { # name, pgbench args...: runs it, keeps its output, prints the TPS
  local name=$1
  shift
  "$PG_BIN/pgbench" -n "$@" "$DATABASE_URL" >"$DIR/pgbench-$name.log" 2>&1 ||
    die "pgbench $name failed: $(tail -5 "$DIR/pgbench-$name.log")"
  pgbench_tps "$name"
}

pgbench_tps() { awk '/^tps = / {printf "%.0f\n", $3; exit}' "$DIR/pgbench-$1.log"; }
pgbench_rows() { awk -F': ' '/actually processed/ {print $2; exit}' "$DIR/pgbench-$1.log" | cut -d/ -f1; }

slot_exists() { [[ "$(sql "SELECT count(*) FROM pg_replication_slots WHERE slot_name = '$1'")" == 1 ]]; }

drop_slot() {
  if slot_exists "$1"; then sql "SELECT pg_drop_replication_slot('$1')" >/dev/null; fi
}

slot_active() { [[ "$(sql "SELECT active FROM pg_replication_slots WHERE slot_name = '$1'")" == t ]]; }
slot_inactive() { ! slot_active "$1"; }

slot_lag_bytes() { # bytes of WAL the slot has not confirmed
  sql "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)::bigint
         FROM pg_replication_slots WHERE slot_name = '$1'"
}

wait_slot_reaches() { # slot, lsn, timeout seconds: prints the seconds it took
  local start=$EPOCHREALTIME deadline=$((SECONDS + $3))
  until [[ "$(sql "SELECT confirmed_flush_lsn >= '$2'::pg_lsn FROM pg_replication_slots
                   WHERE slot_name = '$1'")" == t ]]; do
    ((SECONDS < deadline)) || return 1
    sleep 0.05
  done
  awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN{printf "%.2f\n", b-a}'
}

ensure_slot_exists() {
  slot_exists "$SLOT" || "$HERALD" setup -c "$DIR/herald.toml" >>"$DIR/herald.log" 2>&1 ||
    die "herald setup failed: $(tail -5 "$DIR/herald.log")"
}

# --- processes -------------------------------------------------------------------------

process_gone() { ! kill -0 "$1" 2>/dev/null || grep -q '^State:.*Z' "/proc/$1/status" 2>/dev/null; }

wait_until() { # seconds, command...
  local deadline=$((SECONDS + $1))
  shift
  until "$@"; do
    ((SECONDS < deadline)) || return 1
    sleep 0.05
  done
}

start_herald() { # runs herald and waits until it streams from its slot
  setsid "$HERALD" run -c "$DIR/herald.toml" >>"$DIR/herald.log" 2>&1 </dev/null &
  HERALD_PID=$!
  wait_until 30 slot_active "$SLOT" || die "herald did not start streaming: $(tail -5 "$DIR/herald.log")"
}

stop_herald() { # SIGTERM: herald drains and confirms, then exits
  [[ -n "$HERALD_PID" ]] || return 0
  kill -TERM "$HERALD_PID" 2>/dev/null || true
  wait_until 40 process_gone "$HERALD_PID" || kill -KILL "$HERALD_PID" 2>/dev/null || true
  HERALD_PID=""
  wait_until 10 slot_inactive "$SLOT" || true
}

start_reader() { # a bare pgoutput reader on its own slot: the floor any logical consumer pays
  "$PG_BIN/pg_recvlogical" -d "$DATABASE_URL" --slot "$READER_SLOT" --create-slot -P pgoutput
  # -F 1 / -s 1: report the flushed position every second, so the slot's lag shows
  # whether it keeps up (the defaults wait 10 s).
  setsid "$PG_BIN/pg_recvlogical" -d "$DATABASE_URL" --slot "$READER_SLOT" --start \
    -o proto_version=1 -o publication_names="$SLOT" -f /dev/null -F 1 -s 1 \
    >>"$DIR/reader.log" 2>&1 </dev/null &
  READER_PID=$!
  wait_until 30 slot_active "$READER_SLOT" || die "pg_recvlogical did not start: $(tail -5 "$DIR/reader.log")"
}

stop_reader() {
  [[ -n "$READER_PID" ]] || return 0
  kill -TERM "$READER_PID" 2>/dev/null || true
  wait_until 20 process_gone "$READER_PID" || kill -KILL "$READER_PID" 2>/dev/null || true
  READER_PID=""
  wait_until 10 slot_inactive "$READER_SLOT" || true
}

cpu_seconds() { # utime + stime of a process, in seconds
  awk '{sub(/.*\) /, ""); printf "%.2f\n", ($12 + $13) / 100}' "/proc/$1/stat"
}

postgres_cpu_seconds() { # the postmaster, its live children and those it has reaped
  local postmaster pid total
  postmaster=$(head -1 "$DIR/pg/data/postmaster.pid")
  # Backends that ended (pgbench's) count in the postmaster's cutime and cstime.
  total=$(awk '{sub(/.*\) /, ""); printf "%.2f\n", ($12 + $13 + $14 + $15) / 100}' "/proc/$postmaster/stat")
  for pid in $(pgrep -P "$postmaster"); do
    total=$(awk -v t="$total" -v c="$(cpu_seconds "$pid" 2>/dev/null || echo 0)" 'BEGIN{print t+c}')
  done
  echo "$total"
}

commit_latency_percentiles() { # pgbench -l files: "p50 p99" of the client latency, ms
  # Column 3 counts from the scheduled start under -R; column 7 is that schedule lag.
  cat "$@" | awk '{print ($3 - (NF >= 7 ? $7 : 0)) / 1000}' | sort -n |
    awk '{v[NR]=$1} END {if (NR) printf "%.2f %.2f\n", v[int(NR*0.5)+1], v[int(NR*0.99)+1]; else print "0 0"}'
}

memory_kb() { # "VmRSS VmHWM" in KiB
  awk '/^VmRSS:/ {r=$2} /^VmHWM:/ {h=$2} END {print r, h}' "/proc/$1/status"
}

wait_for_file_text() { # file, text, seconds
  wait_until "$3" grep -q "$2" "$1"
}

# --- NATS ------------------------------------------------------------------------------

stream_count() { # messages in the benchmark stream (0 before it exists)
  curl -fsS "http://127.0.0.1:$NATS_MONITOR_PORT/jsz?streams=true" |
    jq --arg s "$STREAM" '[.account_details[]?.stream_detail[]? | select(.name == $s) | .state.messages] | add // 0'
}

wait_stream_count() { # count, timeout seconds: prints "count seconds" when reached or at timeout
  local deadline=$((SECONDS + $2)) count start=$EPOCHREALTIME
  count=$(stream_count)
  while ((count < $1 && SECONDS < deadline)); do
    sleep 0.05
    count=$(stream_count)
  done
  echo "$count $(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN{printf "%.2f", b-a}')"
}
