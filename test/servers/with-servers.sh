#!/bin/sh
# Runs a command with every test server up and inside keyring.sh, then stops the servers; exits with the command's status.
# usage: with-servers.sh <command...>   (the command sees MAILROOM_FIXTURES and MAILROOM_SERVERS=<servers.json>)
# Nested calls (MAILROOM_SERVERS_UP=1 already set) just run the command.
set -eu
. "$(dirname -- "$0")/lib.sh"

[ $# -gt 0 ] || die "usage: with-servers.sh <command...>"
export MAILROOM_SERVERS="$F/servers.json"
if [ "${MAILROOM_SERVERS_UP:-0}" = 1 ]; then exec "$@"; fi

trap 'rc=$?; trap - EXIT; sh "$SERVERS_DIR/stop-all.sh" || true; exit "$rc"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

sh "$SERVERS_DIR/start-all.sh"
export MAILROOM_SERVERS_UP=1
rc=0
run_child direct sh "$SERVERS_DIR/keyring.sh" "$@" || rc=$?
exit "$rc"
