#!/usr/bin/env bash
# herald's demo, from nothing: installs what herald needs, builds it, starts a
# throwaway PostgreSQL, NATS (JetStream) and Redis on free loopback ports, runs
# `herald run` on examples/demo/fraiseql.toml, places and pays orders with GraphQL
# mutations over HTTP, makes a few more writes with psql, and shows the events as they
# arrive on NATS. Everything it starts is stopped when it ends.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

bash scripts/install-deps.sh
bash scripts/install-node-tools.sh

echo "== building herald (build/release)"
cmake -S "$root" -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DHERALD_BENCH=OFF >/dev/null
cmake --build build/release -j "$(nproc)" --target herald
herald=$root/build/release/herald

work=$root/tmp/demo
rm -rf "$work"
mkdir -p "$work"
chmod 755 "$root/tmp" "$work"  # PostgreSQL runs as the postgres user when we are root
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  bash scripts/servers.sh stop "$work/servers" >/dev/null 2>&1 || true
}
trap cleanup EXIT

echo "== starting PostgreSQL, NATS and Redis"
bash scripts/servers.sh start "$work/servers" >/dev/null
# shellcheck disable=SC1091
source "$work/servers/env"
echo "   DATABASE_URL=$DATABASE_URL"
echo "   NATS_URL=$NATS_URL"

sql() { psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -qAt -c "$1"; }
psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -q -f examples/demo/schema.sql

cfg=examples/demo/fraiseql.toml
# GraphQL on a free loopback port (the config reads HERALD_LISTEN).
port=$(node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => {
  console.log(s.address().port); s.close(); })')
export HERALD_LISTEN=127.0.0.1:$port
graphql_url=http://$HERALD_LISTEN/graphql

echo
echo "== herald check -c $cfg"
"$herald" check -c "$cfg"
echo "== herald setup -c $cfg"
"$herald" setup -c "$cfg"

echo
echo "== herald run (log in $work/herald.log), GraphQL on $graphql_url"
"$herald" run -c "$cfg" >"$work/herald.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do
  curl -fsS "http://$HERALD_LISTEN/readyz" >/dev/null 2>&1 && break
  sleep 0.1
done
node tools/node/watch-events.mjs --subject 'fraiseql.>' --count 7 >"$work/events.txt" 2>/dev/null &
watcher=$!
pids+=("$watcher")

graphql() { # a GraphQL request: prints the request and herald's answer
  local body
  body=$(node -e 'console.log(JSON.stringify({query: process.argv[1]}))' "$1")
  echo "   $1"
  echo "   -> $(curl -sS -H 'Content-Type: application/json' -d "$body" "$graphql_url")"
}

echo "== GraphQL mutations over HTTP (POST $graphql_url)"
graphql 'mutation { createOrder(input: {customer: "ada", total: 120.50, items: [{sku: "tea", qty: 3}]}) { id customer total } }'
id=$(sql "SELECT id FROM tb_order WHERE customer = 'ada'")
graphql 'mutation { createOrder(input: {customer: "bob", total: 18}) { id } }'
graphql "mutation { payOrder(id: \"$id\") { id status } }"
graphql 'mutation { payOrder(id: "00000000-0000-0000-0000-000000000000") { id status } }'
echo "   (a failed mutation commits nothing: no event)"
graphql '{ orders(status: "paid") { customer total status createdAt } }'

echo "== more writes to tb_order with psql: herald sees every client"
sql "UPDATE tb_order SET status = status WHERE id = '$id'" >/dev/null
echo "   UPDATE that changes nothing (no event)"
sql "BEGIN; INSERT INTO tb_order (customer, total) VALUES ('eve', 1.00); ROLLBACK;" >/dev/null 2>&1 || true
echo "   INSERT rolled back (no event)"
sql "DELETE FROM tb_order WHERE customer = 'bob'" >/dev/null
echo "   DELETE bob's order"

echo
echo "== events on NATS, as they arrived"
for _ in $(seq 1 100); do
  kill -0 "$watcher" 2>/dev/null || break
  sleep 0.1
done
cat "$work/events.txt"

echo "== herald status"
"$herald" status -c "$cfg"
echo
echo "The demo's servers stop now. To keep going by hand: bash scripts/servers.sh start,"
echo "then eval \"\$(bash scripts/servers.sh env)\" and herald run -c $cfg."
