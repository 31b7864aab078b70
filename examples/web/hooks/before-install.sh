#!/usr/bin/env bash
# The example app needs Node.js 18 or newer on the host.
set -euo pipefail
if ! command -v node >/dev/null; then
  echo "node is not installed on this host; install Node.js 18 or newer" >&2
  exit 1
fi
echo "using node $(node --version)"
