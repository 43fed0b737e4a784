#!/bin/sh
# Installs the Debian packages the test servers need (apt, sudo when not root); returns at once when all are present.
#
# Services are never started by the install (a temporary policy-rc.d refuses them), and Postfix is
# preseeded "No configuration", so /etc/postfix gets no main.cf and nothing listens on port 25.
# libnet-ssleay-perl lets swaks speak STARTTLS (it is only a Recommends of swaks).
# PHP and its database extensions run the real PostfixAdmin (test/servers/postfixadmin.sh), whose
# Debian package is only downloaded and unpacked: installing it would pull in a web server.
# Cyrus IMAP (test/servers/cyrus.sh) is unpacked the same way, since cyrus-imapd conflicts with
# dovecot-imapd; the libraries it links against and sasl2-bin (saslpasswd2) are installed here.
# Radicale is the real CalDAV/CardDAV server the calendar and contact copies are judged by
# (test/support/radicale.ts starts one per test file on a loopback port).
# poppler-utils (pdftotext) reads back the text of the monthly report PDF that Chromium prints.
set -eu
HERE=$(dirname -- "$0")

PACKAGES="dovecot-core dovecot-imapd dovecot-lmtpd dovecot-managesieved dovecot-sieve dovecot-sqlite dovecot-mysql dovecot-pgsql
  knot knot-dnsutils dnsutils openssl gnome-keyring dbus dbus-x11 libsecret-tools chromium isync
  postfix postfix-sqlite postfix-mysql postfix-pgsql swaks libnet-ssleay-perl sqlite3 python3 make g++ xvfb
  php-cli php-mysql php-pgsql php-sqlite3 php-mbstring
  sasl2-bin libsasl2-modules libical3 libpcre3 libxapian30 libzephyr4
  radicale poppler-utils"

command -v dpkg-query >/dev/null 2>&1 || { echo "install-packages.sh: not a Debian system; install: $PACKAGES" >&2; exit 1; }

# shellcheck disable=SC2086 # word splitting of the package list is intended
installed=$(dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' $PACKAGES 2>/dev/null | awk '/^ii/ { print $2 }' || true)
missing=''
for p in $PACKAGES; do
  printf '%s\n' "$installed" | grep -qx "$p" || missing="$missing $p"
done
SUDO=''
# Sets SUDO when not root; $1 names what needs root.
need_root() {
  [ "$(id -u)" != 0 ] || return 0
  command -v sudo >/dev/null 2>&1 || { echo "install-packages.sh: need root or sudo for:$1" >&2; exit 1; }
  SUDO=sudo
}

if [ -z "$missing" ]; then
  # every package is there; a fresh checkout still needs the unpacked PostfixAdmin and Cyrus (fixtures are not committed)
  sh "$HERE/postfixadmin.sh" unpack 2>/dev/null && sh "$HERE/cyrus.sh" unpack 2>/dev/null && exit 0
  need_root ' apt-get update (to download postfixadmin and cyrus-imapd)'
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  sh "$HERE/postfixadmin.sh" unpack
  exec sh "$HERE/cyrus.sh" unpack
fi
need_root "$missing"
echo "install-packages.sh: installing$missing" >&2

POLICY=/usr/sbin/policy-rc.d
own_policy=no
if [ ! -e "$POLICY" ]; then
  # exit 101 = "action forbidden": invoke-rc.d then starts no daemon during the install
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$POLICY" >/dev/null
  $SUDO chmod 755 "$POLICY"
  own_policy=yes
fi
trap '[ "$own_policy" = no ] || $SUDO rm -f "$POLICY"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo 'postfix postfix/main_mailer_type select No configuration' | $SUDO debconf-set-selections
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
# shellcheck disable=SC2086 # word splitting of the package list is intended
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
  -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold $missing
sh "$HERE/postfixadmin.sh" unpack
sh "$HERE/cyrus.sh" unpack
