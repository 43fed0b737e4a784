#!/bin/sh
# The real PostfixAdmin (Debian 12's package) as a test judge: unpacks it, builds a site per test run.
#
# usage:
#   postfixadmin.sh unpack                     download (apt-get download) and unpack the package once
#   postfixadmin.sh create DIALECT DIR         new site in DIR for mysql|postgres|sqlite: a fresh database
#                                              (unique name), config.local.php, schema from upgrade.php;
#                                              prints the site as JSON on stdout
#   postfixadmin.sh cli DIR ARGS...            runs the site's scripts/postfixadmin-cli.php
#   postfixadmin.sh pacrypt DIR                reads "password\nstored-hash" on stdin, prints pacrypt()
#                                              (POSTFIXADMIN_ENCRYPT overrides $CONF['encrypt'] for the call)
#   postfixadmin.sh drop DIR                   drops the site's database and removes DIR
#
# The package is unpacked (dpkg-deb -x, so none of its web-server dependencies are installed) into
# POSTFIXADMIN_ROOT, default test/fixtures/postfixadmin (git-ignored). Debian puts the code in
# /usr/share/postfixadmin and the configuration in /etc/postfixadmin, joined by absolute symlinks
# (config.inc.php, config.local.php, templates_c); PHP resolves __FILE__ through symlinks, so each
# site is a copy of usr/share/postfixadmin with Debian's own config.inc.php, a dbconfig.inc.php (what
# Debian's dbconfig-common would write) and our config.local.php as real files next to common.php.
# Databases: MariaDB at 127.0.0.1:${MYSQL_PORT:-3306} as ${MYSQL_USER:-root} without password,
# PostgreSQL at 127.0.0.1:${PGPORT:-5432} as ${PGUSER:-postgres} (trust), SQLite in DIR.
set -eu
. "$(dirname -- "$0")/lib.sh"

ROOT=${POSTFIXADMIN_ROOT:-$REPO_DIR/test/fixtures/postfixadmin}
CODE=$ROOT/usr/share/postfixadmin
MYSQL_PORT=${MYSQL_PORT:-3306}
MYSQL_USER=${MYSQL_USER:-root}
PGPORT=${PGPORT:-5432}
PGUSER=${PGUSER:-postgres}

unpack() {
  [ -f "$CODE/public/upgrade.php" ] && return 0
  need apt-get dpkg-deb
  tmp=$(mktemp -d)
  # _apt cannot write into a private mktemp directory; apt then warns and downloads as the caller
  (cd "$tmp" && apt-get download -qq postfixadmin 2>/dev/null) || die "apt-get download postfixadmin failed (run apt-get update first)"
  mkdir -p "$tmp/tree"
  dpkg-deb -x "$tmp"/postfixadmin_*.deb "$tmp/tree"
  dpkg-deb -f "$tmp"/postfixadmin_*.deb Version >"$tmp/tree/VERSION"
  mkdir -p "$(dirname -- "$ROOT")"
  rm -rf "$ROOT"
  mv "$tmp/tree" "$ROOT"
  rm -rf "$tmp"
  log "unpacked postfixadmin $(cat "$ROOT/VERSION") into $ROOT"
}

# PHP string literal for $1 (single-quoted; escapes backslash and quote).
php_str() {
  printf "'%s'" "$(printf %s "$1" | sed "s/\\\\/\\\\\\\\/g; s/'/\\\\'/g")"
}

# Runs PHP code $1 against the server of dialect $2 (a PDO handle $db on its admin database).
admin_php() {
  case $2 in
    mysql) dsn="mysql:host=127.0.0.1;port=$MYSQL_PORT"; user=$MYSQL_USER ;;
    postgres) dsn="pgsql:host=127.0.0.1;port=$PGPORT;dbname=postgres"; user=$PGUSER ;;
  esac
  php -r "\$db = new PDO($(php_str "$dsn"), $(php_str "$user"), null, [PDO::ATTR_ERRMODE => PDO::ERRMODE_EXCEPTION]); $1"
}

create() {
  [ $# -eq 2 ] || die "usage: postfixadmin.sh create mysql|postgres|sqlite DIR"
  dialect=$1
  dir=$2
  need php
  [ -f "$CODE/public/upgrade.php" ] || die "PostfixAdmin is not unpacked in $ROOT; run test/servers/install-packages.sh"
  name=mr_pfa_$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')
  mkdir -p "$dir"
  dir=$(CDPATH='' cd -- "$dir" && pwd)
  site=$dir/site
  rm -rf "$site"
  cp -R "$CODE" "$site"
  rm -f "$site/config.inc.php" "$site/config.local.php" "$site/templates_c"
  cp "$ROOT/etc/postfixadmin/config.inc.php" "$site/config.inc.php"
  mkdir -p "$site/templates_c"
  case $dialect in
    mysql)
      dbtype=mysqli host=127.0.0.1 port=$MYSQL_PORT user=$MYSQL_USER database=$name
      admin_php "\$db->exec('CREATE DATABASE $name');" "$dialect"
      ;;
    postgres)
      dbtype=pgsql host=127.0.0.1 port=$PGPORT user=$PGUSER database=$name
      admin_php "\$db->exec('CREATE DATABASE $name');" "$dialect"
      ;;
    sqlite)
      dbtype=sqlite host='' port='' user='' database=$dir/postfixadmin.db
      : >"$database"
      # Dovecot's dict (another account) writes quota2 and the journal next to the file
      chmod 0777 "$dir"
      chmod 0666 "$database"
      ;;
    *) die "unknown dialect $dialect (mysql, postgres or sqlite)" ;;
  esac
  printf '<?php\n$dbuser = %s;\n$dbpass = %s;\n$dbname = %s;\n$dbserver = %s;\n$dbport = %s;\n$dbtype = %s;\n' \
    "$(php_str "$user")" "''" "$(php_str "$database")" "$(php_str "$host")" "$(php_str "$port")" "$(php_str "$dbtype")" >"$site/dbconfig.inc.php"
  {
    printf '<?php\n// Written by test/servers/postfixadmin.sh for one test run; everything else is Debian'"'"'s default.\n'
    printf '$CONF['"'"'database_type'"'"'] = %s;\n' "$(php_str "$dbtype")"
    printf '$CONF['"'"'database_name'"'"'] = %s;\n' "$(php_str "$database")"
    if [ "$dialect" != sqlite ]; then
      printf '$CONF['"'"'database_host'"'"'] = %s;\n$CONF['"'"'database_port'"'"'] = %s;\n' "$(php_str "$host")" "$(php_str "$port")"
      printf '$CONF['"'"'database_user'"'"'] = %s;\n$CONF['"'"'database_password'"'"'] = '"''"';\n' "$(php_str "$user")"
    fi
    # the test machine has no DNS for its test domains; everything else stays as Debian ships it
    printf '$CONF['"'"'emailcheck_resolve_domain'"'"'] = '"'NO'"';\n'
    # setup.php refuses the placeholder; the CLI and upgrade.php do not need it
    printf '$CONF['"'"'setup_password'"'"'] = '"'x'"';\n'
    # extra settings for this run, e.g. a hash scheme: POSTFIXADMIN_EXTRA_CONF="\$CONF['encrypt'] = 'sha512.b64';"
    printf '%s\n' "${POSTFIXADMIN_EXTRA_CONF:-}"
  } >"$site/config.local.php"
  printf 'dialect=%s\ndatabase=%s\n' "$dialect" "$database" >"$dir/site.env"
  # upgrade.php is a web page; from the CLI it runs the same numbered upgrades and prints HTML
  out=$(cd "$site/public" && php upgrade.php 2>&1) || failed "upgrade.php failed: $out"
  target=$(printf '%s\n' "$out" | sed -n 's/.*target version: \([0-9]*\).*/\1/p' | head -n1)
  version=$(cd "$site" && php -r 'define("POSTFIXADMIN_CLI", 1); require "common.php"; echo db_query_one("SELECT value FROM " . table_by_key("config") . " WHERE name = ?", ["version"])["value"];') || version=''
  [ -n "$target" ] && [ "$version" = "$target" ] || failed "upgrade.php stopped at revision ${version:-none} of ${target:-?}: $out"
  printf '{"site":%s,"dialect":"%s","database":%s,"host":%s,"port":%s,"user":%s,"version":"%s","package":"%s"}\n' \
    "$(json_str "$site")" "$dialect" "$(json_str "$database")" "$(json_str "$host")" "${port:-null}" "$(json_str "$user")" "$version" "$(cat "$ROOT/VERSION")"
}

# Drops what create made so far (the database, DIR), then fails with $1.
failed() {
  drop "$dir" >/dev/null 2>&1 || true
  die "$1"
}

drop() {
  [ $# -eq 1 ] || die "usage: postfixadmin.sh drop DIR"
  [ -f "$1/site.env" ] || { rm -rf "$1"; return 0; }
  dialect=$(sed -n 's/^dialect=//p' "$1/site.env")
  database=$(sed -n 's/^database=//p' "$1/site.env")
  case $dialect in
    mysql) admin_php "\$db->exec('DROP DATABASE IF EXISTS $database');" mysql ;;
    postgres) admin_php "\$db->exec('DROP DATABASE IF EXISTS $database WITH (FORCE)');" postgres ;;
  esac
  rm -rf "$1"
}

cli() {
  [ $# -ge 1 ] || die "usage: postfixadmin.sh cli DIR ARGS..."
  site=$1/site
  shift
  exec php "$site/scripts/postfixadmin-cli.php" "$@"
}

# pacrypt($password, $stored) as PostfixAdmin's login calls it; secrets come on stdin, never argv.
pacrypt() {
  [ $# -eq 1 ] || die "usage: postfixadmin.sh pacrypt DIR  (stdin: password, newline, stored hash)"
  cd "$1/site"
  exec php -r 'define("POSTFIXADMIN_CLI", 1); require "common.php";
    $encrypt = getenv("POSTFIXADMIN_ENCRYPT");
    if ($encrypt !== false && $encrypt !== "") { $CONF["encrypt"] = $encrypt; Config::write("encrypt", $encrypt); }
    $pw = rtrim(fgets(STDIN), "\n"); $stored = rtrim((string) fgets(STDIN), "\n");
    echo pacrypt($pw, $stored), "\n";'
}

case ${1:-} in
  unpack) unpack ;;
  create) shift && create "$@" ;;
  drop) shift && drop "$@" ;;
  cli) shift && cli "$@" ;;
  pacrypt) shift && pacrypt "$@" ;;
  *) die "usage: postfixadmin.sh unpack | create DIALECT DIR | cli DIR ARGS... | pacrypt DIR | drop DIR" ;;
esac
