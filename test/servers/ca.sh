#!/bin/sh
# Test CA: `ca.sh [init]` creates $MAILROOM_FIXTURES/ca/ca.pem once; `ca.sh issue NAME SAN...` issues a server cert signed by it.
#
#   ca.sh init                      -> prints the CA certificate path (ca/ca.pem; its key is ca/ca-key.pem)
#   ca.sh issue NAME SAN...         -> prints two lines: cert path, key path (ca/issued/NAME.pem, NAME-key.pem)
#
# SAN items are `DNS:name`, `IP:addr`, or a bare name/address (classified automatically).
# The CN is the first DNS name, because isync 1.4 checks only the CN. An existing
# cert is reused while its SAN list, its CA and its validity (> 1 day left) still hold.
set -eu
. "$(dirname -- "$0")/lib.sh"

CA_DIR=$F/ca
CA_CERT=$CA_DIR/ca.pem
CA_KEY=$CA_DIR/ca-key.pem

ca_init() {
  if [ -s "$CA_CERT" ] && [ -s "$CA_KEY" ] && openssl x509 -in "$CA_CERT" -noout -checkend 86400 >/dev/null 2>&1; then
    return 0
  fi
  mkdir -p "$CA_DIR/issued"
  tmp=$(mktemp -d "$CA_DIR/.new.XXXXXX")
  # own minimal config, so the system openssl.cnf cannot add or duplicate extensions
  cat >"$tmp/ca.cnf" <<'EOF'
[req]
distinguished_name = dn
x509_extensions = v3_ca
prompt = no
[dn]
CN = Mailroom Test CA
O = Mailroom tests
[v3_ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
EOF
  (umask 077 && openssl req -x509 -config "$tmp/ca.cnf" -newkey rsa:2048 -nodes -days 3650 \
    -keyout "$tmp/ca-key.pem" -out "$tmp/ca.pem" 2>/dev/null)
  chmod 644 "$tmp/ca.pem"
  mv -f "$tmp/ca-key.pem" "$CA_KEY"
  mv -f "$tmp/ca.pem" "$CA_CERT"
  rm -rf "$tmp" "$CA_DIR/issued"/*
}

issue() {
  name=$1
  shift
  [ $# -gt 0 ] || die "usage: ca.sh issue NAME SAN..."
  case $name in '' | */* | .*) die "bad cert name: $name" ;; esac
  san='' cn=''
  for item in "$@"; do
    case $item in
      DNS:* | IP:* | email:* | URI:*) ;;
      *:*) item=IP:$item ;;        # bare IPv6 address
      *[!0-9.]*) item=DNS:$item ;;
      *) item=IP:$item ;;          # bare IPv4 address
    esac
    case $item in DNS:*) [ -n "$cn" ] || cn=${item#DNS:} ;; esac
    san=${san:+$san, }$item
  done
  [ -n "$cn" ] || cn=$name
  cert=$CA_DIR/issued/$name.pem
  key=$CA_DIR/issued/$name-key.pem
  if [ -s "$cert" ] && [ -s "$key" ] && [ "$(cat "$CA_DIR/issued/$name.san" 2>/dev/null)" = "$san" ] &&
    [ ! "$CA_CERT" -nt "$cert" ] && openssl x509 -in "$cert" -noout -checkend 86400 >/dev/null 2>&1; then
    printf '%s\n%s\n' "$cert" "$key"
    return 0
  fi
  tmp=$(mktemp -d "$CA_DIR/.issue.XXXXXX")
  cat >"$tmp/ext.cnf" <<EOF
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth, clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid, issuer
subjectAltName = $san
EOF
  (umask 077 && openssl req -new -newkey rsa:2048 -nodes -subj "/CN=$cn" \
    -keyout "$tmp/key.pem" -out "$tmp/req.csr" 2>/dev/null)
  openssl x509 -req -in "$tmp/req.csr" -CA "$CA_CERT" -CAkey "$CA_KEY" \
    -set_serial "0x$(openssl rand -hex 16)" -days 365 -extfile "$tmp/ext.cnf" -out "$tmp/cert.pem" 2>/dev/null
  chmod 644 "$tmp/cert.pem"
  mv -f "$tmp/key.pem" "$key"
  mv -f "$tmp/cert.pem" "$cert"
  printf '%s\n' "$san" >"$CA_DIR/issued/$name.san"
  rm -rf "$tmp"
  printf '%s\n%s\n' "$cert" "$key"
}

cmd=${1:-init}
[ $# -eq 0 ] || shift
case $cmd in
  init) ca_init && printf '%s\n' "$CA_CERT" ;;
  issue) ca_init && issue "$@" ;;
  *) die "usage: ca.sh [init] | ca.sh issue NAME SAN..." ;;
esac
