#!/bin/sh
# Builds and starts the console: the Electron app where its runtime is installed, otherwise
# `mailroom serve`, which prints a 127.0.0.1 address to open in a browser.
set -eu
cd "$(dirname "$0")/../.."
node_modules/.bin/vite build --config renderer/vite.config.ts --logLevel warn
# Look for Electron's runtime without require('electron'), which tries to download it.
electron_bin=node_modules/electron/path.txt
if [ -f "$electron_bin" ] && [ -e "node_modules/electron/dist/$(cat "$electron_bin")" ]; then
  node_modules/.bin/tsc -b
  node_modules/.bin/vite build --config electron/preload/vite.config.ts --logLevel warn
  exec node_modules/.bin/electron .
fi
echo "Electron's runtime is not installed here; serving the console to your browser instead." >&2
exec node electron/cli/main.ts serve "$@"
