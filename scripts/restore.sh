#!/usr/bin/env bash
# Restores a backup made by scripts/backup.sh into a fresh database, then applies this
# release's newer migrations. Usage: scripts/restore.sh FILE [DATABASE_URL]
# DATABASE_URL (default INTI_DATABASE_ADMIN_URL) names a database that must not exist yet.
# Its role creates the database and owns what is restored; it must be a superuser or have
# BYPASSRLS and CREATEDB (row-level security is forced on Inti's tables). `inti migrate`
# then runs as the same role, so use the URL the deployment's migrations use.
# INTI_BIN is the inti binary (default target/release/inti); its `migrate` reads the usual
# configuration (INTI_CONFIG, INTI_* variables).
set -euo pipefail
fail() { echo "restore: $*" >&2; exit 1; }
file=${1:-}
url=${2:-${INTI_DATABASE_ADMIN_URL:-}}
inti=${INTI_BIN:-target/release/inti}
[[ -n "$file" && -n "$url" ]] || fail "usage: scripts/restore.sh FILE [DATABASE_URL]"
[[ -r "$file" ]] || fail "cannot read $file"
[[ -x "$inti" ]] || fail "no inti binary at $inti (set INTI_BIN or run make release)"
pg_restore --list "$file" >/dev/null 2>&1 || fail "$file is not a pg_dump custom-format backup"

# A password in the URL goes to libpq through PGPASSWORD, not the process list (`inti
# migrate` gets the whole URL in its environment).
given_url=$url
. "$(dirname "$0")/pg-url.sh"
pg_url "$url"
url=$PG_URL
base=${url%%\?*}
query=${url#"$base"}  # sslmode and the like apply to every connection
server=${base%/*}
name=${base##*/}
[[ "$name" =~ ^[A-Za-z0-9_]+$ ]] || fail "the database name \"$name\" must be letters, digits and _"
admin="$server/postgres$query"
if [[ -n "$(psql "$admin" -tAc "SELECT 1 FROM pg_database WHERE datname = '$name'")" ]]; then
  fail "database $name exists; a restore goes into a fresh database (choose another name, or drop it first)"
fi

psql "$admin" -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE \"$name\""
# The role the server connects as is cluster-wide: on another cluster it does not exist yet,
# and the backup's grants name it.
psql "$admin" -q -v ON_ERROR_STOP=1 -c "DO \$\$ BEGIN
  CREATE ROLE inti_app LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT;
EXCEPTION WHEN duplicate_object THEN NULL; END \$\$"
if ! pg_restore --exit-on-error --no-owner --dbname="$url" "$file"; then
  psql "$admin" -q -c "DROP DATABASE IF EXISTS \"$name\"" || true
  fail "pg_restore failed; the half-restored database $name was dropped"
fi
INTI_DATABASE_ADMIN_URL="$given_url" "$inti" migrate
echo "restore: $file is in $name"
