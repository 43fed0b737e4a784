#!/bin/sh
# Starts Dovecot, Cyrus, Knot and (as root) Postfix side by side, then writes $MAILROOM_FIXTURES/servers.json (shape: servers-json.sh).
set -eu
. "$(dirname -- "$0")/lib.sh"
export MAILROOM_BATCH=1

# create the CA before the parallel starts, which each issue a cert from it
sh "$SERVERS_DIR/ca.sh" init >/dev/null

sh "$SERVERS_DIR/dovecot.sh" start & dovecot=$!
sh "$SERVERS_DIR/knot.sh" start & knot=$!
sh "$SERVERS_DIR/postfix.sh" start & postfix=$!
sh "$SERVERS_DIR/cyrus.sh" start & cyrus=$!

failed=''
wait "$dovecot" || failed="$failed dovecot"
wait "$knot" || failed="$failed knot"
wait "$postfix" || failed="$failed postfix"
wait "$cyrus" || failed="$failed cyrus"

if [ -n "$failed" ]; then
  log "failed to start:$failed; stopping everything"
  sh "$SERVERS_DIR/stop-all.sh"
  exit 1
fi
sh "$SERVERS_DIR/servers-json.sh"
log "servers up; described in $F/servers.json"
