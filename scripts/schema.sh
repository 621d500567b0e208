#!/usr/bin/env bash
# The Diesel schema (src/server/db/schema.rs) is generated, never written by hand: this applies
# every migration to a scratch database and compares `diesel print-schema` with the committed
# file. Usage: scripts/schema.sh [--write]   (--write replaces the file instead of checking)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

SCHEMA=src/server/db/schema.rs
DB="inti_schema_check_$$"
URL="postgres://postgres@127.0.0.1:5432/$DB"
psql_admin() { PGOPTIONS="-c client_min_messages=warning" psql -h 127.0.0.1 -U postgres -d postgres -qX -v ON_ERROR_STOP=1 "$@"; }

psql_admin -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"
trap 'psql_admin -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true' EXIT
# No schema file is touched here: print-schema writes to a temporary file below.
diesel migration run --database-url "$URL" --migration-dir migrations --config-file /dev/null >/dev/null

generated=$(mktemp)
diesel print-schema --database-url "$URL" --config-file diesel.toml > "$generated"
if [[ "${1:-}" == "--write" ]]; then
  mv "$generated" "$SCHEMA"
  echo "schema: wrote $SCHEMA"
elif ! diff -u "$SCHEMA" "$generated"; then
  rm -f "$generated"
  echo "schema: $SCHEMA differs from what the migrations generate; run scripts/schema.sh --write" >&2
  exit 1
else
  rm -f "$generated"
  echo "schema: $SCHEMA matches the migrations"
fi
