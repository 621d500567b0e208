#!/usr/bin/env bash
# Checks the running API against its own description: schemathesis (PyPI) reads
# /api/v1/openapi.json and sends generated requests to every operation, as a super admin and
# as a tenant admin, on a fresh demo database. Fails on any 5xx, any status the description
# does not list for the operation, and any answer whose body, content type or headers do not
# match it. Uses the debug build (`make build`).
#   scripts/api-check.sh                 # both callers, the examples per operation below
#   API_CHECK_EXAMPLES=200 scripts/api-check.sh
set -euo pipefail
cd "$(dirname "$0")/.."

DB=inti_api_check
ADDR="${API_CHECK_ADDR:-127.0.0.1:3150}"
EXAMPLES="${API_CHECK_EXAMPLES:-30}"
export INTI_DATABASE_ADMIN_URL="postgres://postgres@127.0.0.1:5432/$DB"
export INTI_DATABASE_URL="postgres://inti_app@127.0.0.1:5432/$DB"
export LEPTOS_SITE_ADDR="$ADDR" INTI_MODE=dev
export INTI_REDIS_KEY_PREFIX="api-check-$(date +%s)-$$:"
# Generated logins fail by the hundred from one address; the per-account limit stays.
export INTI_AUTH_LOCKOUT_IP_FAILURES=100000
export INTI_OBSERVABILITY_METRICS_ADDR=""
unset INTI_MAIL_SMTP_URL DEMO_PASSWORD

# The version the figures in docs/api.md come from.
SCHEMATHESIS=4.32.5
VENV="${XDG_CACHE_HOME:-$HOME/.cache}/inti-schemathesis"
if [[ "$("$VENV/bin/schemathesis" --version 2>/dev/null)" != *"$SCHEMATHESIS"* ]]; then
  echo "api-check: installing schemathesis $SCHEMATHESIS into $VENV"
  python3 -m venv "$VENV" 2>/dev/null || {
    sudo -n true 2>/dev/null && SUDO=sudo || SUDO=
    $SUDO apt-get install -y -qq python3-venv >/dev/null
    python3 -m venv "$VENV"
  }
  "$VENV/bin/pip" install --quiet "schemathesis==$SCHEMATHESIS"
fi
if curl -fsS -o /dev/null "http://$ADDR/healthz" 2>/dev/null; then
  echo "api-check: something already answers on $ADDR; stop it or set API_CHECK_ADDR" >&2
  exit 1
fi

psql "postgres://postgres@127.0.0.1:5432/postgres" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)"
target/debug/inti migrate
target/debug/inti seed-demo
LOG=$(mktemp /tmp/inti-api-check.XXXXXX.log)
target/debug/inti serve >"$LOG" 2>&1 &
SERVER=$!
cleanup() {
  kill $SERVER 2>/dev/null
  wait $SERVER 2>/dev/null || true
  psql "postgres://postgres@127.0.0.1:5432/postgres" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
}
trap cleanup EXIT
for _ in $(seq 1 60); do
  kill -0 $SERVER 2>/dev/null || break
  curl -fsS "http://$ADDR/readyz" >/dev/null 2>&1 && break
  sleep 0.5
done
curl -fsS "http://$ADDR/readyz" >/dev/null || { echo "api-check: the server did not start"; cat "$LOG"; exit 1; }

token() {
  curl -fsS "http://$ADDR/api/v1/auth/login" -H 'content-type: application/json' \
    -d "{\"email\": \"$1\", \"password\": \"inti-demo-2026\"}" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["data"]["tokens"]["accessToken"])'
}

status=0
# The tenant admin first: the super admin's run may suspend accounts it finds.
for who in admin@taskmanager.com superadmin@core.com; do
  echo "api-check: as $who"
  # A run without a working token would only meet 401s, which are described, and pass.
  bearer=$(token "$who") && [[ -n $bearer ]] &&
    curl -fsS -o /dev/null -H "Authorization: Bearer $bearer" "http://$ADDR/api/v1/auth/me" ||
    { echo "api-check: cannot sign in as $who" >&2; exit 1; }
  # Ending or moving the session would turn the rest of the run into 401s; the notification
  # stream stays open by design (tests/notifications.rs checks it).
  "$VENV/bin/schemathesis" run "http://$ADDR/api/v1/openapi.json" \
    -H "Authorization: Bearer $bearer" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance \
    --exclude-operation-id logout --exclude-operation-id switchTenant \
    --exclude-operation-id revokeSession --exclude-operation-id revokeOtherSessions \
    --exclude-operation-id streamNotifications \
    --max-examples "$EXAMPLES" --seed 2026 --workers 2 --no-color \
    --request-timeout 40 || status=1
  # The token must still work at the end: a run that lost it met only 401s after that.
  curl -fsS -o /dev/null -H "Authorization: Bearer $bearer" "http://$ADDR/api/v1/auth/me" ||
    { echo "api-check: the run ended its own session as $who" >&2; status=1; }
done
if [[ $status -ne 0 ]]; then
  echo "api-check: the server's log is in $LOG"
else
  rm -f "$LOG"
fi
exit $status
