#!/bin/bash
# Starts (or stops) two throw-away Dovecot 2.3 instances on loopback for the migration bench:
# "src" on IMAP $SRC_PORT / IMAPS $SRC_PORT+1 and "dst" on $DST_PORT / $DST_PORT+1, under $PAIR_DIR.
# usage: dovecot-pair.sh start|stop|reset-dst   (env: PAIR_DIR=/tmp/mailroom-pair SRC_PORT=21143 DST_PORT=22143)
# Users: bench@example.test / bench on both; any user in $PAIR_DIR/<side>/users (passwd-file) works.
# MAILDIR_VERY_DIRTY_SYNCS=yes (a second, labelled bench scenario; the default stays Dovecot's default, no):
# Dovecot assumes it is the only program touching the Maildir (the usual production setup) and re-reads
# cur/ only when its mtime changes unexpectedly (Dovecot's 10-mail.conf). Restarting with or without it
# keeps the users and their mail.
# DST_MAIL_FORMAT=mdbox|sdbox (default maildir): the target's mail storage only; the source stays Maildir (the benches
# write its files directly). Restarting with another format keeps the users, but their earlier target mail is not seen.
set -eu
PAIR_DIR=${PAIR_DIR:-/tmp/mailroom-pair}
SRC_PORT=${SRC_PORT:-21143}
DST_PORT=${DST_PORT:-22143}
DST_MAIL_FORMAT=${DST_MAIL_FORMAT:-maildir}
case "$DST_MAIL_FORMAT" in
  maildir) DST_MAIL_LOCATION='maildir:~/Maildir' ;;
  mdbox) DST_MAIL_LOCATION='mdbox:~/mdbox' ;;
  sdbox) DST_MAIL_LOCATION='sdbox:~/sdbox' ;;
  *) echo "dovecot-pair.sh: DST_MAIL_FORMAT must be maildir, mdbox or sdbox, not '$DST_MAIL_FORMAT'" >&2; exit 2 ;;
esac
if [ "$(id -u)" = 0 ]; then SVC_USER=nobody SVC_GROUP=nogroup; AS="runuser -u nobody --"; else SVC_USER=$(id -un) SVC_GROUP=$(id -gn); AS=""; fi

conf() { # side port
  d=$PAIR_DIR/$1
  location='maildir:~/Maildir'; [ "$1" = src ] || location=$DST_MAIL_LOCATION
  mkdir -p "$d/run" "$d/state" "$d/log" "$d/mail" "$d/ssl"
  if [ ! -f "$d/ssl/cert.pem" ]; then
    openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=localhost" \
      -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" -keyout "$d/ssl/key.pem" -out "$d/ssl/cert.pem" 2>/dev/null
  fi
  [ -f "$d/users" ] || printf '%s\n' 'bench@example.test:{PLAIN}bench::::::' >"$d/users"
  cat >"$d/dovecot.conf" <<CONF
protocols = imap
listen = 127.0.0.1
instance_name = mailroom-pair-$1
base_dir = $d/run
state_dir = $d/state
log_path = $d/log/dovecot.log
info_log_path = $d/log/dovecot.log
default_internal_user = $SVC_USER
default_internal_group = $SVC_GROUP
default_login_user = $SVC_USER
first_valid_uid = 1
ssl = yes
ssl_cert = <$d/ssl/cert.pem
ssl_key = <$d/ssl/key.pem
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0s
mail_max_userip_connections = 100
mail_location = $location
mail_fsync = never
maildir_very_dirty_syncs = ${MAILDIR_VERY_DIRTY_SYNCS:-no}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $d/users
}
userdb {
  driver = passwd-file
  args = username_format=%u $d/users
  default_fields = home=$d/mail/%u
}
namespace inbox {
  inbox = yes
  separator = /
  mailbox Sent {
    special_use = \\Sent
    auto = subscribe
  }
  mailbox Drafts {
    special_use = \\Drafts
    auto = subscribe
  }
  mailbox Trash {
    special_use = \\Trash
    auto = subscribe
  }
  mailbox Junk {
    special_use = \\Junk
    auto = subscribe
  }
}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = $2
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = $(($2 + 1))
    ssl = yes
  }
}
# Dovecot's default 256 MB address-space limit ends the imap process (error 83, out of memory) when it opens a
# 1,000,000-message Maildir INBOX, as size.ts does; its own log says to raise it.
service imap {
  vsz_limit = 2G
}
service anvil {
  chroot =
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
CONF
  [ -z "$AS" ] || chown -R "$SVC_USER:$SVC_GROUP" "$d"
  chmod 600 "$d/ssl/key.pem" "$d/users"
}

stop_side() {
  pidf=$PAIR_DIR/$1/run/master.pid
  if [ -f "$pidf" ] && kill -0 "$(cat "$pidf")" 2>/dev/null; then
    pid=$(cat "$pidf"); kill "$pid"; n=50
    while kill -0 "$pid" 2>/dev/null && [ $n -gt 0 ]; do sleep 0.1; n=$((n-1)); done
  fi
  rm -f "$pidf"
}

start_side() {
  stop_side "$1"
  conf "$1" "$2"
  $AS doveconf -c "$PAIR_DIR/$1/dovecot.conf" -n >/dev/null
  $AS dovecot -c "$PAIR_DIR/$1/dovecot.conf"
  n=50; while ! (exec 3<>/dev/tcp/127.0.0.1/$2) 2>/dev/null && [ $n -gt 0 ]; do sleep 0.1; n=$((n-1)); done
}

case "${1:-}" in
  start) mkdir -p "$PAIR_DIR"; chmod 755 "$PAIR_DIR"; start_side src "$SRC_PORT"; start_side dst "$DST_PORT" ;;
  stop) stop_side src; stop_side dst ;;
  reset-dst) rm -rf "$PAIR_DIR/dst/mail"/*; ;;
  *) echo "usage: $0 start|stop|reset-dst" >&2; exit 2 ;;
esac
