# Shared helpers for the test server scripts; sourced, never run (sets F, SVC_USER, as_svc, wait_tcp...).

# dovecot, knotd, postfix and runuser live in sbin, which a normal user's PATH lacks on Debian
PATH=$PATH:/usr/sbin:/sbin
export PATH
SERVERS_DIR=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd)
REPO_DIR=$(CDPATH='' cd -- "$SERVERS_DIR/../.." && pwd)
if [ -z "${MAILROOM_FIXTURES:-}" ]; then
  # As root the servers run as nobody, who cannot enter a checkout in a private (0700) home, so
  # the fixtures default to a world-traversable folder of their own under /tmp, one per checkout.
  MAILROOM_FIXTURES=/tmp/mailroom-fixtures-$(id -u)-$(printf %s "$REPO_DIR" | cksum | cut -d' ' -f1)
fi
F=$MAILROOM_FIXTURES
mkdir -p "$F"
# A folder in /tmp that someone else made first could be theirs to read or swap out.
[ -O "$F" ] || { printf '%s: %s belongs to another user; set MAILROOM_FIXTURES\n' "${0##*/}" "$F" >&2; exit 1; }
[ "$(id -u)" != 0 ] || chmod 755 "$F"
F=$(CDPATH='' cd -- "$F" && pwd)
export MAILROOM_FIXTURES="$F"
# A second server set (with-servers.sh) keeps its ports beside its fixtures, as defaults that the caller's
# environment overrides (a per-test Cyrus on ports of its own): a script run against that folder reaches that set.
if [ -f "$F/ports.env" ]; then . "$F/ports.env"; fi

# Seed accounts, "address:password", shared by Dovecot, the Postfix maps and servers.json.
SEED_USERS="user1@example.test:pass1 user2@example.test:pass2 user3@example.test:pass3 user4@example.test:pass4 migrate-src@example.test:migrate migrate-dst@example.test:migrate"
SEED_DOMAIN=example.test

IS_ROOT=no
if [ "$(id -u)" = 0 ]; then
  IS_ROOT=yes
  SVC_USER=nobody
  SVC_GROUP=nogroup
else
  SVC_USER=$(id -un)
  SVC_GROUP=$(id -gn)
fi

log() { printf '%s: %s\n' "${0##*/}" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# Runs a command as the service account (root: via runuser, from / so the caller's cwd never matters).
as_svc() {
  if [ "$IS_ROOT" = yes ]; then
    (cd / && runuser -u "$SVC_USER" -- "$@")
  else
    "$@"
  fi
}

# Prints the JSON argv prefix for as_svc, e.g. "/usr/sbin/runuser","-u","nobody","--",
svc_argv_json() {
  if [ "$IS_ROOT" = yes ]; then printf '"%s","-u","%s","--",' "$(command -v runuser)" "$SVC_USER"; fi
}

# Fails with a hint when a server binary is missing.
need() {
  for _b in "$@"; do
    command -v "$_b" >/dev/null 2>&1 || die "$_b is not installed; run test/servers/install-packages.sh"
  done
}

# Gives the service account the tree, and fails early when it cannot reach it (e.g. a repo under /root).
give_to_svc() {
  [ "$IS_ROOT" = yes ] || return 0
  chown -R "$SVC_USER:$SVC_GROUP" "$@"
  for p in "$@"; do
    as_svc test -r "$p" && as_svc test -x "$p" ||
      die "$SVC_USER cannot reach $p; put the fixtures somewhere world-traversable, e.g. MAILROOM_FIXTURES=/tmp/mailroom-fixtures"
  done
}

# Directory for unix sockets: $2 (under $F) unless a long $F would push socket paths past the
# 108-byte sun_path limit; then a per-fixture directory in $TMPDIR, named $1.
run_dir() {
  if [ "${#F}" -le 60 ]; then
    printf '%s\n' "$2"
  else
    printf '%s/mailroom-%s/%s\n' "${TMPDIR:-/tmp}" "$(printf %s "$F" | cksum | cut -d' ' -f1)" "$1"
  fi
}

# True when pid $1 exists and is not a zombie (a killed daemon's zombie lingers until init reaps it).
running() {
  case $(ps -o stat= -p "$1" 2>/dev/null) in '' | Z*) return 1 ;; esac
}

# True when the pid in file $1 is running and its command name is $2 (guards against recycled pids).
pid_alive() {
  [ -s "$1" ] || return 1
  _pid=$(tr -d ' \n' <"$1" 2>/dev/null) || return 1
  case $_pid in '' | *[!0-9]*) return 1 ;; esac
  running "$_pid" && [ "$(cat "/proc/$_pid/comm" 2>/dev/null)" = "$2" ]
}

# Waits up to 5 s for pid_alive $1 $2 (a daemon writes its pid file just after forking).
wait_pid() {
  _n=50
  until pid_alive "$1" "$2"; do
    _n=$((_n - 1))
    [ "$_n" -gt 0 ] || return 1
    sleep 0.1
  done
}

# Waits (up to $2 tenths of a second, default 50) until pid $1 has exited.
wait_gone() {
  _n=${2:-50}
  while running "$1"; do
    _n=$((_n - 1))
    [ "$_n" -gt 0 ] || return 1
    sleep 0.1
  done
}

# Stops the daemon whose pid is in file $1 with command name $2: TERM, wait, then KILL.
stop_pidfile() {
  pid_alive "$1" "$2" || return 0
  _p=$_pid
  kill "$_p" 2>/dev/null || true
  wait_gone "$_p" 50 || { kill -9 "$_p" 2>/dev/null || true; wait_gone "$_p" 20 || true; }
}

# True when host $1 port $2 accepts TCP; bash's /dev/tcp keeps this free of nc/python.
tcp_open() {
  timeout 1 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$1" "$2" 2>/dev/null
}

# Polls tcp_open for up to $3 tenths of a second (default 50 = 5 s).
wait_tcp() {
  _n=${3:-50}
  until tcp_open "$1" "$2"; do
    _n=$((_n - 1))
    [ "$_n" -gt 0 ] || return 1
    sleep 0.1
  done
}

# JSON string literal for $1 (escapes backslash and double quote; our paths hold no control characters).
json_str() {
  printf '"%s"' "$(printf %s "$1" | sed 's/\\/\\\\/g; s/"/\\"/g')"
}

# Sends signal $1 to pid $2 and to all its descendants (daemons that detached are no longer among them).
signal_tree() {
  for _c in $(ps -o pid= --ppid "$2" 2>/dev/null); do signal_tree "$1" "$_c"; done
  kill -s "$1" "$2" 2>/dev/null || true
}

# Runs "$@" as a child that keeps our stdin, waits for it and returns its status. sh defers a trap
# until the foreground command ends, so without this a TERM would wait for the whole test run;
# here TERM/INT go on to the child ($1 = child: it passes them on itself) or its whole tree ($1 = tree).
run_child() {
  _mode=$1
  shift
  # an asynchronous command gets /dev/null as stdin first, so hand it ours through fd 3
  exec 3<&0
  "$@" 0<&3 3<&- &
  _child=$!
  exec 3<&-
  if [ "$_mode" = tree ]; then _sig=signal_tree; else _sig='kill -s'; fi
  trap '$_sig TERM "$_child" 2>/dev/null' TERM
  trap '$_sig INT "$_child" 2>/dev/null' INT
  while :; do
    _rc=0
    wait "$_child" || _rc=$?
    running "$_child" || break
  done
  trap - TERM INT
  return "$_rc"
}

# Rewrites servers.json after one server changed; start-all/stop-all set MAILROOM_BATCH=1 and do it once.
refresh_servers_json() {
  [ "${MAILROOM_BATCH:-0}" = 1 ] || sh "$SERVERS_DIR/servers-json.sh"
}

# Dovecot's personal namespace with the five special-use folders every test mailbox starts with.
dovecot_namespace() {
  cat <<'CONF'
namespace inbox {
  inbox = yes
  separator = /
  mailbox Sent {
    special_use = \Sent
    auto = subscribe
  }
  mailbox Drafts {
    special_use = \Drafts
    auto = subscribe
  }
  mailbox Trash {
    special_use = \Trash
    auto = subscribe
  }
  mailbox Junk {
    special_use = \Junk
    auto = subscribe
  }
  mailbox Archive {
    special_use = \Archive
    auto = subscribe
  }
}
CONF
}

# A private, throw-away Dovecot of one test (dovecot-oauth.sh, dovecot-stock.sh): everything under $D,
# its sockets in $RUN, its master's pid in $PIDFILE. The settings they share but authentication's,
# under instance name mailroom-$1.
private_dovecot_base() {
  cat <<CONF
protocols = imap
listen = 127.0.0.1
instance_name = mailroom-$1
base_dir = $RUN
state_dir = $D/state
log_path = $D/log/dovecot.log
info_log_path = $D/log/dovecot.log
default_internal_user = $SVC_USER
default_internal_group = $SVC_GROUP
default_login_user = $SVC_USER
first_valid_uid = 1
ssl = yes
ssl_cert = <$D/ssl/cert.pem
ssl_key = <$D/ssl/key.pem
disable_plaintext_auth = no
mail_location = maildir:~/Maildir
mail_fsync = never
CONF
}

# Its users: $D/users (passwd-file, "name@domain:{PLAIN}password::::::"), each one's mail under $D/mail/NAME;
# plain logins (over TLS) without the delay after a failure.
private_dovecot_users() {
  cat <<CONF
auth_mechanisms = plain login
auth_failure_delay = 0s
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $D/users
}
userdb {
  driver = passwd-file
  args = username_format=%u $D/users
  default_fields = home=$D/mail/%u
}
CONF
}

# Its namespace and listener: implicit TLS on 127.0.0.1:$1 only, and no per-IP auth penalty (see dovecot.sh).
private_dovecot_listeners() {
  dovecot_namespace
  cat <<CONF
service imap-login {
  chroot =
  inet_listener imap {
    port = 0
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = $1
    ssl = yes
  }
}
service anvil {
  chroot =
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
CONF
}

private_dovecot_stop() {
  if ! pid_alive "$PIDFILE" dovecot; then rm -rf "$RUN"; return 0; fi
  pid=$_pid
  kill "$pid" 2>/dev/null || true
  # the master's graceful exit waits for its clients; a test is done with them, so do not wait long
  wait_gone "$pid" 20 || { kill -9 -- "-$pid" 2>/dev/null || kill -9 "$pid" 2>/dev/null || true; wait_gone "$pid" 20 || true; }
  rm -rf "$RUN"
}

# Before its dovecot.conf is written: stops an earlier one, makes the folders, and a fixture-CA certificate named $1.
private_dovecot_prepare() {
  need dovecot doveconf openssl
  private_dovecot_stop
  mkdir -p "$D/state" "$D/log" "$D/mail" "$D/ssl" "$RUN"
  _issued=$(sh "$SERVERS_DIR/ca.sh" issue "$1" localhost 127.0.0.1)
  cp "$(printf '%s\n' "$_issued" | sed -n 1p)" "$D/ssl/cert.pem"
  (umask 077 && cp "$(printf '%s\n' "$_issued" | sed -n 2p)" "$D/ssl/key.pem")
}

# Starts it from $D/dovecot.conf and waits until IMAPS port $1 answers.
private_dovecot_launch() {
  : >"$D/log/dovecot.log"
  give_to_svc "$D" "$RUN"
  as_svc doveconf -c "$D/dovecot.conf" -n >/dev/null
  as_svc dovecot -c "$D/dovecot.conf" </dev/null >"$D/log/stderr.log" 2>&1 || { cat "$D/log/stderr.log" >&2; return 1; }
  wait_pid "$PIDFILE" dovecot && wait_tcp 127.0.0.1 "$1" ||
    { tail -n 20 "$D/log/stderr.log" "$D/log/dovecot.log" >&2; private_dovecot_stop; return 1; }
}
