#!/bin/sh
# Runs a command with every test server up and inside keyring.sh, then stops the servers; exits with the command's status.
# usage: with-servers.sh <command...>   (the command sees MAILROOM_FIXTURES and MAILROOM_SERVERS=<servers.json>)
# Nested calls (MAILROOM_SERVERS_UP=1 already set) just run the command.
#
# MAILROOM_SERVER_SETS=N (default 1; test/run.sh asks for 2) starts N independent sets of servers, so that N vitest workers can run
# integration files side by side, each against a set of its own (test/support/server-set.ts picks it by
# VITEST_POOL_ID). Set 1 is $MAILROOM_FIXTURES on the usual ports; set K is $MAILROOM_FIXTURES/setK on those
# ports plus 500*(K-1), sharing set 1's CA (Node reads NODE_EXTRA_CA_CERTS once) but issuing its own certificates.
set -eu
. "$(dirname -- "$0")/lib.sh"

[ $# -gt 0 ] || die "usage: with-servers.sh <command...>"
export MAILROOM_SERVERS="$F/servers.json"
if [ "${MAILROOM_SERVERS_UP:-0}" = 1 ]; then exec "$@"; fi

sets=${MAILROOM_SERVER_SETS:-1}
case $sets in '' | *[!0-9]* | 0) die "MAILROOM_SERVER_SETS must be a whole number from 1" ;; esac

PORT_VARS='IMAP_PORT IMAPS_PORT LMTP_PORT MANAGESIEVE_PORT DNS_PORT SMTP_PORT CYRUS_IMAP_PORT CYRUS_IMAPS_PORT'
# Set K's folder and its ports file: every port of set 1 (the environment's, else the scripts' defaults) + 500*(K-1).
set_dir() { printf '%s/set%s\n' "$F" "$1"; }
write_set() {
  _dir=$(set_dir "$1")
  _off=$((500 * ($1 - 1)))
  mkdir -p "$_dir/ca/issued"
  ln -sf "$F/ca/ca.pem" "$_dir/ca/ca.pem"
  ln -sf "$F/ca/ca-key.pem" "$_dir/ca/ca-key.pem"
  {
    printf ': "${IMAP_PORT:=%s}"\n' $((${IMAP_PORT:-10143} + _off))
    printf ': "${IMAPS_PORT:=%s}"\n' $((${IMAPS_PORT:-10993} + _off))
    printf ': "${LMTP_PORT:=%s}"\n' $((${LMTP_PORT:-10024} + _off))
    printf ': "${MANAGESIEVE_PORT:=%s}"\n' $((${MANAGESIEVE_PORT:-14190} + _off))
    printf ': "${DNS_PORT:=%s}"\n' $((${DNS_PORT:-5300} + _off))
    printf ': "${SMTP_PORT:=%s}"\n' $((${SMTP_PORT:-10025} + _off))
    printf ': "${CYRUS_IMAP_PORT:=%s}"\n' $((${CYRUS_IMAP_PORT:-11143} + _off))
    printf ': "${CYRUS_IMAPS_PORT:=%s}"\n' $((${CYRUS_IMAPS_PORT:-11993} + _off))
  } >"$_dir/ports.env"
  printf '%s\n' "$_dir"
}
stop_sets() {
  _k=2
  while [ "$_k" -le "$sets" ]; do
    if [ -f "$(set_dir "$_k")/ports.env" ]; then (unset $PORT_VARS; MAILROOM_FIXTURES=$(set_dir "$_k") sh "$SERVERS_DIR/stop-all.sh") || true; fi
    _k=$((_k + 1))
  done
  sh "$SERVERS_DIR/stop-all.sh" || true
}

trap 'rc=$?; trap - EXIT; stop_sets; exit "$rc"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

sh "$SERVERS_DIR/start-all.sh"
k=2
while [ "$k" -le "$sets" ]; do
  dir=$(write_set "$k")
  (unset $PORT_VARS; MAILROOM_FIXTURES=$dir sh "$SERVERS_DIR/start-all.sh")
  export "MAILROOM_FIXTURES_$k=$dir"
  k=$((k + 1))
done
export MAILROOM_SERVER_SETS="$sets" MAILROOM_SERVERS_UP=1
rc=0
run_child direct sh "$SERVERS_DIR/keyring.sh" "$@" || rc=$?
exit "$rc"
