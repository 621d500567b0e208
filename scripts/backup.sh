#!/usr/bin/env bash
# Backs up Inti's database with pg_dump's custom format (compressed, restorable table by
# table). Usage: scripts/backup.sh [FILE]
# The database is INTI_DATABASE_ADMIN_URL (default: the dev one). The role must see every
# row: a superuser, or a role with BYPASSRLS (Inti's tables force row-level security even
# on their owner, and pg_dump refuses rather than dump part of a table).
# Redis needs no backup: losing it signs browsers out and forgets brute-force counters and
# caches; everything else lives in PostgreSQL.
set -euo pipefail
url=${INTI_DATABASE_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/inti}
file=${1:-inti-$(date -u +%Y%m%dT%H%M%SZ).dump}
fail() { echo "backup: $*" >&2; exit 1; }
command -v pg_dump >/dev/null || fail "pg_dump is missing (Debian: postgresql-client)"
# The dump holds personal data and password hashes: readable by its owner only.
umask 077

. "$(dirname "$0")/pg-url.sh"
pg_url "$url"
url=$PG_URL where=$PG_WHERE

can_see_all=$(psql "$url" -tAc "SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user") \
  || fail "cannot connect to $where"
[[ "$can_see_all" == t ]] || fail "the role of INTI_DATABASE_ADMIN_URL must be a superuser or have BYPASSRLS (row-level security would hide rows)"

# Written aside and moved into place: a failed dump never leaves a file that looks whole.
partial="$file.partial"
trap 'rm -f "$partial"' EXIT
pg_dump --format=custom --compress=6 --file="$partial" --dbname="$url" \
  || fail "pg_dump of $where failed (see above)"
pg_restore --list "$partial" >/dev/null || fail "the dump cannot be read back"
mv "$partial" "$file"
tables=$(pg_restore --list "$file" | grep -c ' TABLE DATA ' || true)
echo "backup: $file ($(du -h "$file" | cut -f1), $tables tables)"
