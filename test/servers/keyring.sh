#!/bin/sh
# Runs a command in a private D-Bus session with an unlocked gnome-keyring (Secret Service); usage: keyring.sh <command...>
#
# Each run gets a fresh keyring under $MAILROOM_FIXTURES/keyring/ (XDG_DATA_HOME), removed afterwards,
# and its own XDG_RUNTIME_DIR so a desktop's running keyring daemon is never reused. dbus-daemon and
# gnome-keyring-daemon end with the command. KEYRING_PW sets the unlock password (default ci-password).
# The warning "dbus-daemon: Failed to set fd limit ... Operation not permitted" is harmless.
set -eu
. "$(dirname -- "$0")/lib.sh"

[ $# -gt 0 ] || die "usage: keyring.sh <command...>"
mkdir -p "$F/keyring"
dir=$(mktemp -d "$F/keyring/run.XXXXXX")
mkdir -m 700 "$dir/data" "$dir/runtime"

cleanup() {
  # normally the daemon exits with the bus; this catches one that never got connected
  if [ -s "$dir/daemon.pid" ]; then
    pid=$(cat "$dir/daemon.pid")
    if running "$pid" && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = gnome-keyring-d ]; then kill "$pid" 2>/dev/null || true; fi
  fi
  rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

unset GNOME_KEYRING_CONTROL DBUS_SESSION_BUS_ADDRESS
export XDG_DATA_HOME="$dir/data" XDG_RUNTIME_DIR="$dir/runtime" KEYRING_PW="${KEYRING_PW:-ci-password}" KEYRING_RUN="$dir"
# The session bus activates nothing: were the daemon to end, D-Bus would otherwise start a locked one in its place
# (/usr/share/dbus-1/services), which can only ask for a password through a prompt that has no display.
cat >"$dir/session.conf" <<'CONF'
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN" "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <keep_umask/>
  <listen>unix:tmpdir=/tmp</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
CONF
rc=0
run_child tree dbus-run-session --config-file="$dir/session.conf" -- sh -c '
    bus() { dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus "org.freedesktop.DBus.$1" "string:org.freedesktop.secrets" 2>/dev/null; }
    # --unlock: a locked keyring would need a prompt, which cannot open without a display
    eval "$(printf %s "$KEYRING_PW" | gnome-keyring-daemon --unlock --components=secrets)"
    export GNOME_KEYRING_CONTROL
    # the daemon answers before it is on the bus; a command that ends first would strand it
    n=50
    until bus NameHasOwner | grep -q "boolean true"; do
      n=$((n - 1)); [ "$n" -gt 0 ] || { echo "keyring.sh: gnome-keyring never joined the bus" >&2; exit 1; }
      sleep 0.1
    done
    bus GetConnectionUnixProcessID | sed -n "s/.*uint32 //p" >"$KEYRING_RUN/daemon.pid"
    # gnome-keyring-daemon has been seen to abort mid-run (a glib trap, twice in full runs with two test workers);
    # with no activation (above), calls fail until it is back. Start it again unlocked on the same keyring files,
    # so the secrets written so far are still there, for as long as the command ($$ after the exec) runs.
    pw=$KEYRING_PW run=$KEYRING_RUN
    (
      while sleep 0.2 && kill -0 $$ 2>/dev/null; do
        pid=$(cat "$run/daemon.pid" 2>/dev/null) || continue
        # gone, or a zombie nobody reaps (the daemon forked away from this shell)
        [ -n "$pid" ] && ! grep -qs "^State:[[:space:]]*[^Z]" "/proc/$pid/status" || continue
        echo "keyring.sh: gnome-keyring-daemon $pid ended; starting it again, unlocked" >&2
        printf %s "$pw" | gnome-keyring-daemon --unlock --components=secrets >/dev/null
        n=50
        until bus NameHasOwner | grep -q "boolean true" || [ "$n" -eq 0 ]; do n=$((n - 1)); sleep 0.1; done
        bus GetConnectionUnixProcessID | sed -n "s/.*uint32 //p" >"$run/daemon.pid"
      done
    ) &
    unset KEYRING_RUN KEYRING_PW pw
    exec "$@"' keyring "$@" || rc=$?
exit "$rc"
