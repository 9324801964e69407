#!/usr/bin/env bash
# Installs everything herald needs to build, test and run its demo, from Debian's
# packages (and the npm registry for the reference JavaScript clients). Idempotent:
# a second run installs nothing and takes a second or two.
set -euo pipefail

packages=(
  build-essential g++ cmake ninja-build pkg-config git curl ca-certificates
  clang-format clang-tidy
  libpq-dev libnats-dev libhiredis-dev libtomlplusplus-dev libcurl4-openssl-dev
  libboost1.74-dev libboost-system1.74-dev nlohmann-json3-dev libspdlog-dev libfmt-dev
  libcli11-dev libssl-dev libgtest-dev libgmock-dev libbenchmark-dev
  postgresql-15 postgresql-client-15 nats-server redis-server
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  echo "herald: installing ${#missing[@]} Debian packages: ${missing[*]}"
  if [[ $(id -u) -ne 0 ]]; then SUDO=sudo; else SUDO=; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  # The postgresql package would create and start a cluster on 5432; herald's scripts
  # start their own servers on free ports, so the packaged cluster is left alone.
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Debian starts redis-server and may start a PostgreSQL cluster on install; herald never
# uses them, and they are not needed. They are left as they are.
echo "herald: dependencies ready"
