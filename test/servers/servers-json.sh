#!/bin/sh
# Writes $MAILROOM_FIXTURES/servers.json from the slices the running servers left behind (a stopped server is null).
#
# Shape (paths absolute; "imap", "cyrus", "dns", "smtp" and "doveadm" are null when that server is not running):
# {
#   "fixtures": "/repo/.fixtures",
#   "ca": "/repo/.fixtures/ca/ca.pem",                 // trust this for every TLS listener
#   "serviceUser": "nobody",                            // owner of server files (the caller when not root)
#   "imap": { "host": "127.0.0.1", "port": 10143, "imapsPort": 10993, "lmtpPort": 10024, "managesievePort": 14190,
#             "servername": "localhost", "usersFile": "...", "mailRoot": "...", "config": "...", "log": "..." },
#   "users": [ { "user": "user1@example.test", "password": "pass1" }, ... ],
#   "doveadm": ["runuser", "-u", "nobody", "--", "doveadm", "-c", ".../dovecot.conf"],   // argv prefix
#   "dns": { "host": "127.0.0.1", "port": 5300, "ipv6": true, "zones": ["example.test"],
#            "extraZonesDir": "...", "reload": ["sh", ".../knot.sh", "reload"], "log": "..." },
#   "cyrus": { "host": "127.0.0.1", "port": 11143, "imapsPort": 11993, "separator": ".", "munge8bit": true,
#              "admin": {...}, "users": [...], "sharedFolder": {...}, "useradd": [...], ... },  // cyrus.sh
#   "smtp": { "host": "127.0.0.1", "port": 10025, "starttls": true, "servername": "mail.example.test",
#             "mapsDb": "...", "log": "..." },
#   "issueCert": ["sh", ".../ca.sh", "issue"],          // + NAME SAN...; prints cert and key paths
#   "keyring": ["sh", ".../keyring.sh"]                 // + command...
# }
set -eu
. "$(dirname -- "$0")/lib.sh"

part() { # $1 = slice file, $2 = what to write when it is missing (or vanishes while we read)
  if _part=$(cat "$1" 2>/dev/null) && [ -n "$_part" ]; then printf '%s\n' "$_part"; else printf '%s\n' "$2"; fi
}

out=$F/servers.json
tmp=$out.$$.tmp
trap 'rm -f "$tmp"' EXIT
{
  printf '{\n'
  printf '  "fixtures": %s,\n' "$(json_str "$F")"
  if [ -f "$F/ca/ca.pem" ]; then printf '  "ca": %s,\n' "$(json_str "$F/ca/ca.pem")"; else printf '  "ca": null,\n'; fi
  printf '  "serviceUser": %s,\n' "$(json_str "$SVC_USER")"
  part "$F/dovecot/servers.part" '  "imap": null,
  "users": [],
  "doveadm": null,'
  part "$F/cyrus/servers.part" '  "cyrus": null,'
  part "$F/dns/servers.part" '  "dns": null,'
  part "$F/postfix/servers.part" '  "smtp": null,'
  printf '  "issueCert": ["sh", %s, "issue"],\n' "$(json_str "$SERVERS_DIR/ca.sh")"
  printf '  "keyring": ["sh", %s]\n' "$(json_str "$SERVERS_DIR/keyring.sh")"
  printf '}\n'
} >"$tmp"
mv -f "$tmp" "$out"
