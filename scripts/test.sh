#!/usr/bin/env bash
# Sets everything up and runs herald's whole test suite:
#   1. installs the Debian packages herald needs (scripts/install-deps.sh),
#   2. builds herald and its tests in Release (build/release) and runs every test,
#      unit and integration; the integration tests start their own PostgreSQL,
#      NATS and Redis on free loopback ports and stop them afterwards,
#   3. builds the tests with AddressSanitizer + UndefinedBehaviorSanitizer
#      (build/asan) and runs them again.
# Set HERALD_SKIP_ASAN=1 to skip step 3 while iterating.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
jobs=$(nproc)

bash scripts/install-deps.sh
bash scripts/install-node-tools.sh

configure_and_build() {  # dir, extra cmake args...
  local dir=$1; shift
  cmake -S "$root" -B "$dir" -G Ninja -DHERALD_BENCH=OFF "$@" >/dev/null
  cmake --build "$dir" -j "$jobs"
}

echo "== Release build"
configure_and_build build/release -DCMAKE_BUILD_TYPE=Release
echo "== Release tests"
(cd build/release && ctest --output-on-failure -j "$jobs" --timeout 600)

if [[ "${HERALD_SKIP_ASAN:-0}" != 1 ]]; then
  echo "== ASan+UBSan build"
  configure_and_build build/asan -DCMAKE_BUILD_TYPE=Debug -DHERALD_SANITIZE=ON
  echo "== ASan+UBSan tests"
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  (cd build/asan && ctest --output-on-failure -j "$jobs" --timeout 900)
fi
