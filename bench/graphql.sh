#!/usr/bin/env bash
# GraphQL mutations over HTTP against `herald run`: builds herald and graphql_bench in
# Release (HERALD_BENCH_BUILD, default build/bench-graphql) and runs the benchmark, which starts
# its own PostgreSQL (fsync on) and nats-server and prints a markdown table.
#
#   bench/graphql.sh [--no-build] [--seconds S] [--connections N] [--no-fsync]
#
# With --no-build, HERALD_BINARY may name any herald binary to measure.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD_DIR=${HERALD_BENCH_BUILD:-$ROOT/build/bench-graphql}
build=1
args=()
for arg in "$@"; do
  if [[ "$arg" == --no-build ]]; then build=0; else args+=("$arg"); fi
done
if ((build)); then
  cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release -DHERALD_BENCH=ON >/dev/null
  cmake --build "$BUILD_DIR" -j 2 --target herald graphql_bench
fi
export HERALD_BINARY=${HERALD_BINARY:-$BUILD_DIR/herald}
echo "herald: $HERALD_BINARY ($(cd "$ROOT" && git rev-parse --short HEAD)$(cd "$ROOT" && git diff --quiet HEAD -- src || echo '+local changes'))"
"$BUILD_DIR/bench/graphql_bench" "${args[@]}"
