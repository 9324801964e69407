#!/usr/bin/env bash
# herald's capture benchmark: write tax, catch-up throughput, commit-to-JetStream latency
# and resident memory, printed as one markdown table (bench/README.md explains each row).
#
#   bench/capture.sh [--rounds N] [--seconds S] [--catchup-rows N] [--catchup-single-rows N] [--rate R]
#                    [--latency-seconds S] [--batch-window MS] [--no-build] [--keep] [--dir DIR]
#
# It builds herald in Release (build/bench), starts its own PostgreSQL 15 (fsync on,
# wal_level=logical), nats-server -js and Redis through scripts/servers.sh in a fresh
# directory on free ports, measures, prints the table and stops the servers.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
readonly ROOT
readonly PG_BIN=/usr/lib/postgresql/15/bin
readonly NODE_TOOLS=$ROOT/tools/node
readonly SLOT=herald_bench       # herald's slot and publication
readonly READER_SLOT=bench_reader # pg_recvlogical's slot
readonly STREAM=HERALD_BENCH

ROUNDS=3
TAX_SECONDS=15
CATCHUP_ROWS=200000
CATCHUP_SINGLE_ROWS=40000
LATENCY_RATE=5000
LATENCY_SECONDS=20
LATENCY_WARMUP=5
BATCH_WINDOW_MS=5 # herald's [observers] batch_window_ms
BUILD=1
KEEP=0
DIR=""
BUILD_DIR=${HERALD_BENCH_BUILD:-$ROOT/build/bench}

die() {
  echo "capture.sh: $*" >&2
  exit 1
}
say() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }

while (($#)); do
  case "$1" in
    --rounds) ROUNDS=$2; shift 2 ;;
    --seconds) TAX_SECONDS=$2; shift 2 ;;
    --catchup-rows) CATCHUP_ROWS=$2; shift 2 ;;
    --catchup-single-rows) CATCHUP_SINGLE_ROWS=$2; shift 2 ;;
    --rate) LATENCY_RATE=$2; shift 2 ;;
    --latency-seconds) LATENCY_SECONDS=$2; shift 2 ;;
    --batch-window) BATCH_WINDOW_MS=$2; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    --keep) KEEP=1; shift ;;
    --dir) DIR=$2; shift 2 ;;
    -h | --help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
done

# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
# shellcheck source=bench/table.sh
source "$ROOT/bench/table.sh"

# --- build and servers -----------------------------------------------------------------

if ((BUILD)); then
  say "building herald (Release) in $BUILD_DIR"
  cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release -DHERALD_BENCH=OFF >/dev/null
  cmake --build "$BUILD_DIR" -j2 --target herald >/dev/null
fi
readonly HERALD=$BUILD_DIR/herald
[[ -x "$HERALD" ]] || die "no herald binary at $HERALD (run without --no-build)"
[[ -d "$NODE_TOOLS/node_modules/nats" ]] || die "npm nats missing: run scripts/install-node-tools.sh"

if [[ -z "$DIR" ]]; then DIR=$(mktemp -d /tmp/herald-bench.XXXXXX); fi
mkdir -p "$DIR"
chmod 755 "$DIR" # initdb runs as postgres, which must reach DIR/pg
trap cleanup EXIT
say "servers in $DIR"
# Twice at most: on a busy machine a server now and then misses its start-up wait, and a
# second start (idempotent) starts only what is missing.
bash "$ROOT/scripts/servers.sh" start "$DIR" >"$DIR/servers.log" 2>&1 ||
  bash "$ROOT/scripts/servers.sh" start "$DIR" >>"$DIR/servers.log" 2>&1 ||
  die "servers did not start: $(tail -5 "$DIR/servers.log")"
# shellcheck disable=SC1091
source "$DIR/env"
# shellcheck disable=SC1091
source "$DIR/ports"
export DATABASE_URL NATS_URL

write_fixtures
sql "$(cat "$DIR/schema.sql")" >/dev/null

# --- 1. write tax ----------------------------------------------------------------------

declare -A TPS_ALL=([a]="" [b]="" [c]="")
declare -A LAG_ALL=([b]="" [c]="")
# CPU per committed row, in microseconds: PostgreSQL (all its processes) and the consumer
# (herald + nats-server in b, pg_recvlogical in c). Contention moves these far less than
# it moves TPS, so they give a second reading of the write tax (see table.sh).
declare -A PG_US_ALL=([a]="" [b]="" [c]="")
declare -A CONSUMER_US_ALL=([b]="" [c]="")
declare -A DRAIN_ALL=([b]="" [c]="")
HERALD_CPU_ALL=""
STREAM_CHECK="ok"

tax_run() { # config letter: one pgbench run in that configuration, appends to the lists
  local config=$1 tps lag drain end_lsn rows before after cpu0 cpu1 pg0 pg1 consumer0 consumer1
  drop_slot "$SLOT"
  drop_slot "$READER_SLOT"
  case "$config" in
    b)
      start_herald
      before=$(stream_count)
      cpu0=$(cpu_seconds "$HERALD_PID")
      ;;
    c) start_reader ;;
  esac
  sql "CHECKPOINT" >/dev/null
  pg0=$(postgres_cpu_seconds) consumer0=$(consumer_cpu_seconds "$config")
  tps=$(run_pgbench "tax-$config" -c 4 -j 2 -T "$TAX_SECONDS" -f "$DIR/insert.sql")
  TPS_ALL[$config]+="$tps "
  rows=$(pgbench_rows "tax-$config")
  [[ $config == a ]] && pg1=$(postgres_cpu_seconds)
  case "$config" in
    b)
      # Keeping up, for herald: how far its slot is behind when pgbench stops, and how
      # long until the stream holds every row pgbench inserted. (Its slot's confirmed
      # position passes the WAL written after the last commit only at the next
      # keepalive, up to 10 s later: not a delay of any event.)
      lag=$(slot_lag_bytes "$SLOT")
      cpu1=$(cpu_seconds "$HERALD_PID")
      HERALD_CPU_ALL+="$(awk -v a="$cpu0" -v b="$cpu1" -v s="$TAX_SECONDS" 'BEGIN{printf "%.0f", (b-a)*100/s}') "
      read -r after drain < <(wait_stream_count $((before + rows)) 30)
      if ((after != before + rows)); then
        STREAM_CHECK="MISMATCH: stream grew by $((after - before)), pgbench inserted $rows"
      fi
      pg1=$(postgres_cpu_seconds) consumer1=$(consumer_cpu_seconds b)
      stop_herald
      ;;
    c)
      # pg_recvlogical reports the position it received (keepalives included) every second.
      end_lsn=$(sql "SELECT pg_current_wal_lsn()")
      lag=$(slot_lag_bytes "$READER_SLOT")
      drain=$(wait_slot_reaches "$READER_SLOT" "$end_lsn" 60) ||
        die "slot $READER_SLOT did not reach $end_lsn in 60 s"
      pg1=$(postgres_cpu_seconds) consumer1=$(consumer_cpu_seconds c)
      stop_reader
      ;;
  esac
  if [[ $config != a ]]; then
    LAG_ALL[$config]+="$lag "
    DRAIN_ALL[$config]+="$drain "
    CONSUMER_US_ALL[$config]+="$(per_row_us "$consumer0" "$consumer1" "$rows") "
  fi
  PG_US_ALL[$config]+="$(per_row_us "$pg0" "$pg1" "$rows") "
  say "write tax ($config): $tps TPS${lag:+, lag at end $lag B, caught up ${drain}s later}"
}

consumer_cpu_seconds() { # config letter: CPU seconds of that configuration's consumer
  case "$1" in
    b) awk -v h="$(cpu_seconds "$HERALD_PID")" -v n="$(cpu_seconds "$(<"$DIR/nats/nats.pid")")" 'BEGIN{print h+n}' ;;
    c) cpu_seconds "$READER_PID" ;;
    *) echo 0 ;;
  esac
}

per_row_us() { awk -v a="$1" -v b="$2" -v n="$3" 'BEGIN{printf "%.1f", (b-a)*1e6/n}'; }

say "1. write tax: $ROUNDS rounds x (a, b, c) x $TAX_SECONDS s, order rotated each round"
orders=("a b c" "b c a" "c a b")
for ((round = 0; round < ROUNDS; round++)); do
  for config in ${orders[round % 3]}; do tax_run "$config"; done
done
drop_slot "$READER_SLOT"

# --- 2. catch-up and 4. memory -------------------------------------------------------------

declare -A CATCHUP=()
declare -A CATCHUP_COUNT=()
catchup_variant() { # name, rows per transaction, rows in all
  local name=$1 per_txn=$2 rows=$3 txns clients=4 before result
  txns=$((rows / per_txn))
  ((txns % clients == 0)) || clients=1
  ensure_slot_exists
  before=$(stream_count)
  sed "s/@ROWS@/$per_txn/" "$DIR/batch.sql.in" >"$DIR/batch-$per_txn.sql"
  if ((per_txn == 1)); then cp "$DIR/insert.sql" "$DIR/batch-1.sql"; fi
  say "2. catch-up ($name): committing $rows rows as $txns transactions of $per_txn with herald stopped"
  run_pgbench "load-$name" -c "$clients" -j 2 -t $((txns / clients)) -f "$DIR/batch-$per_txn.sql" >/dev/null
  sql "CHECKPOINT" >/dev/null
  local pg0 nats0 pg1 nats1
  pg0=$(postgres_cpu_seconds) nats0=$(cpu_seconds "$(<"$DIR/nats/nats.pid")")
  result=$(node "$NODE_TOOLS/bench-stream.mjs" catchup --stream "$STREAM" \
    --target $((before + rows)) --log "$DIR/herald.log" -- "$HERALD" run -c "$DIR/herald.toml")
  pg1=$(postgres_cpu_seconds) nats1=$(cpu_seconds "$(<"$DIR/nats/nats.pid")")
  # CPU the three parties spent per event: on a machine nobody else uses, 2 cores divided
  # by their sum is the rate the catch-up could reach (the "CPU-bound ceiling").
  result=$(jq -c --argjson pg "$(awk -v a="$pg0" -v b="$pg1" 'BEGIN{print b-a}')" \
    --argjson nats "$(awk -v a="$nats0" -v b="$nats1" 'BEGIN{print b-a}')" \
    '. + {pg_cpu_s: $pg, nats_cpu_s: $nats}' <<<"$result")
  HERALD_PID=$(jq -r .pid <<<"$result")
  CATCHUP[$name]=$result
  CATCHUP_COUNT[$name]=$rows
  say "   $(jq -c 'del(.pid)' <<<"$result")"
  wait_slot_reaches "$SLOT" "$(sql "SELECT pg_current_wal_lsn()")" 60 >/dev/null || true
  stop_herald
}

# Idle memory: herald started, caught up, nothing to do.
start_herald
sleep 3
IDLE_MEM=$(memory_kb "$HERALD_PID")
stop_herald
catchup_variant "100" 100 "$CATCHUP_ROWS"
catchup_variant "1,000" 1000 "$CATCHUP_ROWS"
# One row per transaction: what each event costs when single-row commits arrive faster
# than herald alone could wake for each (the regime of the write tax at full speed).
catchup_variant "1" 1 "$CATCHUP_SINGLE_ROWS"

# --- 3. latency ----------------------------------------------------------------------------

say "3. latency: $LATENCY_RATE single-row transactions/s, warm-up $LATENCY_WARMUP s, window $LATENCY_SECONDS s"
start_herald
node "$NODE_TOOLS/bench-latency.mjs" --subject 'bench.>' --warmup "$LATENCY_WARMUP" \
  --seconds "$LATENCY_SECONDS" >"$DIR/latency.json" 2>"$DIR/latency.log" &
LATENCY_PID=$!
wait_for_file_text "$DIR/latency.log" subscribed 30 || die "the latency consumer did not subscribe"
# -l: every transaction's client-side latency (statement to commit, WAL flush included),
# the part of the event latency that PostgreSQL's commit itself costs.
run_pgbench latency -c 4 -j 2 -R "$LATENCY_RATE" -T $((LATENCY_WARMUP + LATENCY_SECONDS + 1)) \
  -l --log-prefix="$DIR/pgbench-latency-tx" -f "$DIR/insert.sql" >/dev/null
wait "$LATENCY_PID" || die "the latency consumer failed: $(tail -5 "$DIR/latency.log")"
LATENCY_PID=""
LATENCY=$(<"$DIR/latency.json")
LATENCY_TPS=$(pgbench_tps latency)
COMMIT_LATENCY=$(commit_latency_percentiles "$DIR"/pgbench-latency-tx.*)
STEADY_MEM=$(memory_kb "$HERALD_PID")
stop_herald
say "   $LATENCY (pgbench $LATENCY_TPS TPS)"

print_table
