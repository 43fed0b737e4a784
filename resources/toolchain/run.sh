#!/bin/sh
# Runs a command with Node 24 first on PATH and the project's npm dependencies installed.
# usage: resources/toolchain/run.sh <command...>
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
bin=$(sh "$root/resources/toolchain/ensure-node.sh")
PATH="$bin:$PATH"
export PATH
# node-gyp reads headers from here instead of downloading them (no network needed).
npm_config_nodedir=$(cd "$bin/.." && pwd)
export npm_config_nodedir
# Electron's binary comes from a host outside the npm registry; the package and its types
# install without it, and the desktop build fetches it on a machine with internet.
ELECTRON_SKIP_BINARY_DOWNLOAD=${ELECTRON_SKIP_BINARY_DOWNLOAD-1}
export ELECTRON_SKIP_BINARY_DOWNLOAD
stamp="$root/node_modules/.mailroom-install"
abi=$(node -p process.versions.modules)
if [ ! -f "$stamp" ] || [ "$root/package-lock.json" -nt "$stamp" ] || [ "$(cat "$stamp")" != "$abi" ]; then
  (cd "$root" && npm ci --no-audit --no-fund)
  echo "$abi" > "$stamp"
fi
cd "$root"
exec "$@"
