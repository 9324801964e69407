#!/usr/bin/env bash
# Installs the reference JavaScript clients the tests use (graphql-ws, graphql,
# standardwebhooks, graphql-http) into tools/node, from the npm registry. Node.js
# and npm come with the machine; Debian's nodejs/npm packages are not used.
set -euo pipefail
cd "$(dirname "$0")/../tools/node" 2>/dev/null || exit 0
if ! command -v npm >/dev/null; then
  echo "herald: npm not found; the tests that drive the JavaScript reference clients need Node.js 20" >&2
  exit 1
fi
if [[ ! -d node_modules ]] || [[ package.json -nt node_modules ]]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
