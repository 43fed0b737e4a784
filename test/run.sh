#!/bin/sh
# The whole suite, as CI runs it: typecheck, lint, build, then the unit, integration and
# end-to-end projects against real servers started on loopback (Dovecot, Knot, Postfix when
# root, gnome-keyring in a private D-Bus session). Called by `npm test` with Node 24 on PATH.
set -eu
cd "$(dirname "$0")/.."
step() { printf '\n== %s\n' "$*"; }
MAILROOM_FIXTURES=$(sh test/servers/fixtures-dir.sh)
export MAILROOM_FIXTURES

step "system packages for the test servers"
sh test/servers/install-packages.sh

step "typecheck (tsc -b)"
node_modules/.bin/tsc -b

step "bundle migrate's modules (as npm run build does)"
node scripts/bundle-migrate.mjs

step "lint (dependency rule and style)"
node_modules/.bin/eslint --max-warnings 0 .

step "build the renderer and the preload"
node_modules/.bin/vite build --config renderer/vite.config.ts --logLevel warn
node_modules/.bin/vite build --config electron/preload/vite.config.ts --logLevel warn

step "unit, integration and end-to-end tests"
# Node reads extra CAs once at start-up, so the test CA must exist before vitest starts.
sh test/servers/ca.sh init >/dev/null
NODE_EXTRA_CA_CERTS="$MAILROOM_FIXTURES/ca/ca.pem"
export NODE_EXTRA_CA_CERTS
# Two sets of servers, so that two vitest workers run the unit and integration files side by side (vitest.config.ts).
MAILROOM_SERVER_SETS=${MAILROOM_SERVER_SETS:-2}
export MAILROOM_SERVER_SETS
results=$(mktemp)
status=0
sh test/servers/with-servers.sh node_modules/.bin/vitest run --reporter=default --reporter=json --outputFile.json="$results" "$@" || status=$?
# Plain closing lines, whatever the reporter printed: the longest files (what to shorten when the run nears
# CI's limit), then "N passed, N failed, N skipped".
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const files = r.testResults.map((f) => [Math.round((f.endTime - f.startTime) / 1000), f.name.slice(process.cwd().length + 1)]);
  for (const [s, name] of files.sort((a, b) => b[0] - a[0]).slice(0, 15)) console.log(`${String(s).padStart(5)} s  ${name}`);
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`);
' "$results" 2>/dev/null || true
rm -f "$results"
exit "$status"
