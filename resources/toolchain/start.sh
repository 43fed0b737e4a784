#!/bin/sh
# Builds and starts the console: the Electron app where its runtime is installed, otherwise
# `mailroom serve`, which prints a 127.0.0.1 address to open in a browser.
set -eu
cd "$(dirname "$0")/../.."
# The renderer is rebuilt only when its sources changed: a checksum of every file the build reads
# (renderer/, shared/, the lockfile) is kept in dist/ and compared at each start.
stamp=dist/.renderer-sources
sources=$(find renderer shared package-lock.json -type f -exec cksum {} + | LC_ALL=C sort -k 3 | cksum)
if [ -f dist/renderer/index.html ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$sources" ]; then
  echo "The renderer is up to date (sources unchanged since the last build)." >&2
else
  node_modules/.bin/vite build --config renderer/vite.config.ts --logLevel warn
  echo "$sources" > "$stamp"
fi
# Look for Electron's runtime without require('electron'), which tries to download it.
electron_bin=node_modules/electron/path.txt
if [ -f "$electron_bin" ] && [ -e "node_modules/electron/dist/$(cat "$electron_bin")" ]; then
  node_modules/.bin/tsc -b
  node_modules/.bin/vite build --config electron/preload/vite.config.ts --logLevel warn
  exec node_modules/.bin/electron .
fi
echo "Electron's runtime is not installed here; serving the console to your browser instead." >&2
# The same port and key as the last start (kept private in the data folder), so a bookmark of the address works.
exec node electron/cli/main.ts serve --keep-session "$@"
