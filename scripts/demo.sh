#!/usr/bin/env bash
# herald's demo, from nothing: installs what herald needs, builds it, starts a
# throwaway PostgreSQL, NATS and Redis on free loopback ports, and runs herald on
# examples/fraiseql.toml. Everything it starts is stopped when it ends (Ctrl-C too).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

bash scripts/install-deps.sh

echo "== building herald (build/release)"
cmake -S "$root" -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DHERALD_BENCH=OFF >/dev/null
cmake --build build/release -j "$(nproc)" --target herald
herald=$root/build/release/herald

servers_dir=$root/tmp/demo-servers
trap 'bash scripts/servers.sh stop "$servers_dir" >/dev/null 2>&1 || true' EXIT
echo "== starting PostgreSQL, NATS and Redis"
bash scripts/servers.sh start "$servers_dir"
# shellcheck disable=SC1091
source "$servers_dir/env"

export BILLING_WEBHOOK_URL=${BILLING_WEBHOOK_URL:-http://127.0.0.1:9/unused-in-this-demo}
export BILLING_WEBHOOK_SECRET=${BILLING_WEBHOOK_SECRET:-whsec_ZGVtby1zZWNyZXQ=}

echo
echo "== herald check -c examples/fraiseql.toml"
"$herald" check -c examples/fraiseql.toml
