#!/usr/bin/env bash
# Runs the Playwright suite against the debug build, on a freshly created database.
set -euo pipefail
cd "$(dirname "$0")/.."
export INTI_DATABASE_ADMIN_URL="${INTI_E2E_DATABASE_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/inti_e2e}"
export INTI_DATABASE_URL="${INTI_E2E_DATABASE_URL:-postgres://inti_app@127.0.0.1:5432/inti_e2e}"
export LEPTOS_SITE_ADDR="${INTI_E2E_ADDR:-127.0.0.1:3100}"
export INTI_E2E_BASE_URL="http://$LEPTOS_SITE_ADDR"
export INTI_MODE=dev
# A key prefix of this run's own: counters and sessions of earlier runs in the same Redis
# never reach it.
export INTI_REDIS_KEY_PREFIX="e2e-$(date +%s)-$$:"
# Every browser of the suite signs in from 127.0.0.1, including the deliberate failures of
# many specs: the per-address limit would lock them all out of each other's way. The
# per-account limit stays (and has its own tests).
export INTI_AUTH_LOCKOUT_IP_FAILURES=100000
unset DEMO_PASSWORD
# Mail stays on this server: the specs read it from /dev/mailbox.
unset INTI_MAIL_SMTP_URL

psql "${INTI_DATABASE_ADMIN_URL%/*}/postgres" -qc "DROP DATABASE IF EXISTS \"${INTI_DATABASE_ADMIN_URL##*/}\" WITH (FORCE)"
target/debug/inti migrate
target/debug/inti seed-demo
cd end2end
exec npx playwright test "$@"
