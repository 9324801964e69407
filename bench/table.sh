# shellcheck shell=bash disable=SC2086  # lists of numbers are split into arguments on purpose
# The markdown table bench/capture.sh prints (sourced; reads capture.sh's results).

stats() { # numbers...: "mean min max"
  printf '%s\n' "$@" | awk 'NF {n++; s+=$1; if (n==1 || $1<lo) lo=$1; if (n==1 || $1>hi) hi=$1}
    END {if (n) printf "%.6g %.6g %.6g\n", s/n, lo, hi; else print "0 0 0"}'
}

ratios() { # "x1 x2 .." "y1 y2 ..": the per-round ratios x_i / y_i
  paste <(tr ' ' '\n' <<<"$1" | sed '/^$/d') <(tr ' ' '\n' <<<"$2" | sed '/^$/d') |
    awk '{printf "%.4f ", $1/$2}'
}

num() { printf "%.0f" "$1" | sed -e ':a' -e 's/\([0-9]\)\([0-9]\{3\}\)\($\|,\)/\1,\2\3/' -e 'ta'; }
fixed() { printf "%.${2:-2}f" "$1"; }
verdict() { if awk "BEGIN{exit !($1)}"; then echo "met"; else echo "**missed**"; fi; }

tps_cell() { # list: "mean (min-max)"
  local mean lo hi
  read -r mean lo hi < <(stats $1)
  echo "$(num "$mean") ($(num "$lo")–$(num "$hi"))"
}

ratio_cell() { # per-round ratios: "mean (min-max)"
  local mean lo hi
  read -r mean lo hi < <(stats $1)
  echo "$(fixed "$mean") ($(fixed "$lo")–$(fixed "$hi"))"
}

catchup_row() { # name (rows per transaction)
  local r=${CATCHUP[$1]} n=${CATCHUP_COUNT[$1]} rate ceiling
  rate=$(jq -r --argjson n "$n" '$n / .seconds' <<<"$r")
  ceiling=$(jq -r --argjson n "$n" '2 * $n / (.cpu_s + .pg_cpu_s + .nats_cpu_s)' <<<"$r")
  printf '| catch-up, %s row(s) per transaction (%s rows committed while herald was stopped) | **%s events/s** (%.2f s from start; first event at %.2f s) | ≥ 60,000/s | %s |\n' \
    "$1" "$(num "$n")" "$(num "$rate")" "$(jq -r .seconds <<<"$r")" \
    "$(jq -r .first_message_s <<<"$r")" "$(verdict "$rate >= 60000")"
  printf '| … CPU per event: herald / PostgreSQL / nats-server | %s / %s / %s µs → CPU-bound ceiling on 2 idle cores %s events/s | — | |\n' \
    "$(jq -r --argjson n "$n" '.cpu_s / $n * 1e6 | floor' <<<"$r")" \
    "$(jq -r --argjson n "$n" '.pg_cpu_s / $n * 1e6 | floor' <<<"$r")" \
    "$(jq -r --argjson n "$n" '.nats_cpu_s / $n * 1e6 | floor' <<<"$r")" "$(num "$ceiling")"
}

cpu_model_ratio() { # b or c: mean PG CPU per row in a / (PG + consumer CPU per row)
  local pg_a pg consumer
  read -r pg_a _ < <(stats ${PG_US_ALL[a]})
  read -r pg _ < <(stats ${PG_US_ALL[$1]})
  read -r consumer _ < <(stats ${CONSUMER_US_ALL[$1]})
  awk -v a="$pg_a" -v p="$pg" -v c="$consumer" 'BEGIN{printf "%.2f", a / (p + c)}'
}

mib() { awk -v k="$1" 'BEGIN{printf "%.1f MiB", k/1024}'; }

print_table() {
  local b_over_a c_over_a b_over_c mean_ba mean_bc lat p50 p90 p99 max
  b_over_a=$(ratios "${TPS_ALL[b]}" "${TPS_ALL[a]}")
  c_over_a=$(ratios "${TPS_ALL[c]}" "${TPS_ALL[a]}")
  b_over_c=$(ratios "${TPS_ALL[b]}" "${TPS_ALL[c]}")
  read -r mean_ba _ < <(stats $b_over_a)
  read -r mean_bc _ < <(stats $b_over_c)
  lat=$LATENCY
  p50=$(jq -r .p50_ms <<<"$lat") p90=$(jq -r .p90_ms <<<"$lat")
  p99=$(jq -r .p99_ms <<<"$lat") max=$(jq -r .max_ms <<<"$lat")
  local idle_rss idle_hwm steady_rss steady_hwm peak_catchup
  read -r idle_rss idle_hwm <<<"$IDLE_MEM"
  read -r steady_rss steady_hwm <<<"$STEADY_MEM"
  peak_catchup=$(for k in "${!CATCHUP[@]}"; do jq -r .peak_rss_kb <<<"${CATCHUP[$k]}"; done | sort -n | tail -1)
  local hwm_catchup
  hwm_catchup=$(for k in "${!CATCHUP[@]}"; do jq -r .hwm_kb <<<"${CATCHUP[$k]}"; done | sort -n | tail -1)

  cat <<EOF

## herald capture benchmark ($(date -u +%Y-%m-%dT%H:%MZ))

Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo) RAM, load average at the end $(cut -d' ' -f1-3 /proc/loadavg);
$("$PG_BIN/postgres" --version) (fsync on, wal_level=logical, synchronous_commit on); nats-server $(nats-server --version | awk '{print $2}') (JetStream, file storage);
herald ${HERALD_BENCH_LABEL:-$(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet HEAD -- src 2>/dev/null || echo "+local changes")} Release.
Write tax: pgbench, 4 clients, one single-row INSERT per transaction, $ROUNDS rounds of $TAX_SECONDS s per configuration, interleaved.

| measure | result | target | verdict |
|---|---|---|---|
| (a) INSERT TPS, no slot, no herald | $(tps_cell "${TPS_ALL[a]}") | — | |
| (b) INSERT TPS, herald running (JetStream) | $(tps_cell "${TPS_ALL[b]}") | — | |
| (c) INSERT TPS, bare pg_recvlogical (pgoutput, /dev/null) | $(tps_cell "${TPS_ALL[c]}") | — | |
| write tax, herald: b/a | **$(ratio_cell "$b_over_a")** | ≥ 0.85 | $(verdict "$mean_ba >= 0.85") |
| write tax, bare reader: c/a | $(ratio_cell "$c_over_a") | reference | |
| herald vs bare reader: b/c | $(ratio_cell "$b_over_c") | ≥ 0.95 (within 5%) | $(verdict "$mean_bc >= 0.95") |
| CPU per row: PostgreSQL in a / b / c | $(for k in a b c; do stats ${PG_US_ALL[$k]} | awk '{printf "%.0f", $1}'; [[ $k == c ]] || printf ' / '; done) µs | — | |
| CPU per row: herald + nats-server (b) / pg_recvlogical (c) | $(stats ${CONSUMER_US_ALL[b]} | awk '{printf "%.0f", $1}') / $(stats ${CONSUMER_US_ALL[c]} | awk '{printf "%.0f", $1}') µs | — | |
| write tax from CPU per row, b / c: PG(a) ÷ (PG + consumer) | $(cpu_model_ratio b) / $(cpu_model_ratio c) (what the TPS ratio would be if PostgreSQL were CPU-bound on 2 cores of its own) | ≥ 0.85, within 5% | $(verdict "$(cpu_model_ratio b) >= 0.85 && $(cpu_model_ratio b) >= 0.95 * $(cpu_model_ratio c)") |
| slot lag when pgbench stopped, herald (b) | $(stats ${LAG_ALL[b]} | awk '{printf "max %.0f B", $3}'); every row in the stream ≤ $(stats ${DRAIN_ALL[b]} | awk '{print $3}') s later | near 0 | |
| slot lag when pgbench stopped, reader (c) | $(stats ${LAG_ALL[c]} | awk '{printf "max %.0f B", $3}'); slot at the end position ≤ $(stats ${DRAIN_ALL[c]} | awk '{print $3}') s later | near 0 | |
| herald CPU during (b) | $(stats $HERALD_CPU_ALL | awk '{printf "%.0f%% of a core (%.0f–%.0f)", $1, $2, $3}'); stream holds every row: $STREAM_CHECK | — | |
$(catchup_row "100")
$(catchup_row "1,000")
$(catchup_row "1")
| latency commit → consumer receipt at $(num "$LATENCY_RATE")/s (pgbench -R, measured $(jq -r .rate_per_s <<<"$lat")/s$(awk -v m="$(jq -r .rate_per_s <<<"$lat")" -v r="$LATENCY_RATE" 'BEGIN{if (m < 0.9*r) printf ": PostgreSQL could not commit that fast here, so this ran saturated"}'), $(num "$(jq -r .count <<<"$lat")") events over $LATENCY_SECONDS s) | p50 $(fixed "$p50") ms, p90 $(fixed "$p90") ms, **p99 $(fixed "$p99") ms**, max $(fixed "$max") ms | p99 < 25 ms | $(verdict "$p99 < 25") |
| … of which commit → stored in JetStream (the stream's own timestamp; the ack follows) | p50 $(fixed "$(jq -r .stored_p50_ms <<<"$lat")") ms, p99 $(fixed "$(jq -r .stored_p99_ms <<<"$lat")") ms, max $(fixed "$(jq -r .stored_max_ms <<<"$lat")") ms | — | |
| … PostgreSQL's own commit latency in that run (pgbench client, WAL flush included) | p50 $(cut -d' ' -f1 <<<"$COMMIT_LATENCY") ms, p99 $(cut -d' ' -f2 <<<"$COMMIT_LATENCY") ms | — | |
| herald RSS idle (started, caught up) | $(mib "$idle_rss") (VmHWM $(mib "$idle_hwm")) | bounded | |
| herald RSS during catch-up | peak sampled $(mib "$peak_catchup"), VmHWM $(mib "$hwm_catchup") | bounded | |
| herald RSS after the $(num "$LATENCY_RATE")/s latency run | $(mib "$steady_rss") (VmHWM $(mib "$steady_hwm")) | bounded | |

Command: bench/capture.sh --rounds $ROUNDS --seconds $TAX_SECONDS --catchup-rows $CATCHUP_ROWS --catchup-single-rows $CATCHUP_SINGLE_ROWS --rate $LATENCY_RATE --latency-seconds $LATENCY_SECONDS --batch-window $BATCH_WINDOW_MS
EOF
}
