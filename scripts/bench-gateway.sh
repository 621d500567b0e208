#!/usr/bin/env bash
# Benchmark: what the gateway adds to a call. The demo WhatsApp service's
# `GET /messages` is called directly (with its key) and through Inti
# (`/api/v1/gateway/whatsapp-gateway/messages`, a tenant admin's Bearer token: the session's
# routing table, permissions, the Redis rate limiter, key injection, the call log), on the
# release build, in the same run. Overhead = through Inti minus direct, at p50 and p99.
# Needs: the release server built (`cargo build --release --no-default-features --features
# ssr`, or `cargo leptos build --release`), wrk (apt-get install wrk).
#   scripts/bench-gateway.sh
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bench-common.sh
PORT=3303 DEMO=3203 DB=inti_bench_gateway KEY=bench-whatsapp-key-0123456789
bench_env "$DB" "$PORT" "bench-gateway:"
export INTI_GATEWAY_ALLOWED_PRIVATE_HOSTS="127.0.0.1:$DEMO"

psql "postgres://postgres@127.0.0.1:5432/postgres" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)"
target/release/inti migrate >/dev/null
target/release/inti seed-demo >/dev/null
redis-cli --scan --pattern 'bench-gateway:*' | xargs -r redis-cli del >/dev/null
INTI_DEMO_WHATSAPP_KEY=$KEY target/release/inti demo-whatsapp --port "$DEMO" >/tmp/inti-bench-demo.log 2>&1 &
DEMO_PID=$!
target/release/inti serve >/tmp/inti-bench-gateway.log 2>&1 &
SERVER=$!
trap 'kill $SERVER $DEMO_PID 2>/dev/null || true' EXIT
wait_ready

ROOT=$(login superadmin@core.com)
ADMIN=$(login admin@whatsapp.com)
api() { curl -sf -H "Authorization: Bearer $ROOT" -H 'content-type: application/json' "$@"; }
SERVICE=$(api "http://127.0.0.1:$PORT/api/v1/core/services?search=whatsapp" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["items"][0]["id"])')
TENANT=$(api "http://127.0.0.1:$PORT/api/v1/core/tenants?search=whatsapp" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["items"][0]["id"])')
# The service at the benchmark's demo, with its key; a budget no run reaches (the limiter
# still runs on every call).
api -X PATCH -d "{\"baseUrl\":\"http://127.0.0.1:$DEMO\",\"healthCheckUrl\":\"http://127.0.0.1:$DEMO/health\",\"apiKey\":\"$KEY\"}" \
  "http://127.0.0.1:$PORT/api/v1/core/services/$SERVICE" >/dev/null
api -X PUT -d '{"status":"ACTIVE","customSettings":{"rateLimits":{"*":1000000}}}' \
  "http://127.0.0.1:$PORT/api/v1/core/services/$SERVICE/tenants/$TENANT" >/dev/null

DIRECT="http://127.0.0.1:$DEMO/messages?page=1&pageSize=20"
THROUGH="http://127.0.0.1:$PORT/api/v1/gateway/whatsapp-gateway/messages?page=1&pageSize=20"
curl -sf -H "X-API-Key: $KEY" -H "X-Inti-Tenant-Id: $TENANT" "$DIRECT" >/dev/null
curl -sf -H "Authorization: Bearer $ADMIN" "$THROUGH" >/dev/null

wrk -t1 -c1 -d2s -H "X-API-Key: $KEY" -H "X-Inti-Tenant-Id: $TENANT" "$DIRECT" >/dev/null
wrk -t1 -c1 -d2s -H "Authorization: Bearer $ADMIN" "$THROUGH" >/dev/null
for c in 1 8; do
  echo "== direct to the demo service, $c connection(s)"
  wrk -t1 -c$c -d10s --latency -H "X-API-Key: $KEY" -H "X-Inti-Tenant-Id: $TENANT" "$DIRECT" |
    grep -E 'Requests/sec|^ +50%|^ +99%|Non-2xx'
  echo "== through Inti's gateway, $c connection(s)"
  wrk -t1 -c$c -d10s --latency -H "Authorization: Bearer $ADMIN" "$THROUGH" |
    grep -E 'Requests/sec|^ +50%|^ +99%|Non-2xx'
done
