#!/usr/bin/env bash
# Typing measure: forms of 10, 50 and 200 text fields (each with length limits and
# a pattern, every other one required) on the release build, typed into in Debian Chromium
# (end2end/bench/form-typing.mjs prints the time each keystroke's work takes in the page).
# Needs: `make release` done, `scripts/setup.sh --e2e` (Chromium, Playwright). INTI_BIN picks
# another server binary (the typing happens in the browser, in the WASM of target/site).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bench-common.sh
PORT=3303 DB=inti_bench_forms
bench_env "$DB" "$PORT" "bench-forms-$$:"
INTI=${INTI_BIN:-target/release/inti}
psql "postgres://postgres@127.0.0.1:5432/postgres" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)"
"$INTI" migrate >/dev/null
"$INTI" seed-demo >/dev/null
"$INTI" serve >/tmp/inti-bench-forms.log 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
wait_ready

TOKEN=$(login superadmin@core.com)
api() { curl -sf -H "Authorization: Bearer $TOKEN" -H 'content-type: application/json' "$@"; }
TENANT=$(api "http://127.0.0.1:$PORT/api/v1/core/tenants?search=taskmanager" |
  python3 -c 'import json,sys; print(next(t["id"] for t in json.load(sys.stdin)["data"]["items"] if t["domain"] == "taskmanager"))')
SERVICES=()
for n in 10 50 200; do
  name="typing-$n"
  body=$(python3 - "$name" "$n" <<'PY'
import json, sys
name, n = sys.argv[1], int(sys.argv[2])
fields = [{"name": f"f{i}", "type": "text", "label": f"Field {i}", "required": i % 2 == 0,
           "validation": {"minLength": 3, "maxLength": 40, "pattern": "^[a-z0-9 ]+$"}}
          for i in range(n)]
print(json.dumps({"name": name, "displayName": f"Typing {n}", "type": "INTERNAL",
                  "visibility": "PRIVATE", "formSchema": {"fields": fields}}))
PY
)
  id=$(api -d "$body" "http://127.0.0.1:$PORT/api/v1/core/services/register" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["id"])')
  api -X PUT -d '{"status":"ACTIVE"}' "http://127.0.0.1:$PORT/api/v1/core/services/$id/tenants/$TENANT" >/dev/null
  SERVICES+=("$name")
done
node end2end/bench/form-typing.mjs "http://127.0.0.1:$PORT" "${SERVICES[@]}"
