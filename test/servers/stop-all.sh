#!/bin/sh
# Stops every test server started from $MAILROOM_FIXTURES (safe to run when nothing is running) and removes servers.json.
set -eu
. "$(dirname -- "$0")/lib.sh"
export MAILROOM_BATCH=1

sh "$SERVERS_DIR/dovecot.sh" stop & dovecot=$!
sh "$SERVERS_DIR/knot.sh" stop & knot=$!
sh "$SERVERS_DIR/postfix.sh" stop & postfix=$!
sh "$SERVERS_DIR/cyrus.sh" stop-all & cyrus=$!
rc=0
wait "$dovecot" || rc=1
wait "$knot" || rc=1
wait "$postfix" || rc=1
wait "$cyrus" || rc=1

rm -f "$F/servers.json"
# socket directories that had to live outside $F (long fixture paths, see run_dir)
tmp_run=$(run_dir x "$F/x")
case $tmp_run in "$F"/*) ;; *) rm -rf "${tmp_run%/x}" ;; esac
exit "$rc"
